// server/results/results_db.hpp
//
// The results database (--db FILE; docs/OPERATIONS.md, "Results and stats"):
// one SQLite connection to a file in WAL mode whose schema is versioned by
// PRAGMA user_version and brought up to date by migration steps in order.
// Tables: matches (one row per finished match), match_players (one row per
// player's line in it) and player_stats (per-name totals, kept in the same
// transaction as the match, so the leaderboard is one indexed read); bans
// (schema 2) for server/admin/ban_list.cpp.
//
// IMPORTANT: one ResultsDb per thread (a connection is not shared). A
// database of a newer schema than this build knows is refused, never written.
// IMPORTANT: insert() is one transaction: after a crash (kill -9) a match is
// either stored whole or not at all.
#pragma once

#include "server/results_link.hpp"
#include "shared/util/result.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace skirmish::server {

// The schema this build writes; migration step N takes user_version N-1 to N.
inline constexpr int kResultsSchemaVersion = 2;

class ResultsDb {
public:
    enum class Mode : std::uint8_t { ReadWrite, ReadOnly };
    // Opens (ReadWrite: creates, with its folder) and migrates. The error is
    // one line for a person: the file, what is wrong and what to do.
    static util::Result<std::unique_ptr<ResultsDb>, std::string> open(const std::string& path, Mode mode);

    // Stores one finished match and its lines, and adds them to player_stats.
    // Returns the match's id (matches.id).
    util::Result<std::int64_t, std::string> insert(const MatchRecord& record);

    // The leaderboard page, or one name's line; capped to kMaxStatsPage.
    protocol::lobby::Stats stats(const protocol::lobby::GetStats& request);
    // Finished matches, newest first; capped to kMaxMatchesPage.
    protocol::lobby::RecentMatches recent_matches(const protocol::lobby::GetRecentMatches& request);

    int schema_version();
    // The connection itself, for the table bans (server/admin/ban_list.cpp).
    SQLite::Database& connection() { return *db_; }
    // "ok", or what SQLite's PRAGMA integrity_check found.
    std::string integrity_check();

private:
    explicit ResultsDb(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
    std::unique_ptr<SQLite::Database> db_;
};

// The file --db names by default: results.sqlite in the server's data folder,
// $XDG_DATA_HOME/skirmish/skirmish-server/ (else ~/.local/share/...; else the
// working directory).
std::string default_results_path();

} // namespace skirmish::server
