// skirmish-server --config FILE as a host runs it: a file with every key
// starts the server (flags winning), its motd and password reach a real lobby
// client, --print-config prints and exits, every mistake stops the server with
// one line naming the key, SIGHUP applies what may change and logs it (and a
// broken file changes nothing), and --hash-admin-password makes a hash the
// config accepts.
#include "app_sdl/child_process.hpp"
#include "lobby_test_support.hpp"
#include "server/config/server_settings.hpp"
#include "support/source_dir.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace skirmish;
using namespace skirmish::test;
namespace fs = std::filesystem;

namespace {

const std::regex kListening(R"(lobby on TCP and game on UDP port (\d+)\D)");

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "skirmish-cli-config-XXXXXX").string();
        path_ = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string file(const std::string& name, const std::string& text) const {
        const auto p = path_ / name;
        std::ofstream(p) << text;
        return p.string();
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::vector<std::string> server_args(std::vector<std::string> args) {
    args.insert(args.begin(), SKIRMISH_SERVER_BINARY);
    return args;
}

std::string maps_dir() { return (source_dir() / "assets" / "maps").string(); }

std::uint16_t wait_for_port(ChildProcess& server) {
    auto listening = server.wait_for(kListening, 20s);
    EXPECT_TRUE(listening) << server.output();
    return listening ? static_cast<std::uint16_t>(std::stoi((*listening)[1].str())) : 0;
}

util::Result<pl::Welcome, client::Disconnected> join(std::uint16_t port, const std::string& name,
                                                      const std::string& password = {}) {
    auto config = client_config(name);
    config.password = password;
    client::BlockingLobbyClient c(config);
    return c.connect("127.0.0.1", port, 10s);
}

} // namespace

TEST(ServerConfigCli, StartsFromAFileWithEveryKeyAndTheFlagsWin) {
    TempDir dir;
    const std::string config = dir.file(
        "server.toml",
        "port = 0\nbind = \"127.0.0.1\"\nserver_name = \"from the file\"\nmaps = \"" + maps_dir() +
            "\"\ntoken_key = \"" + std::string(64, 'b') +
            "\"\nlog_level = \"info\"\ndiscovery = \"on\"\ndiscovery_port = 0\ntick_rate = 30\nsnapshot_rate = 15\ndelta = \"on\"\n"
            "lag_compensation = \"on\"\nmax_rewind_ms = 150\nrange_coder = \"off\"\nrecord_dir = \"" +
            (dir.path() / "demos").string() +
            "\"\nrecord_state_every = 60\nsilence_timeout_ms = 9000\nmax_peers = 64\nchallenges_per_second = 500\n"
            "challenges_per_address = 16\nmax_connections = 50\nmax_per_address = 20\n"
            "metrics_address = \"127.0.0.1:0\"\nevent_log = \"" +
            (dir.path() / "events.jsonl").string() + "\"\ndb = \"" + (dir.path() / "results.sqlite").string() +
            "\"\nmotd = \"Welcome!\\nSecond line.\"\npassword = \"friday\"\nadmin_password = \"admin pw\"\n"
            "map_rotation = [\"courtyard\", \"arena\"]\nroom_frag_limit = 5\nroom_time_limit_s = 120\n"
            "room_join_in_progress = \"off\"\nroom_spectator_slots = 2\n");
    // The file has every key there is.
    auto read = server::load_config(config, {});
    ASSERT_TRUE(read) << read.error();
    for (const auto& o : server::config_options()) {
        EXPECT_TRUE(read->origins.contains(std::string(o.key))) << o.key;
    }

    ChildProcess server(server_args({"--config", config, "--server-name", "from the flag"}));
    ASSERT_TRUE(server.started());
    const auto port = wait_for_port(server);
    ASSERT_NE(port, 0);
    EXPECT_TRUE(server.wait_for(std::regex(R"(metrics: http://127\.0\.0\.1:\d+/metrics)"), 10s)) << server.output();

    auto refused = join(port, "nopass");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, pl::ErrorCode::WrongPassword);
    EXPECT_NE(refused.error().text.find("this server needs a password"), std::string::npos) << refused.error().text;

    auto welcome = join(port, "guest", "friday");
    ASSERT_TRUE(welcome) << welcome.error().text;
    EXPECT_EQ(welcome->server_name, "from the flag") << "the flag wins over the file";
    EXPECT_EQ(welcome->motd, (std::vector<std::string>{"Welcome!", "Second line."}));
    EXPECT_EQ(welcome->tick_rate_hz, 30);
    EXPECT_EQ(welcome->snapshot_rate_hz, 15);

    server.stop(SIGTERM);
    EXPECT_EQ(server.exit_status(), 0) << server.output();
    EXPECT_TRUE(fs::exists(dir.path() / "events.jsonl"));
    EXPECT_TRUE(fs::exists(dir.path() / "results.sqlite"));
}

