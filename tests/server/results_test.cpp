// The results database (server/results/, --db) without the server: a new
// file is created in WAL mode at the current schema, an older one migrated and
// a newer one refused, a file that is not a database is one clear error; a
// match is stored whole with its lines, counts towards per-name stats (ranked
// by wins, frags, name) and shows among the recent matches, pages capped;
// ResultsStore writes on its own thread and flushes.
#include "server/results/results_store.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <SQLiteCpp/Database.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace skirmish;
namespace pl = protocol::lobby;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

server::MatchRecord match(std::uint32_t id, std::uint64_t ended_ms,
                          std::vector<std::tuple<std::string, int, int, bool>> lines) {
    server::MatchRecord r;
    r.match_id = id;
    r.room_id = 1;
    r.map = "arena";
    r.reason = protocol::MatchEndReason::FragLimit;
    r.started_unix_ms = ended_ms - 60'000;
    r.ended_unix_ms = ended_ms;
    r.duration_s = 60;
    r.tick_rate_hz = 60;
    r.max_players = 8;
    r.frag_limit = 20;
    r.time_limit_s = 300;
    std::uint32_t place = 0;
    for (const auto& [name, frags, deaths, won] : lines) {
        r.players.push_back({++place, name, place, frags, deaths, static_cast<std::uint32_t>(frags * 3),
                             static_cast<std::uint32_t>(frags), won});
    }
    return r;
}

} // namespace

TEST(ResultsDb, ANewFileIsCreatedWithItsFolderInWalModeAtTheCurrentSchema) {
    TempDir dir("skirmish-results");
    const std::string path = dir.file("data/skirmish/results.sqlite");
    auto db = server::ResultsDb::open(path, server::ResultsDb::Mode::ReadWrite);
    ASSERT_TRUE(db) << db.error();
    EXPECT_EQ((*db)->schema_version(), server::kResultsSchemaVersion);
    EXPECT_EQ((*db)->integrity_check(), "ok");
    SQLite::Database raw(path);
    EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('matches', 'match_players', "
                             "'player_stats')")
                  .getInt(),
              3);
}

TEST(ResultsDb, AMatchIsStoredWholeAndCountsTowardsEachNamesStats) {
    TempDir dir("skirmish-results");
    auto db = server::ResultsDb::open(dir.file("r.sqlite"), server::ResultsDb::Mode::ReadWrite).value();
    ASSERT_TRUE(db->insert(match(1, 1'700'000'000'000, {{"ada", 5, 1, true}, {"bob", 2, 5, false}})));
    ASSERT_TRUE(db->insert(match(2, 1'700'000'100'000, {{"bob", 5, 0, true}, {"cy", 5, 2, true}, {"ada", 0, 9, false}})));

    const pl::Stats top = db->stats({0, 10, ""});
    ASSERT_TRUE(top.available);
    EXPECT_EQ(top.total_players, 3u);
    ASSERT_EQ(top.players.size(), 3u);
    // ada and bob have one win each; bob has more frags. cy: one win, 5 frags, after ada's 5 by name.
    EXPECT_EQ(top.players[0], (pl::PlayerStats{"bob", 1, 2, 1, 7, 5, 21, 7}));
    EXPECT_EQ(top.players[1], (pl::PlayerStats{"ada", 2, 2, 1, 5, 10, 15, 5}));
    EXPECT_EQ(top.players[2], (pl::PlayerStats{"cy", 3, 1, 1, 5, 2, 15, 5}));

    const pl::Stats page = db->stats({1, 1, ""});
    ASSERT_EQ(page.players.size(), 1u);
    EXPECT_EQ(page.players[0].name, "ada");
    EXPECT_EQ(page.players[0].rank, 2u);
    const pl::Stats one = db->stats({0, 1, "cy"});
    ASSERT_EQ(one.players.size(), 1u);
    EXPECT_EQ(one.players[0].rank, 3u);
    EXPECT_TRUE(db->stats({0, 1, "nobody"}).players.empty());

    const pl::RecentMatches recent = db->recent_matches({0, 10});
    ASSERT_TRUE(recent.available);
    EXPECT_EQ(recent.total_matches, 2u);
    ASSERT_EQ(recent.matches.size(), 2u);
    EXPECT_EQ(recent.matches[0].ended_unix_s, 1'700'000'100u) << "newest first";
    ASSERT_EQ(recent.matches[0].players.size(), 3u);
    EXPECT_EQ(recent.matches[0].players[2], (pl::MatchLine{"ada", 0, 9, 0, 0, false}));
    EXPECT_EQ(recent.matches[1].map, "arena");
    EXPECT_EQ(recent.matches[1].reason, protocol::MatchEndReason::FragLimit);
}

TEST(ResultsDb, PagesAreCappedWhateverTheRequestSays) {
    TempDir dir("skirmish-results");
    auto db = server::ResultsDb::open(dir.file("r.sqlite"), server::ResultsDb::Mode::ReadWrite).value();
    for (std::uint32_t i = 0; i < 30; ++i) {
        std::vector<std::tuple<std::string, int, int, bool>> lines;
        for (int p = 0; p < 2; ++p) lines.emplace_back("p" + std::to_string(i * 2 + p), p, 1, p == 0);
        ASSERT_TRUE(db->insert(match(i + 1, 1'700'000'000'000 + i, lines)));
    }
    EXPECT_EQ(db->stats({0, 255, ""}).players.size(), pl::kMaxStatsPage);
    EXPECT_EQ(db->recent_matches({0, 255}).matches.size(), pl::kMaxMatchesPage);
    EXPECT_EQ(db->recent_matches({25, 20}).matches.size(), 5u);
}

TEST(ResultsDb, AnUnversionedFileIsMigratedAndANewerSchemaIsRefused) {
    TempDir dir("skirmish-results");
    const std::string path = dir.file("r.sqlite");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE unrelated (x)"); // version 0: a file no migration has touched
    }
    auto migrated = server::ResultsDb::open(path, server::ResultsDb::Mode::ReadWrite);
    ASSERT_TRUE(migrated) << migrated.error();
    EXPECT_EQ((*migrated)->schema_version(), server::kResultsSchemaVersion);
    migrated = util::fail(std::string("closed"));
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version=" + std::to_string(server::kResultsSchemaVersion + 1));
    }
    auto newer = server::ResultsDb::open(path, server::ResultsDb::Mode::ReadWrite);
    ASSERT_FALSE(newer);
    EXPECT_NE(newer.error().find("newer than this server knows"), std::string::npos) << newer.error();
    EXPECT_EQ(newer.error().find('\n'), std::string::npos) << "one line";
}

