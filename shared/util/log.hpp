// shared/util/log.hpp
//
// Logging without globals: a Logger is made in main() (or a test) and passed by
// reference to what logs. It writes one line per message to a sink (stderr by
// default) with a monotonic timestamp, level and component name.
// Per-peer "something was dropped" messages go through a util::RateLimiter
// (rate_limiter.hpp) so a flood of bad input cannot turn into a flood of log lines.
//
// IMPORTANT: Logger is thread-safe (one mutex around the sink; the level,
// shared with children, is atomic, so set_level() may come from any thread).
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace skirmish::util {

enum class LogLevel : std::uint8_t { Debug, Info, Warn, Error, Off };

std::string_view name(LogLevel level);
// Parses "debug", "info", "warn", "error", "off". Returns false if unknown.
bool parse_log_level(std::string_view text, LogLevel& out);

class Logger {
public:
    using Sink = std::function<void(std::string_view line)>;

    explicit Logger(std::string component = "skirmish", LogLevel level = LogLevel::Info,
                    Sink sink = {});

    // A logger for a sub-component sharing this one's sink and level.
    Logger child(std::string_view component) const;

    // Changes the level of this logger, its parent and every child.
    void set_level(LogLevel level) { level_->store(level, std::memory_order_relaxed); }
    LogLevel level() const { return level_->load(std::memory_order_relaxed); }
    bool enabled(LogLevel level) const { return level >= this->level() && level != LogLevel::Off; }

    template <typename... Args>
    void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
        if (!enabled(level)) return;
        write(level, fmt::format(format, std::forward<Args>(args)...));
    }
    template <typename... Args>
    void debug(fmt::format_string<Args...> f, Args&&... a) const { log(LogLevel::Debug, f, std::forward<Args>(a)...); }
    template <typename... Args>
    void info(fmt::format_string<Args...> f, Args&&... a) const { log(LogLevel::Info, f, std::forward<Args>(a)...); }
    template <typename... Args>
    void warn(fmt::format_string<Args...> f, Args&&... a) const { log(LogLevel::Warn, f, std::forward<Args>(a)...); }
    template <typename... Args>
    void error(fmt::format_string<Args...> f, Args&&... a) const { log(LogLevel::Error, f, std::forward<Args>(a)...); }

private:
    struct Shared {
        Sink sink;
        std::mutex mutex;
        std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    };
    Logger(std::string component, std::shared_ptr<std::atomic<LogLevel>> level, std::shared_ptr<Shared> shared);
    void write(LogLevel level, const std::string& message) const;

    std::string component_;
    std::shared_ptr<std::atomic<LogLevel>> level_;
    std::shared_ptr<Shared> shared_;
};

} // namespace skirmish::util