TEST(ServerConfigCli, PrintConfigPrintsTheEffectiveConfigurationAndExits) {
    const std::string example = (source_dir() / "docs" / "server.toml").string();
    ChildProcess print(server_args({"--config", example, "--tick-rate", "30", "--print-config"}));
    ASSERT_TRUE(print.started());
    ASSERT_EQ(print.wait_for_exit(20s), 0) << print.output();
    const std::string& out = print.output();
    EXPECT_NE(out.find("tick_rate = 30  # command line --tick-rate"), std::string::npos) << out;
    EXPECT_TRUE(std::regex_search(out, std::regex("server_name = \"Friday LAN\"  # .*docs/server\\.toml:\\d+")))
        << out;
    EXPECT_NE(out.find("max_peers = 2048  # default"), std::string::npos) << out;
    EXPECT_NE(out.find("# password = (set, not shown)"), std::string::npos) << out;
    EXPECT_EQ(out.find("friday"), std::string::npos) << "the password is printed";
    EXPECT_EQ(out.find("change me"), std::string::npos) << "the admin password is printed";
    EXPECT_EQ(out.find("lobby on TCP"), std::string::npos) << "the server started";
}

TEST(ServerConfigCli, EveryMistakeStopsTheServerWithOneLineNamingTheKey) {
    TempDir dir;
    struct Case {
        std::string file;
        std::vector<std::string> flags;
        std::string line; // the whole output, after "skirmish-server: <file>:"
    };
    const std::vector<Case> cases = {
        {"tick_rat = 60\n", {}, "1: unknown key 'tick_rat': did you mean 'tick_rate'? (docs/OPERATIONS.md lists every key)"},
        {"port = 0\ntick_rate = 500\n", {}, "2: tick_rate: 500 is outside 10..128"},
        {"delta = \"sometimes\"\n", {}, "1: delta must be \"on\" or \"off\", not a string"},
        {"max_peers = \"many\"\n", {}, "1: max_peers must be a whole number, not a string"},
        {"map_rotation = [\"arena\", \"nowhere\"]\n", {}, "1: map_rotation: there is no map 'nowhere' in "},
        {"motd = \"ok\"\npassword = \"" + std::string(80, 'x') + "\"\n", {}, "2: password: must be at most 64 bytes"},
        {"port = = 1\n", {}, "1:"},
        {"tick_rate = 30\n", {"--snapshot-rate", "60"}, ""},
    };
    for (const auto& c : cases) {
        const std::string config = dir.file("bad.toml", c.file);
        std::vector<std::string> args{"--config", config, "--port", "0", "--bind", "127.0.0.1"};
        args.insert(args.end(), c.flags.begin(), c.flags.end());
        ChildProcess server(server_args(args));
        ASSERT_TRUE(server.started());
        EXPECT_EQ(server.wait_for_exit(20s), 2) << c.file << server.output();
        const std::string& out = server.output();
        EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << "one line:\n" << out;
        EXPECT_EQ(out.find("lobby on TCP"), std::string::npos) << "it started:\n" << out;
        if (c.line.empty()) {
            EXPECT_EQ(out, "skirmish-server: --snapshot-rate: 60 snapshots per second is more than the tick rate (30)\n");
        } else {
            EXPECT_EQ(out.rfind("skirmish-server: " + config + ":" + c.line, 0), 0u) << out;
        }
    }
}

