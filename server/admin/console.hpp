// server/admin/console.hpp
//
// The server's console: lines typed on its standard input (when it is a
// terminal, or a pipe with --console on) are administration commands
// (admin_command.hpp), run by Admin, answered on standard output.
//
// IMPORTANT: its own thread, which waits on the input with poll() in short
// steps, so reading never blocks the tick loop, the lobby, or stop(). End of
// input (Ctrl+D) ends the console, not the server. A line longer than
// kMaxLineBytes is refused whole.
#pragma once

#include "server/admin/admin.hpp"

#include <atomic>
#include <cstdio>
#include <thread>

namespace skirmish::server {

class Console {
public:
    static constexpr std::size_t kMaxLineBytes = 1024;

    // Reads `fd` (0: standard input), writes answers to `out`.
    Console(Admin& admin, int fd, std::FILE* out) : admin_(admin), fd_(fd), out_(out) {}
    ~Console() { stop(); }
    Console(const Console&) = delete;
    Console& operator=(const Console&) = delete;

    void start();
    void stop(); // idempotent; returns within about 100 ms

private:
    void loop();
    void answer(const std::string& line);

    Admin& admin_;
    int fd_;
    std::FILE* out_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace skirmish::server
