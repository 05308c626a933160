// server/events/event_log.cpp
#include "server/events/event_log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace skirmish::server {

std::string format_event_time(std::uint64_t unix_ms) {
    const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, unix_ms % 1000);
}

util::Result<std::unique_ptr<EventLog>, std::string> EventLog::open(const std::string& path, UnixClock unix_ms,
                                                                   util::Logger log, std::size_t max_queued_bytes) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return util::fail(fmt::format("cannot open the event log {}: {} (check the folder exists and is writable, or "
                                      "change --event-log)",
                                      path, std::strerror(errno)));
    return std::unique_ptr<EventLog>(new EventLog(path, fd, std::move(unix_ms), std::move(log), max_queued_bytes));
}

EventLog::EventLog(std::string path, int fd, UnixClock unix_ms, util::Logger log, std::size_t max_queued_bytes)
    : path_(std::move(path)), fd_(fd), unix_ms_(std::move(unix_ms)), log_(std::move(log)),
      max_queued_bytes_(max_queued_bytes) {
    writer_ = std::thread([this] { run_writer(); });
}

EventLog::~EventLog() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
    ::close(fd_);
}

void EventLog::emit(std::string_view type, EventFields fields) {
    EventFields line = EventFields::object();
    line["time"] = format_event_time(unix_ms_());
    line["type"] = type;
    if (fields.is_object()) {
        for (auto& [key, value] : fields.items()) line[key] = std::move(value);
    } else if (!fields.is_null()) {
        line["value"] = std::move(fields);
    }
    // Names come from players: invalid UTF-8 is replaced, never a throw.
    std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    text += '\n';
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ || queued_bytes_ + text.size() > max_queued_bytes_) {
            ++counters_.dropped;
            ++dropped_unreported_;
            return;
        }
        queued_bytes_ += text.size();
        queue_.push_back(std::move(text));
        ++emitted_;
    }
    wake_.notify_one();
}

bool EventLog::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = emitted_;
    return written_.wait_for(lock, timeout, [&] { return done_ >= target && dropped_unreported_ == 0; });
}

EventLogCounters EventLog::counters() const {
    const std::lock_guard lock(mutex_);
    return counters_;
}

void EventLog::run_writer() {
    std::vector<std::string> batch;
    for (;;) {
        std::uint64_t dropped = 0;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || dropped_unreported_ > 0; });
            batch.clear();
            batch.swap(queue_);
            queued_bytes_ = 0;
            dropped = dropped_unreported_;
            stop = stopping_;
        }
        // The lines queued first, then the drops that came after them.
        std::string bytes;
        for (const auto& line : batch) bytes += line;
        std::size_t lines = batch.size();
        if (dropped > 0) {
            EventFields note = EventFields::object();
            note["time"] = format_event_time(unix_ms_());
            note["type"] = "events_dropped";
            note["count"] = dropped;
            bytes += note.dump() + '\n';
            ++lines;
        }
        const bool ok = bytes.empty() || write_all(bytes);
        {
            const std::lock_guard lock(mutex_);
            if (ok) {
                counters_.written += lines;
                counters_.bytes += bytes.size();
            } else {
                ++counters_.write_errors;
            }
            done_ += batch.size();
            dropped_unreported_ -= dropped;
        }
        written_.notify_all();
        if (stop) {
            const std::lock_guard lock(mutex_);
            if (queue_.empty() && dropped_unreported_ == 0) return;
        }
    }
}

bool EventLog::write_all(const std::string& bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        const ssize_t n = ::write(fd_, bytes.data() + at, bytes.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            // Said once per run of failures, not once per batch.
            if (!failing_)
                log_.error("writing the event log {} failed: {}; events are lost until it works again", path_,
                           std::strerror(errno));
            failing_ = true;
            return false;
        }
        at += static_cast<std::size_t>(n);
    }
    failing_ = false;
    return true;
}

} // namespace skirmish::server
