// server/results/results_db.cpp
#include "server/results/results_db.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace skirmish::server {

namespace pl = protocol::lobby;

namespace {

// Migration step N takes user_version N-1 to N, in one transaction with the
// version bump. Steps are only ever appended; a released step never changes.
constexpr std::array<const char*, kResultsSchemaVersion> kMigrations = {
    // 1: the first schema.
    R"sql(
CREATE TABLE matches (
  id               INTEGER PRIMARY KEY,
  server_match_id  INTEGER NOT NULL,
  room_id          INTEGER NOT NULL,
  map              TEXT    NOT NULL,
  end_reason       TEXT    NOT NULL CHECK (end_reason IN
                     ('frag_limit', 'time_limit', 'not_enough_players', 'server_shutdown')),
  started_at_ms    INTEGER NOT NULL,
  ended_at_ms      INTEGER NOT NULL,
  duration_s       REAL    NOT NULL,
  tick_rate        INTEGER NOT NULL,
  max_players      INTEGER NOT NULL,
  frag_limit       INTEGER NOT NULL,
  time_limit_s     INTEGER NOT NULL
);
CREATE INDEX matches_by_end ON matches (ended_at_ms);
CREATE TABLE match_players (
  match_id   INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
  player_id  INTEGER NOT NULL,
  name       TEXT    NOT NULL,
  place      INTEGER NOT NULL,
  frags      INTEGER NOT NULL,
  deaths     INTEGER NOT NULL,
  shots      INTEGER NOT NULL,
  hits       INTEGER NOT NULL,
  won        INTEGER NOT NULL CHECK (won IN (0, 1)),
  PRIMARY KEY (match_id, player_id)
);
CREATE INDEX match_players_by_name ON match_players (name);
CREATE TABLE player_stats (
  name            TEXT PRIMARY KEY,
  matches         INTEGER NOT NULL,
  wins            INTEGER NOT NULL,
  frags           INTEGER NOT NULL,
  deaths          INTEGER NOT NULL,
  shots           INTEGER NOT NULL,
  hits            INTEGER NOT NULL,
  last_played_ms  INTEGER NOT NULL
);
CREATE INDEX player_stats_by_rank ON player_stats (wins DESC, frags DESC, name);
)sql",
    // 2: bans (server/bans/ban_list.hpp; docs/OPERATIONS.md, "Administration").
    R"sql(
CREATE TABLE bans (
  kind        TEXT    NOT NULL CHECK (kind IN ('name', 'address')),
  target      TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  banned_by   TEXT    NOT NULL,
  created_ms  INTEGER NOT NULL,
  expires_ms  INTEGER NOT NULL,
  PRIMARY KEY (kind, target)
);
)sql",
};

const char* reason_text(protocol::MatchEndReason reason) {
    switch (reason) {
    case protocol::MatchEndReason::FragLimit: return "frag_limit";
    case protocol::MatchEndReason::TimeLimit: return "time_limit";
    case protocol::MatchEndReason::NotEnoughPlayers: return "not_enough_players";
    case protocol::MatchEndReason::ServerShutdown: return "server_shutdown";
    }
    return "server_shutdown";
}

protocol::MatchEndReason reason_of(const std::string& text) {
    if (text == "frag_limit") return protocol::MatchEndReason::FragLimit;
    if (text == "time_limit") return protocol::MatchEndReason::TimeLimit;
    if (text == "not_enough_players") return protocol::MatchEndReason::NotEnoughPlayers;
    return protocol::MatchEndReason::ServerShutdown;
}

std::uint32_t clamp_u32(std::int64_t v) {
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, 0xffffffffLL));
}

std::string what_to_do(const std::string& path, const SQLite::Exception& e) {
    switch (e.getErrorCode()) {
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return fmt::format("cannot open the results database {}: {}: check that its folder exists and is writable "
                           "by this user, or pick another file with --db (--db off runs without one)",
                           path, e.what());
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return fmt::format("the results database {} is not a usable SQLite database ({}): restore it from a backup, "
                           "or move it away to start a new one (docs/OPERATIONS.md, \"Results and stats\")",
                           path, e.what());
    default: return fmt::format("the results database {}: {}", path, e.what());
    }
}

pl::PlayerStats read_player(SQLite::Statement& q, std::uint32_t rank) {
    pl::PlayerStats p;
    p.name = q.getColumn(0).getString();
    p.rank = rank;
    p.matches = clamp_u32(q.getColumn(1).getInt64());
    p.wins = clamp_u32(q.getColumn(2).getInt64());
    p.frags = clamp_u32(q.getColumn(3).getInt64());
    p.deaths = clamp_u32(q.getColumn(4).getInt64());
    p.shots = clamp_u32(q.getColumn(5).getInt64());
    p.hits = std::min(clamp_u32(q.getColumn(6).getInt64()), p.shots);
    p.wins = std::min(p.wins, p.matches);
    return p;
}

constexpr const char* kStatsColumns = "name, matches, wins, frags, deaths, shots, hits";

} // namespace

