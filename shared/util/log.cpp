// shared/util/log.cpp
#include "shared/util/log.hpp"

#include <cstdio>

namespace skirmish::util {

std::string_view name(LogLevel level) {
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
    case LogLevel::Off: return "off";
    }
    return "?";
}

bool parse_log_level(std::string_view text, LogLevel& out) {
    for (auto level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error, LogLevel::Off}) {
        if (text == name(level)) {
            out = level;
            return true;
        }
    }
    return false;
}

Logger::Logger(std::string component, LogLevel level, Sink sink)
    : component_(std::move(component)),
      level_(std::make_shared<std::atomic<LogLevel>>(level)),
      shared_(std::make_shared<Shared>()) {
    shared_->sink = sink ? std::move(sink) : Sink{[](std::string_view line) {
        std::fwrite(line.data(), 1, line.size(), stderr);
        std::fflush(stderr);
    }};
}

Logger::Logger(std::string component, std::shared_ptr<std::atomic<LogLevel>> level, std::shared_ptr<Shared> shared)
    : component_(std::move(component)), level_(std::move(level)), shared_(std::move(shared)) {}

Logger Logger::child(std::string_view component) const {
    return Logger(component_ + "." + std::string(component), level_, shared_);
}

void Logger::write(LogLevel level, const std::string& message) const {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - shared_->start).count();
    const std::string line = fmt::format("[{:9.3f}] {:<5} {}: {}\n", seconds, name(level), component_, message);
    const std::lock_guard lock(shared_->mutex);
    shared_->sink(line);
}

} // namespace skirmish::util
