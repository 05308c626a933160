// skirmish-server --db as a host runs it, with real skirmish-bots playing
// quick duels (frag limit 1 on a small map, so a match takes about a second):
// a finished match is stored and served through the lobby (GetStats,
// GetRecentMatches); kill -9 in the middle of the next match loses nothing
// already written and leaves a database that passes PRAGMA integrity_check;
// a restart on the same file keeps the stats; a match cut by SIGTERM is
// stored with end_reason server_shutdown; a database that cannot be opened
// stops the server with one line.
#include "app_sdl/child_process.hpp"
#include "lobby_test_support.hpp"
#include "server/results/results_db.hpp"
#include "support/temp_dir.hpp"

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <fstream>

using namespace skirmish;
using namespace skirmish::test;
namespace fs = std::filesystem;

namespace {

constexpr auto kWait = std::chrono::seconds(30);
const std::regex kListening(R"(lobby on TCP and game on UDP port (\d+)\D)");

// A data folder with a small map in it: two spawns in plain sight of each
// other, so bots score within a second.
class ResultsDir : public TempDir {
public:
    ResultsDir() : TempDir("skirmish-results-cli") {
        fs::create_directory(path() / "maps");
        std::ofstream(path() / "maps" / "duel.json")
            << R"({"name": "duel", "width": 400, "height": 256, "walls": [],
                  "spawns": [{"x": 60, "y": 128}, {"x": 340, "y": 128}]})";
    }
};

ChildProcess start_server(const ResultsDir& dir, int frag_limit) {
    return ChildProcess({SKIRMISH_SERVER_BINARY, "--port", "0", "--bind", "127.0.0.1", "--discovery", "off", "--maps",
                         dir.file("maps"), "--db", dir.file("results.sqlite"), "--room-frag-limit",
                         std::to_string(frag_limit), "--log-level", "info"});
}

std::uint16_t port_of(ChildProcess& server) {
    auto listening = server.wait_for(kListening, kWait);
    if (!listening) return 0;
    return static_cast<std::uint16_t>(std::stoi((*listening)[1].str()));
}

ChildProcess start_bots(std::uint16_t port) {
    return ChildProcess({SKIRMISH_BOTS_BINARY, "--server", "127.0.0.1:" + std::to_string(port), "--bots", "2",
                         "--room-size", "2", "--duration", "60", "--log-level", "warn"});
}

// Asks the lobby for its recent matches until `enough` of them are stored.
std::optional<pl::RecentMatches> wait_for_matches(client::BlockingLobbyClient& c, std::uint32_t enough) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < deadline) {
        c.send(pl::GetRecentMatches{0, 20});
        auto recent = c.wait_for<pl::RecentMatches>();
        if (!recent) return std::nullopt;
        if (recent->total_matches >= enough) return recent;
        c.wait_for<pl::Pong>(std::chrono::milliseconds(200)); // nothing comes: a bounded pause between asks
    }
    return std::nullopt;
}

} // namespace

