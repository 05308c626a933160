// server/results/results_store.hpp
//
// What the server keeps of its finished matches (--db): a ResultsDb written
// by a thread of its own, fed through a bounded queue, and a second
// connection to the same file for the lobby's reads (WAL: readers never wait
// for the writer).
//
// IMPORTANT: record_match() is called on the tick thread and never waits:
// storing a match costs milliseconds (an fsync), far beyond a tick's share,
// so it is queued; when kMaxQueuedMatches wait, the match is dropped, counted
// and logged. stats()/recent_matches() run on the lobby thread only.
// IMPORTANT: flush() before the process ends (the server's stop() does, after
// the matches cut by the shutdown are handed over).
#pragma once

#include "server/results/results_db.hpp"
#include "shared/util/log.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace skirmish::server {


class ResultsStore final : public ResultsRecorder, public ResultsSource {
public:
    static constexpr std::size_t kMaxQueuedMatches = 256;

    // Opens (creates, migrates) `path` for writing and for reading; the error is one line.
    static util::Result<std::unique_ptr<ResultsStore>, std::string> open(const std::string& path, util::Logger log);
    ~ResultsStore() override;

    void record_match(MatchRecord record) override;
    protocol::lobby::Stats stats(const protocol::lobby::GetStats& request) override;
    protocol::lobby::RecentMatches recent_matches(const protocol::lobby::GetRecentMatches& request) override;

    // Waits until every queued match is stored, or the timeout; true if all were.
    bool flush(std::chrono::milliseconds timeout);
    ResultsCounters counters() const;
    const std::string& path() const noexcept { return path_; }

private:
    ResultsStore(std::string path, std::unique_ptr<ResultsDb> writer, std::unique_ptr<ResultsDb> reader,
                 util::Logger log);
    void run();

    std::string path_;
    std::unique_ptr<ResultsDb> writer_; // the writer thread's connection
    std::unique_ptr<ResultsDb> reader_; // the lobby thread's
    util::Logger log_;
    mutable std::mutex mutex_;
    std::condition_variable wake_, drained_;
    std::deque<MatchRecord> queue_;
    bool writing_ = false;
    bool stopping_ = false;
    ResultsCounters counters_;
    std::thread thread_;
};

} // namespace skirmish::server
