// server/results/results_store.cpp
#include "server/results/results_store.hpp"

namespace skirmish::server {

util::Result<std::unique_ptr<ResultsStore>, std::string> ResultsStore::open(const std::string& path,
                                                                            util::Logger log) {
    auto writer = ResultsDb::open(path, ResultsDb::Mode::ReadWrite);
    if (!writer) return util::fail(writer.error());
    auto reader = ResultsDb::open(path, ResultsDb::Mode::ReadOnly);
    if (!reader) return util::fail(reader.error());
    return std::unique_ptr<ResultsStore>(
        new ResultsStore(path, std::move(writer).value(), std::move(reader).value(), std::move(log)));
}

ResultsStore::ResultsStore(std::string path, std::unique_ptr<ResultsDb> writer, std::unique_ptr<ResultsDb> reader,
                           util::Logger log)
    : path_(std::move(path)), writer_(std::move(writer)), reader_(std::move(reader)), log_(std::move(log)) {
    thread_ = std::thread([this] { run(); });
}

ResultsStore::~ResultsStore() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ResultsStore::record_match(MatchRecord record) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= kMaxQueuedMatches) {
            ++counters_.dropped;
            log_.error("match {} not stored: {} matches are waiting for the disk", record.match_id,
                       queue_.size());
            return;
        }
        queue_.push_back(std::move(record));
    }
    wake_.notify_one();
}

void ResultsStore::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return; // stopping, and everything written
        MatchRecord record = std::move(queue_.front());
        queue_.pop_front();
        writing_ = true;
        lock.unlock();
        const auto started = std::chrono::steady_clock::now();
        auto stored = writer_->insert(record);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        if (stored) {
            log_.debug("match {} stored as #{} in {:.2f} ms", record.match_id, *stored, ms);
        } else {
            log_.error("{} ({}); the server goes on", stored.error(), path_);
        }
        lock.lock();
        writing_ = false;
        if (stored) ++counters_.written;
        else ++counters_.errors;
        counters_.last_insert_ms = ms;
        counters_.max_insert_ms = std::max(counters_.max_insert_ms, ms);
        drained_.notify_all();
    }
}

bool ResultsStore::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return drained_.wait_for(lock, timeout, [&] { return queue_.empty() && !writing_; });
}

ResultsCounters ResultsStore::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

protocol::lobby::Stats ResultsStore::stats(const protocol::lobby::GetStats& request) {
    return reader_->stats(request);
}

protocol::lobby::RecentMatches ResultsStore::recent_matches(const protocol::lobby::GetRecentMatches& request) {
    return reader_->recent_matches(request);
}

} // namespace skirmish::server
