// tests/app_sdl/child_process.hpp
//
// A child process for smoke tests: spawned with extra environment variables,
// its stdout and stderr captured through one pipe, read with deadlines (never
// a sleep as synchronisation), stopped politely then firmly when destroyed.
// Optionally a second pipe on a chosen fd (Xvfb's -displayfd).
//
// IMPORTANT: POSIX only; one thread.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace skirmish::test {

class ChildProcess {
public:
    using Clock = std::chrono::steady_clock;

    // `extra_env`: "NAME=value" entries added to (and overriding) this process's environment.
    // `side_fd`: if >= 0, the child gets a pipe's write end at that descriptor; read it with side_output().
    ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {}, int side_fd = -1) {
        int out[2];
        if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        int side[2] = {-1, -1};
        if (side_fd >= 0 && pipe2(side, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
        if (side_fd >= 0) posix_spawn_file_actions_adddup2(&actions, side[1], side_fd);
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e) {
            const std::string entry = *e;
            const std::string key = entry.substr(0, entry.find('='));
            bool overridden = false;
            for (const auto& x : extra_env) overridden |= x.substr(0, x.find('=')) == key;
            if (!overridden) env.push_back(entry);
        }
        env.insert(env.end(), extra_env.begin(), extra_env.end());
        std::vector<char*> args, envp;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        const int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        out_ = out[0];
        if (side_fd >= 0) {
            close(side[1]);
            side_ = side[0];
        }
        if (rc != 0) pid_ = -1;
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    bool started() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    const std::string& output() const { return output_; }

    // Reads output until `pattern` matches it or the deadline passes.
    std::optional<std::smatch> wait_for(const std::regex& pattern, std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            std::smatch match;
            if (std::regex_search(output_, match, pattern)) return match;
            if (!read_some(out_, output_, deadline)) return std::nullopt;
        }
    }

    // Reads the side pipe until it holds a full line or the deadline passes.
    std::optional<std::string> side_line(std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (side_text_.find('\n') == std::string::npos) {
            if (!read_some(side_, side_text_, deadline)) return std::nullopt;
        }
        return side_text_.substr(0, side_text_.find('\n'));
    }

    // Reads until the child closes its output, then reaps it. The exit status
    // (128 + signal if killed), or nothing at the deadline.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (read_some(out_, output_, deadline)) {
        }
        for (;;) {
            int status = 0;
            const pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                exited_ = true;
                exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return exit_status_;
            }
            if (exited_) return exit_status_;
            if (Clock::now() >= deadline) return std::nullopt;
            // The output is closed but the process lingers: poll its state briefly.
            pollfd none{};
            poll(&none, 0, 10);
        }
    }

    // Reads whatever output is waiting, without blocking (a child whose pipe
    // fills up blocks on its next write).
    void drain() {
        while (read_some(out_, output_, Clock::now() + std::chrono::milliseconds(1))) {
        }
    }

    // Still running (not exited, not killed)? Reaps it if it has ended.
    bool running() {
        if (pid_ <= 0 || exited_) return false;
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
        exited_ = true;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        drain();
        return false;
    }
    std::optional<int> exit_status() const { return exit_status_; }

    // SIGTERM (or `sig`), a grace period, then SIGKILL.
    void stop(int sig = SIGTERM) {
        if (pid_ <= 0 || exited_) return close_pipes();
        kill(pid_, sig);
        if (!wait_for_exit(std::chrono::seconds(5))) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            exited_ = true;
        }
        close_pipes();
    }

private:
    void close_pipes() {
        if (out_ >= 0) close(out_);
        if (side_ >= 0) close(side_);
        out_ = side_ = -1;
    }

    // One read with poll() up to the deadline; false at end of output or at the deadline.
    static bool read_some(int fd, std::string& into, Clock::time_point deadline) {
        if (fd < 0) return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left)) <= 0) return false;
        char buffer[4096];
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) return false;
        into.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    pid_t pid_ = -1;
    int out_ = -1;
    int side_ = -1;
    bool exited_ = false;
    std::optional<int> exit_status_;
    std::string output_;
    std::string side_text_;
};

} // namespace skirmish::test