TEST(ResultsCli, AFinishedMatchSurvivesKill9MidMatchARestartAndAShutdownCutIsStoredAsSuch) {
    ResultsDir dir;
    {
        ChildProcess server = start_server(dir, 1);
        const std::uint16_t port = port_of(server);
        ASSERT_NE(port, 0) << server.output();
        ChildProcess bots = start_bots(port);
        client::BlockingLobbyClient watcher(client_config("watcher"));
        ASSERT_TRUE(watcher.connect("127.0.0.1", port).has_value());

        auto recent = wait_for_matches(watcher, 1);
        ASSERT_TRUE(recent) << server.output();
        ASSERT_TRUE(recent->available);
        const pl::MatchSummary& first = recent->matches.back();
        EXPECT_EQ(first.map, "duel");
        EXPECT_EQ(first.reason, protocol::MatchEndReason::FragLimit);
        ASSERT_EQ(first.players.size(), 2u);
        EXPECT_TRUE(first.players[0].won);
        EXPECT_EQ(first.players[0].frags, 1);
        EXPECT_GE(first.players[0].shots, first.players[0].hits);
        EXPECT_GE(first.players[0].hits, 1u);

        watcher.send(pl::GetStats{0, 10, ""});
        auto stats = watcher.wait_for<pl::Stats>();
        ASSERT_TRUE(stats);
        ASSERT_EQ(stats->players.size(), 2u);
        EXPECT_EQ(stats->players[0].rank, 1u);
        EXPECT_GE(stats->players[0].wins, 1u);

        // The next match starts; kill -9 while it runs.
        ASSERT_TRUE(server.wait_for(std::regex(R"(match (\d+) \(room \d+\) started)"), kWait));
        const auto before_kill = recent->total_matches;
        ASSERT_TRUE(server.wait_for(std::regex(fmt::format(R"(match {} \(room \d+\) started)", before_kill + 1)), kWait))
            << server.output();
        server.stop(SIGKILL);
        ASSERT_EQ(server.exit_status(), 128 + SIGKILL);
        bots.stop(SIGKILL);

        auto db = server::ResultsDb::open(dir.file("results.sqlite"), server::ResultsDb::Mode::ReadOnly);
        ASSERT_TRUE(db) << db.error();
        EXPECT_EQ((*db)->integrity_check(), "ok");
        const auto after = (*db)->recent_matches({0, 20});
        EXPECT_GE(after.total_matches, before_kill) << "nothing already written is lost";
        EXPECT_EQ(after.matches.back().id, first.id);
        EXPECT_EQ(after.matches.back().players, first.players);
    }
    {
        // A restart on the same file: the stats are still there; this run's
        // match never ends by the rules (frag limit 100) and is cut by SIGTERM.
        ChildProcess server = start_server(dir, 100);
        const std::uint16_t port = port_of(server);
        ASSERT_NE(port, 0) << server.output();
        client::BlockingLobbyClient watcher(client_config("watcher"));
        ASSERT_TRUE(watcher.connect("127.0.0.1", port).has_value());
        watcher.send(pl::GetStats{0, 1, "bot-0001"});
        auto stats = watcher.wait_for<pl::Stats>();
        ASSERT_TRUE(stats);
        ASSERT_EQ(stats->players.size(), 1u);
        EXPECT_GE(stats->players[0].matches, 1u);

        ChildProcess bots = start_bots(port);
        // The bots play on several threads, so either may join first: wait
        // for both, or the cut match could hold one player.
        for (const char* bot : {"bot-0001", "bot-0002"})
            ASSERT_TRUE(server.wait_for(std::regex(fmt::format(R"(player \d+ '{}' joined match)", bot)), kWait))
                << server.output();
        server.stop(SIGTERM);
        EXPECT_EQ(server.exit_status(), 0) << server.output();
        bots.stop(SIGKILL);
    }
    SQLite::Database raw(dir.file("results.sqlite"));
    EXPECT_EQ(raw.execAndGet("SELECT end_reason FROM matches ORDER BY id DESC LIMIT 1").getString(), "server_shutdown");
    EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM match_players WHERE match_id = (SELECT max(id) FROM matches)").getInt(),
              2);
    EXPECT_EQ(raw.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST(ResultsCli, ADatabaseThatCannotBeOpenedStopsTheServerWithOneLine) {
    ResultsDir dir;
    std::ofstream(dir.file("garbage.sqlite")) << std::string(8192, 'x');
    ChildProcess server({SKIRMISH_SERVER_BINARY, "--port", "0", "--bind", "127.0.0.1", "--discovery", "off", "--db",
                         dir.file("garbage.sqlite")});
    EXPECT_EQ(server.wait_for_exit(kWait), 1);
    EXPECT_NE(server.output().find("skirmish-server: db: the results database " + dir.file("garbage.sqlite") +
                                   " is not a usable SQLite database"),
              std::string::npos)
        << server.output();
}