util::Result<std::unique_ptr<ResultsDb>, std::string> ResultsDb::open(const std::string& path, Mode mode) {
    try {
        if (mode == Mode::ReadWrite) {
            const auto folder = std::filesystem::path(path).parent_path();
            std::error_code ec;
            if (!folder.empty()) std::filesystem::create_directories(folder, ec);
            if (ec)
                return util::fail(fmt::format("cannot create the folder of the results database {}: {}: pick another "
                                              "file with --db (--db off runs without one)",
                                              path, ec.message()));
        }
        const int flags = mode == Mode::ReadWrite ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE : SQLite::OPEN_READONLY;
        auto db = std::make_unique<SQLite::Database>(path, flags, 5000);
        // Reading the schema is the first thing that touches the file's bytes:
        // a file that is not a database fails here.
        const int version = db->execAndGet("PRAGMA user_version").getInt();
        if (version > kResultsSchemaVersion)
            return util::fail(fmt::format("the results database {} has schema version {}, newer than this server "
                                          "knows ({}): it was written by a newer skirmish-server; run that, or pick "
                                          "another file with --db",
                                          path, version, kResultsSchemaVersion));
        if (mode == Mode::ReadWrite) {
            // WAL: a reader never waits for the writer, and a commit is one
            // append to the log; FULL syncs it, so a commit survives power loss too.
            const std::string journal = db->execAndGet("PRAGMA journal_mode=WAL").getString();
            if (journal != "wal")
                return util::fail(fmt::format("the results database {} cannot use WAL mode (journal mode stays "
                                              "'{}'): put it on a local file system, or pick another file with --db",
                                              path, journal));
            db->exec("PRAGMA synchronous=FULL");
            db->exec("PRAGMA foreign_keys=ON");
            for (int step = version; step < kResultsSchemaVersion; ++step) {
                SQLite::Transaction migration(*db);
                db->exec(kMigrations[static_cast<std::size_t>(step)]);
                db->exec(fmt::format("PRAGMA user_version={}", step + 1));
                migration.commit();
            }
        } else if (version < kResultsSchemaVersion) {
            return util::fail(fmt::format("the results database {} has schema version {}, older than this server's "
                                          "({}): open it read-write once to migrate it",
                                          path, version, kResultsSchemaVersion));
        }
        return std::unique_ptr<ResultsDb>(new ResultsDb(std::move(db)));
    } catch (const SQLite::Exception& e) {
        return util::fail(what_to_do(path, e));
    }
}