TEST(ResultsDb, AFileThatIsNotADatabaseIsOneClearError) {
    TempDir dir("skirmish-results");
    const std::string path = dir.file("r.sqlite");
    std::ofstream(path) << std::string(8192, 'x');
    auto garbage = server::ResultsDb::open(path, server::ResultsDb::Mode::ReadWrite);
    ASSERT_FALSE(garbage);
    EXPECT_NE(garbage.error().find("is not a usable SQLite database"), std::string::npos) << garbage.error();
    EXPECT_EQ(garbage.error().find('\n'), std::string::npos) << "one line";
}

TEST(ResultsDb, AFolderThatCannotBeWrittenIsOneClearError) {
    if (geteuid() == 0) GTEST_SKIP() << "root writes into a read-only folder: this needs an ordinary user";
    TempDir dir("skirmish-results");
    fs::create_directory(dir.path() / "ro");
    fs::permissions(dir.path() / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    auto read_only = server::ResultsDb::open(dir.file("ro/r.sqlite"), server::ResultsDb::Mode::ReadWrite);
    ASSERT_FALSE(read_only);
    EXPECT_NE(read_only.error().find("cannot open the results database"), std::string::npos) << read_only.error();
    EXPECT_NE(read_only.error().find("--db"), std::string::npos) << "says what to do";
}

TEST(ResultsStore, StoresQueuedMatchesOnItsThreadAndAnswersTheLobby) {
    TempDir dir("skirmish-results");
    auto store = server::ResultsStore::open(dir.file("r.sqlite"), util::Logger("results", util::LogLevel::Off));
    ASSERT_TRUE(store) << store.error();
    for (std::uint32_t i = 1; i <= 5; ++i)
        (*store)->record_match(match(i, 1'700'000'000'000 + i, {{"ada", 1, 0, true}, {"bob", 0, 1, false}}));
    ASSERT_TRUE((*store)->flush(std::chrono::seconds(20)));
    const auto counters = (*store)->counters();
    EXPECT_EQ(counters.written, 5u);
    EXPECT_EQ(counters.dropped + counters.errors, 0u);
    EXPECT_GT(counters.max_insert_ms, 0.0);
    const pl::Stats stats = (*store)->stats({0, 10, "ada"});
    ASSERT_EQ(stats.players.size(), 1u);
    EXPECT_EQ(stats.players[0].wins, 5u);
    EXPECT_EQ((*store)->recent_matches({0, 3}).total_matches, 5u);
}
