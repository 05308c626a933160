// skirmish-server as a person runs it: it serves the lobby on the port it
// prints, stops cleanly (exit 0) on SIGTERM after telling its clients, and
// explains a port in use or a bad flag in one line.
#include "lobby_test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>

extern char** environ;

using namespace skirmish;
using namespace skirmish::test;

namespace {

// A child process with its stdout and stderr captured through one pipe.
class ServerProcess {
public:
    explicit ServerProcess(std::vector<std::string> args) {
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        args.insert(args.begin(), SKIRMISH_SERVER_BINARY);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, SKIRMISH_SERVER_BINARY, &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        out_ = fds[0];
        if (rc != 0) pid_ = -1;
    }
    ~ServerProcess() {
        if (pid_ > 0 && !exited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (out_ >= 0) close(out_);
    }

    // Reads output until `pattern` matches it (returns the match) or the deadline.
    std::optional<std::smatch> wait_for_output(const std::regex& pattern, std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            std::smatch match;
            if (std::regex_search(output_, match, pattern)) return match;
            if (!read_some(deadline)) return std::nullopt;
        }
    }

    // Reads until the child closes its output (it exited), then reaps it.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (read_some(deadline)) {
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        int status = 0;
        if (waitpid(pid_, &status, 0) != pid_) return std::nullopt;
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    void signal(int sig) { kill(pid_, sig); }
    bool started() const { return pid_ > 0; }
    const std::string& output() const { return output_; }

private:
    // One read with poll() up to the deadline; false at end of output or timeout.
    bool read_some(std::chrono::steady_clock::time_point deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{out_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
        char buffer[4096];
        const ssize_t n = read(out_, buffer, sizeof buffer);
        if (n <= 0) return false;
        output_.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    pid_t pid_ = -1;
    int out_ = -1;
    bool exited_ = false;
    std::string output_;
};

// The start-up line names the lobby's TCP port: "... lobby on TCP 127.0.0.1:7777 ..."
// or "... lobby on TCP and game on UDP port 7777 ...". The number must be complete.
const std::regex kListening(R"(lobby on TCP.*?(?:port |:)(\d+)\D)");

} // namespace

TEST(ServerCli, ServesTheLobbyAndStopsCleanlyOnSigterm) {
    ServerProcess server({"--port", "0", "--bind", "127.0.0.1", "--server-name", "cli test", "--log-level", "warn"});
    ASSERT_TRUE(server.started());
    auto listening = server.wait_for_output(kListening);
    ASSERT_TRUE(listening) << server.output();
    const auto port = static_cast<std::uint16_t>(std::stoi((*listening)[1].str()));

    client::BlockingLobbyClient c(client_config("cli"));
    auto welcome = c.connect("127.0.0.1", port);
    ASSERT_TRUE(welcome.has_value()) << welcome.error().text;
    EXPECT_EQ(welcome->server_name, "cli test");
    EXPECT_FALSE(welcome->maps.empty());

    server.signal(SIGTERM);
    auto bye = c.wait_for_error(pl::ErrorCode::ServerShuttingDown);
    EXPECT_TRUE(bye.has_value());
    EXPECT_TRUE(c.wait_for_disconnect().has_value());
    EXPECT_EQ(server.wait_for_exit(), 0) << server.output();
}

TEST(ServerCli, APortInUseIsExplainedAndExitsNonZero) {
    LobbyUnderTest taken;
    taken.start();
    ServerProcess server({"--port", std::to_string(taken.port), "--bind", "127.0.0.1"});
    ASSERT_TRUE(server.started());
    EXPECT_EQ(server.wait_for_exit(), 1);
    EXPECT_NE(server.output().find(fmt::format("TCP port {} is already in use: is another skirmish-server running? "
                                               "Pick another with --port",
                                               taken.port)),
              std::string::npos)
        << server.output();
}

TEST(ServerCli, AnUnknownLogLevelIsExplained) {
    ServerProcess server({"--port", "0", "--bind", "127.0.0.1", "--log-level", "verbose"});
    ASSERT_TRUE(server.started());
    EXPECT_EQ(server.wait_for_exit(), 2);
    EXPECT_NE(server.output().find("unknown log level 'verbose': use debug, info, warn, error or off"),
              std::string::npos)
        << server.output();
}

TEST(ServerCli, ABadTokenKeyIsExplained) {
    ServerProcess server({"--port", "0", "--bind", "127.0.0.1", "--token-key", "xyz"});
    ASSERT_TRUE(server.started());
    EXPECT_EQ(server.wait_for_exit(), 2);
    EXPECT_NE(server.output().find("--token-key: a token key is 64 hex digits"), std::string::npos) << server.output();
}
