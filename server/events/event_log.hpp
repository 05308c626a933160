// server/events/event_log.hpp
//
// The server's event log (--event-log FILE): one JSON object per line, each
// with "time" (UTC, RFC 3339 with milliseconds) and "type" first, then the
// event's fields. The types and their fields are the product's interface,
// listed in docs/OPERATIONS.md, "The event log".
//
// IMPORTANT: emit() is thread-safe and never waits for the disk: the line is
// formatted on the caller's thread and queued; a writer thread of its own
// appends and flushes. When the queue holds max_queued_bytes (a disk slower
// than the events) a new line is dropped and counted, and once the writer
// catches up it writes one "events_dropped" line with how many.
// IMPORTANT: the destructor writes out what is queued, then closes the file.
#pragma once

#include "shared/util/log.hpp"
#include "shared/util/result.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace skirmish::server {

// An event's fields, in the order they are written.
using EventFields = nlohmann::ordered_json;

struct EventLogCounters {
    std::uint64_t written = 0;      // lines on disk (events_dropped lines included)
    std::uint64_t dropped = 0;      // lines dropped because the queue was full
    std::uint64_t bytes = 0;        // bytes written
    std::uint64_t write_errors = 0; // failed writes (disk full, ...); those lines are lost
};

class EventLog {
public:
    using UnixClock = std::function<std::uint64_t()>; // wall-clock Unix time in ms
    static constexpr std::size_t kDefaultMaxQueuedBytes = 1024 * 1024;

    // Opens `path` for appending (created if missing) and starts the writer.
    // The error is a line for a person ("cannot open the event log ...: ...").
    static util::Result<std::unique_ptr<EventLog>, std::string> open(const std::string& path, UnixClock unix_ms,
                                                                     util::Logger log,
                                                                     std::size_t max_queued_bytes = kDefaultMaxQueuedBytes);
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    // Queues {"time": now, "type": type, ...fields}. `fields` is a JSON object
    // (anything else is written under "value"). Thread-safe; never blocks on I/O.
    void emit(std::string_view type, EventFields fields = EventFields::object());
    // Waits until every line emitted before the call is written, or the timeout.
    bool flush(std::chrono::milliseconds timeout);

    EventLogCounters counters() const;
    const std::string& path() const noexcept { return path_; }

private:
    EventLog(std::string path, int fd, UnixClock unix_ms, util::Logger log, std::size_t max_queued_bytes);
    void run_writer();
    bool write_all(const std::string& bytes);

    std::string path_;
    int fd_ = -1;
    UnixClock unix_ms_;
    util::Logger log_;
    std::size_t max_queued_bytes_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;    // the writer: lines queued, or stop
    std::condition_variable written_; // flush(): a batch went out
    std::vector<std::string> queue_;
    std::size_t queued_bytes_ = 0;
    std::uint64_t emitted_ = 0;       // lines accepted into the queue, ever
    std::uint64_t done_ = 0;          // of those, lines the writer has finished with
    std::uint64_t dropped_unreported_ = 0;
    bool stopping_ = false;
    EventLogCounters counters_;
    bool failing_ = false; // writer thread only: the last write failed
    std::thread writer_;
};

// Formats Unix milliseconds as "2024-05-01T18:30:02.123Z".
std::string format_event_time(std::uint64_t unix_ms);

// Null-safe emit: `log` may be absent (no --event-log).
inline void emit_event(EventLog* log, std::string_view type, EventFields fields = EventFields::object()) {
    if (log) log->emit(type, std::move(fields));
}

} // namespace skirmish::server
