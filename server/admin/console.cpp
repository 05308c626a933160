// server/admin/console.cpp
#include "server/admin/console.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace skirmish::server {

void Console::start() {
    fmt::print(out_, "console: type 'help' for the commands\n");
    std::fflush(out_);
    thread_ = std::thread([this] { loop(); });
}

void Console::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void Console::loop() {
    std::string pending;
    bool too_long = false;
    char buffer[512];
    while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) {
            if (ready < 0) return;
            continue;
        }
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return; // end of input: the console ends, the server goes on
        for (ssize_t i = 0; i < n; ++i) {
            const char c = buffer[i];
            if (c == '\n') {
                if (too_long) {
                    fmt::print(out_, "error: a line is at most {} bytes; that one was ignored\n", kMaxLineBytes);
                    std::fflush(out_);
                } else {
                    answer(pending);
                }
                pending.clear();
                too_long = false;
            } else if (pending.size() >= kMaxLineBytes) {
                too_long = true;
            } else {
                pending.push_back(c);
            }
        }
    }
}

void Console::answer(const std::string& raw) {
    std::string line = raw;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) return;
    const AdminOutcome outcome = admin_.run(line, "console");
    if (outcome.ok) fmt::print(out_, "{}\n", outcome.text);
    else fmt::print(out_, "error: {}\n", outcome.text);
    std::fflush(out_);
}

} // namespace skirmish::server