TEST(ServerConfigCli, SighupAppliesWhatMayChangeLogsItAndKeepsTheRest) {
    TempDir dir;
    const std::string base = "port = 0\nbind = \"127.0.0.1\"\nlog_level = \"info\"\n";
    const std::string config = dir.file("server.toml", base + "server_name = \"Before\"\nmotd = \"first\"\n"
                                                              "tick_rate = 60\n");
    ChildProcess server(server_args({"--config", config}));
    ASSERT_TRUE(server.started());
    const auto port = wait_for_port(server);
    ASSERT_NE(port, 0);
    auto first = join(port, "early");
    ASSERT_TRUE(first) << first.error().text;
    EXPECT_EQ(first->motd, std::vector<std::string>{"first"});

    dir.file("server.toml", base + "server_name = \"After\"\nmotd = \"second\\nline\"\ntick_rate = 30\n"
                                   "password = \"pw\"\n");
    kill(server.pid(), SIGHUP);
    ASSERT_TRUE(server.wait_for(std::regex(R"(config reload from .*server\.toml: server_name "Before" -> "After"; )"
                                           R"(tick_rate 60 -> 30 needs a restart \(still 60\); motd "first" -> )"
                                           R"("second\\nline"; password changed)"),
                                20s))
        << server.output();
    auto no_password = join(port, "late");
    ASSERT_FALSE(no_password);
    EXPECT_EQ(no_password.error().code, pl::ErrorCode::WrongPassword);
    auto second = join(port, "later", "pw");
    ASSERT_TRUE(second) << second.error().text;
    EXPECT_EQ(second->server_name, "After");
    EXPECT_EQ(second->motd, (std::vector<std::string>{"second", "line"}));
    EXPECT_EQ(second->tick_rate_hz, 60) << "the tick rate needs a restart";

    // A broken file changes nothing, and the server goes on.
    dir.file("server.toml", base + "server_name = \"Broken\"\ntick_rat = 30\n");
    kill(server.pid(), SIGHUP);
    ASSERT_TRUE(server.wait_for(std::regex("config reload failed, nothing changed: .*server\\.toml:5: unknown key "
                                           "'tick_rat'"),
                                20s))
        << server.output();
    auto still = join(port, "still", "pw");
    ASSERT_TRUE(still) << still.error().text;
    EXPECT_EQ(still->server_name, "After");

    server.stop(SIGTERM);
    EXPECT_EQ(server.exit_status(), 0) << server.output();
}

TEST(ServerConfigCli, HashAdminPasswordMakesAHashTheConfigAccepts) {
    ChildProcess hash({"/bin/sh", "-c", std::string("echo 'correct horse' | ") + SKIRMISH_SERVER_BINARY +
                                            " --hash-admin-password"});
    ASSERT_TRUE(hash.started());
    ASSERT_EQ(hash.wait_for_exit(30s), 0) << hash.output();
    std::smatch m;
    const std::string out = hash.output();
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"((\$argon2id\$\S+))"))) << out;
    EXPECT_EQ(out.find("correct horse"), std::string::npos);

    TempDir dir;
    const std::string config = dir.file("server.toml", "admin_password = \"" + m[1].str() + "\"\n");
    ChildProcess print(server_args({"--config", config, "--print-config"}));
    ASSERT_TRUE(print.started());
    EXPECT_EQ(print.wait_for_exit(20s), 0) << print.output();
    EXPECT_NE(print.output().find("# admin_password = (set, not shown)"), std::string::npos) << print.output();
}