util::Result<std::int64_t, std::string> ResultsDb::insert(const MatchRecord& r) {
    try {
        SQLite::Transaction tx(*db_);
        SQLite::Statement match(*db_, "INSERT INTO matches (server_match_id, room_id, map, end_reason, started_at_ms, "
                                      "ended_at_ms, duration_s, tick_rate, max_players, frag_limit, time_limit_s) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        match.bind(1, static_cast<std::int64_t>(r.match_id));
        match.bind(2, static_cast<std::int64_t>(r.room_id));
        match.bind(3, r.map);
        match.bind(4, reason_text(r.reason));
        match.bind(5, static_cast<std::int64_t>(r.started_unix_ms));
        match.bind(6, static_cast<std::int64_t>(r.ended_unix_ms));
        match.bind(7, r.duration_s);
        match.bind(8, static_cast<std::int64_t>(r.tick_rate_hz));
        match.bind(9, static_cast<std::int64_t>(r.max_players));
        match.bind(10, static_cast<std::int64_t>(r.frag_limit));
        match.bind(11, static_cast<std::int64_t>(r.time_limit_s));
        match.exec();
        const std::int64_t id = db_->getLastInsertRowid();
        SQLite::Statement line(*db_, "INSERT INTO match_players (match_id, player_id, name, place, frags, deaths, "
                                     "shots, hits, won) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        SQLite::Statement totals(
            *db_, "INSERT INTO player_stats (name, matches, wins, frags, deaths, shots, hits, last_played_ms) "
                  "VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET matches = matches + 1, "
                  "wins = wins + ?2, frags = frags + ?3, deaths = deaths + ?4, shots = shots + ?5, hits = hits + ?6, "
                  "last_played_ms = ?7");
        for (const MatchRecordLine& p : r.players) {
            line.bind(1, id);
            line.bind(2, static_cast<std::int64_t>(p.player_id));
            line.bind(3, p.name);
            line.bind(4, static_cast<std::int64_t>(p.place));
            line.bind(5, p.frags);
            line.bind(6, p.deaths);
            line.bind(7, static_cast<std::int64_t>(p.shots));
            line.bind(8, static_cast<std::int64_t>(p.hits));
            line.bind(9, p.won ? 1 : 0);
            line.exec();
            line.reset();
            totals.bind(1, p.name);
            totals.bind(2, p.won ? 1 : 0);
            totals.bind(3, std::max(p.frags, 0));
            totals.bind(4, std::max(p.deaths, 0));
            totals.bind(5, static_cast<std::int64_t>(p.shots));
            totals.bind(6, static_cast<std::int64_t>(p.hits));
            totals.bind(7, static_cast<std::int64_t>(r.ended_unix_ms));
            totals.exec();
            totals.reset();
        }
        tx.commit();
        return id;
    } catch (const SQLite::Exception& e) {
        return util::fail(fmt::format("storing match {} failed: {}", r.match_id, e.what()));
    }
}

pl::Stats ResultsDb::stats(const pl::GetStats& request) {
    pl::Stats out;
    try {
        out.total_players = clamp_u32(db_->execAndGet("SELECT count(*) FROM player_stats").getInt64());
        if (!request.name.empty()) {
            SQLite::Statement q(*db_, fmt::format("SELECT {} FROM player_stats WHERE name = ?", kStatsColumns));
            q.bind(1, request.name);
            if (q.executeStep()) {
                SQLite::Statement better(*db_, "SELECT count(*) FROM player_stats WHERE wins > ?1 OR (wins = ?1 AND "
                                               "(frags > ?2 OR (frags = ?2 AND name < ?3)))");
                better.bind(1, q.getColumn(2).getInt64());
                better.bind(2, q.getColumn(3).getInt64());
                better.bind(3, request.name);
                better.executeStep();
                out.players.push_back(read_player(q, clamp_u32(better.getColumn(0).getInt64() + 1)));
            }
        } else {
            const auto count = std::min<std::size_t>(std::max<std::uint8_t>(request.count, 1), pl::kMaxStatsPage);
            SQLite::Statement q(*db_, fmt::format("SELECT {} FROM player_stats ORDER BY wins DESC, frags DESC, name "
                                                  "LIMIT ? OFFSET ?",
                                                  kStatsColumns));
            q.bind(1, static_cast<std::int64_t>(count));
            q.bind(2, static_cast<std::int64_t>(request.first));
            std::uint32_t rank = request.first;
            while (q.executeStep()) out.players.push_back(read_player(q, ++rank));
        }
        out.available = true;
    } catch (const SQLite::Exception&) {
        out = {};
    }
    return out;
}

pl::RecentMatches ResultsDb::recent_matches(const pl::GetRecentMatches& request) {
    pl::RecentMatches out;
    try {
        out.total_matches = clamp_u32(db_->execAndGet("SELECT count(*) FROM matches").getInt64());
        const auto count = std::min<std::size_t>(std::max<std::uint8_t>(request.count, 1), pl::kMaxMatchesPage);
        SQLite::Statement q(*db_, "SELECT id, map, end_reason, ended_at_ms, duration_s FROM matches "
                                  "ORDER BY ended_at_ms DESC, id DESC LIMIT ? OFFSET ?");
        q.bind(1, static_cast<std::int64_t>(count));
        q.bind(2, static_cast<std::int64_t>(request.first));
        SQLite::Statement lines(*db_, "SELECT name, frags, deaths, shots, hits, won FROM match_players "
                                      "WHERE match_id = ? ORDER BY place LIMIT ?");
        while (q.executeStep()) {
            pl::MatchSummary& m = out.matches.emplace_back();
            m.id = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
            m.map = q.getColumn(1).getString();
            m.reason = reason_of(q.getColumn(2).getString());
            m.ended_unix_s = static_cast<std::uint64_t>(std::max<std::int64_t>(q.getColumn(3).getInt64(), 0) / 1000);
            m.duration_s = static_cast<float>(q.getColumn(4).getDouble());
            lines.bind(1, q.getColumn(0).getInt64());
            lines.bind(2, static_cast<std::int64_t>(protocol::kMaxRoomPlayers));
            while (lines.executeStep()) {
                pl::MatchLine& l = m.players.emplace_back();
                l.name = lines.getColumn(0).getString();
                l.frags = static_cast<std::int16_t>(std::clamp<std::int64_t>(lines.getColumn(1).getInt64(), -32768, 32767));
                l.deaths = static_cast<std::int16_t>(std::clamp<std::int64_t>(lines.getColumn(2).getInt64(), -32768, 32767));
                l.shots = clamp_u32(lines.getColumn(3).getInt64());
                l.hits = std::min(clamp_u32(lines.getColumn(4).getInt64()), l.shots);
                l.won = lines.getColumn(5).getInt() != 0;
            }
            lines.reset();
        }
        out.available = true;
    } catch (const SQLite::Exception&) {
        out = {};
    }
    return out;
}

int ResultsDb::schema_version() { return db_->execAndGet("PRAGMA user_version").getInt(); }

std::string ResultsDb::integrity_check() {
    try {
        return db_->execAndGet("PRAGMA integrity_check").getString();
    } catch (const SQLite::Exception& e) {
        return e.what();
    }
}

std::string default_results_path() {
    namespace fs = std::filesystem;
    fs::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) base = fs::path(home) / ".local" / "share";
    else return "results.sqlite";
    return (base / "skirmish" / "skirmish-server" / "results.sqlite").string();
}

} // namespace skirmish::server
