// Administration as a host and a remote admin use it, on the real binaries:
// skirmish-server's console on a pseudo-terminal (its standard input is a
// terminal, so the console is on without --console) and skirmish-admin
// through the lobby port. A kicked player sees why; a ban (remote) refuses
// the name at Hello with the reason and its end; unban lets it in; an
// address ban refuses everyone from it; a wrong admin password is answered,
// and a run of them is rate-limited; `quit` stops the server; a ban survives
// a restart on the same database; `reload` reads the config file again and
// says what changed; every action is in the event log.
#include "app_sdl/child_process.hpp"
#include "lobby_test_support.hpp"
#include "server/config/admin_password.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace skirmish;
using namespace skirmish::test;
namespace fs = std::filesystem;

namespace {

constexpr auto kWait = std::chrono::seconds(30);
const std::regex kListening(R"(lobby on TCP and game on UDP port (\d+)\D)");
constexpr const char* kPassword = "correct horse";

// A pseudo-terminal: the server's standard input is its slave side, the test
// types on the master side.
class Terminal {
public:
    Terminal() {
        master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0)
            throw std::runtime_error("no pseudo-terminal");
        slave_ = ptsname(master_);
    }
    ~Terminal() { close(master_); }
    const std::string& slave() const { return slave_; }
    void type(const std::string& line) {
        const std::string text = line + "\n";
        ASSERT_EQ(write(master_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }

private:
    int master_ = -1;
    std::string slave_;
};

// skirmish-server with standard input from `terminal` (sh redirects it, then execs the server).
ChildProcess start_server(const TempDir& dir, const Terminal& terminal) {
    return ChildProcess({"/bin/sh", "-c", "exec \"$0\" \"$@\" < " + terminal.slave(), SKIRMISH_SERVER_BINARY,
                         "--config", dir.file("server.toml"), "--port", "0", "--bind", "127.0.0.1", "--discovery",
                         "off", "--db", dir.file("results.sqlite"), "--event-log", dir.file("events.jsonl"),
                         "--log-level", "info"});
}

std::uint16_t port_of(ChildProcess& server) {
    auto listening = server.wait_for(kListening, kWait);
    return listening ? static_cast<std::uint16_t>(std::stoi((*listening)[1].str())) : 0;
}

struct AdminRun {
    int status = -1;
    std::string output;
};
AdminRun run_admin(std::uint16_t port, const std::string& password, std::vector<std::string> command) {
    std::vector<std::string> argv{SKIRMISH_ADMIN_BINARY, "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), command.begin(), command.end());
    ChildProcess tool(argv, {"SKIRMISH_ADMIN_PASSWORD=" + password});
    const auto status = tool.wait_for_exit(kWait);
    return {status.value_or(-1), tool.output()};
}

// Hello as `name`: the Error that refused it, or nothing if it was welcomed.
std::optional<client::Disconnected> refused(std::uint16_t port, const std::string& name) {
    client::BlockingLobbyClient c(client_config(name));
    auto welcome = c.connect("127.0.0.1", port);
    if (welcome) return std::nullopt;
    return welcome.error();
}

} // namespace

TEST(AdminCli, ConsoleAndRemoteAdminKickBanUnbanAndTheBanSurvivesARestart) {
    TempDir dir("skirmish-admin-cli");
    auto hash = server::hash_admin_password(kPassword);
    ASSERT_TRUE(hash) << hash.error();
    std::ofstream(dir.file("server.toml")) << "admin_password = \"" << *hash << "\"\n";
    {
        Terminal terminal;
        ChildProcess server = start_server(dir, terminal);
        const std::uint16_t port = port_of(server);
        ASSERT_NE(port, 0) << server.output();
        ASSERT_TRUE(server.wait_for(std::regex("console: type 'help'"), kWait)) << server.output();

        // The console: players, then a kick the player sees the reason of.
        auto griefer = welcomed(port, "Griefer");
        terminal.type("players");
        ASSERT_TRUE(server.wait_for(std::regex(R"(\d+ Griefer 127\.0\.0\.1 - -)"), kWait)) << server.output();
        terminal.type("kick griefer spamming the lobby");
        auto kicked = griefer->wait_for_disconnect();
        ASSERT_TRUE(kicked);
        EXPECT_EQ(kicked->code, pl::ErrorCode::Kicked);
        EXPECT_NE(kicked->text.find("kicked by an administrator: spamming the lobby"), std::string::npos)
            << kicked->text;
        terminal.type("frobnicate");
        EXPECT_TRUE(server.wait_for(std::regex("error: unknown command 'frobnicate': type 'help'"), kWait));

        // Remote: a ban refuses the name (any case) at Hello, with the reason and its end.
        const AdminRun ban = run_admin(port, kPassword, {"ban", "griefer", "30m", "cheating"});
        ASSERT_EQ(ban.status, 0) << ban.output;
        EXPECT_NE(ban.output.find("banned griefer until"), std::string::npos) << ban.output;
        auto banned = refused(port, "GRIEFER");
        ASSERT_TRUE(banned);
        EXPECT_EQ(banned->code, pl::ErrorCode::Banned);
        EXPECT_NE(banned->text.find("this name is banned from this server until"), std::string::npos) << banned->text;
        EXPECT_NE(banned->text.find("(in 30 min): cheating"), std::string::npos) << banned->text;
        const AdminRun unban = run_admin(port, kPassword, {"unban", "Griefer"});
        ASSERT_EQ(unban.status, 0) << unban.output;
        EXPECT_FALSE(refused(port, "griefer"));

        // The console: an address ban removes whoever plays from it and refuses the next.
        auto player = welcomed(port, "bystander");
        terminal.type("ban 127.0.0.1 2h flooding");
        auto removed = player->wait_for_disconnect();
        ASSERT_TRUE(removed);
        EXPECT_EQ(removed->code, pl::ErrorCode::Banned);
        auto by_address = refused(port, "newcomer");
        ASSERT_TRUE(by_address);
        EXPECT_NE(by_address->text.find("your address is banned"), std::string::npos) << by_address->text;
        EXPECT_NE(by_address->text.find("flooding"), std::string::npos) << by_address->text;
        terminal.type("unban 127.0.0.1");
        ASSERT_TRUE(server.wait_for(std::regex("unbanned 127.0.0.1"), kWait)) << server.output();

        // A ban for the restart.
        const AdminRun keep = run_admin(port, kPassword, {"ban", "camper", "1h", "camping", "spawns"});
        ASSERT_EQ(keep.status, 0) << keep.output;

        // Remote `reload`: the file again, as SIGHUP reads it, and what changed.
        std::ofstream(dir.file("server.toml")) << "admin_password = \"" << *hash << "\"\nserver_name = \"Friday LAN\"\n";
        const AdminRun reload = run_admin(port, kPassword, {"reload"});
        ASSERT_EQ(reload.status, 0) << reload.output;
        EXPECT_TRUE(std::regex_search(reload.output, std::regex(R"(config reload from .*server\.toml: server_name .* -> "?Friday LAN)")))
            << reload.output;

        // Wrong passwords: answered, then refused without a check.
        AdminRun wrong = run_admin(port, "incorrect horse", {"status"});
        EXPECT_EQ(wrong.status, 1);
        EXPECT_NE(wrong.output.find("wrong admin password"), std::string::npos) << wrong.output;
        bool limited = false;
        for (int attempt = 0; attempt < 12 && !limited; ++attempt) {
            wrong = run_admin(port, "incorrect horse", {"status"});
            EXPECT_EQ(wrong.status, 1);
            limited = wrong.output.find("too many admin password attempts") != std::string::npos;
        }
        EXPECT_TRUE(limited) << wrong.output;

        terminal.type("quit");
        const auto status = server.wait_for_exit(kWait);
        ASSERT_TRUE(status) << server.output();
        EXPECT_EQ(*status, 0) << server.output();
    }
    {
        // The same database after a restart: the ban holds.
        Terminal terminal;
        ChildProcess server = start_server(dir, terminal);
        const std::uint16_t port = port_of(server);
        ASSERT_NE(port, 0) << server.output();
        EXPECT_TRUE(server.wait_for(std::regex(R"(bans: table bans in .*results\.sqlite, 1 in force)"), kWait))
            << server.output();
        auto banned = refused(port, "Camper");
        ASSERT_TRUE(banned);
        EXPECT_EQ(banned->code, pl::ErrorCode::Banned);
        EXPECT_NE(banned->text.find("camping spawns"), std::string::npos) << banned->text;
        server.stop();
    }
    // Every admin action and refusal is in the event log.
    std::ifstream events(dir.file("events.jsonl"));
    std::map<std::string, int> actions;
    int wrong_passwords = 0, refused_bans = 0, reloads = 0;
    for (std::string line; std::getline(events, line);) {
        const auto event = nlohmann::json::parse(line);
        if (event["type"] == "admin_action") ++actions[event["action"].get<std::string>()];
        if (event["type"] == "admin_refused" && event["why"] == "wrong_password") ++wrong_passwords;
        if (event["type"] == "ban_refused") ++refused_bans;
        if (event["type"] == "config_reloaded") ++reloads;
    }
    EXPECT_EQ(actions["kick"], 1);
    EXPECT_EQ(actions["ban"], 3);
    EXPECT_EQ(actions["unban"], 2);
    EXPECT_EQ(actions["quit"], 1);
    EXPECT_EQ(actions["reload"], 1);
    EXPECT_EQ(reloads, 1);
    EXPECT_GE(wrong_passwords, 1);
    EXPECT_EQ(refused_bans, 3);
}
