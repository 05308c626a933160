// server/results_link.hpp
//
// The seam between the server's halves and its results database
// (server/results/, --db): the game port hands over every finished match, the
// lobby asks for stats and recent matches to answer GetStats and
// GetRecentMatches. Neither half links SQLite; both see only these interfaces.
//
// IMPORTANT: ResultsRecorder::record_match is called on the tick thread and
// must return at once (the database is written on a thread of its own).
// IMPORTANT: ResultsSource is called on the lobby thread only.
#pragma once

#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/match_types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace skirmish::server {

// One player's line in a finished match.
struct MatchRecordLine {
    std::uint32_t player_id = 0;
    std::string name;
    std::uint32_t place = 0; // 1-based position on the scoreboard
    std::int32_t frags = 0;
    std::int32_t deaths = 0;
    std::uint32_t shots = 0; // rifle shots fired
    std::uint32_t hits = 0;  // of them, shots that hit a player
    bool won = false;        // see docs/OPERATIONS.md, "Results and stats"
};

// A finished match, as the game port saw it end.
struct MatchRecord {
    std::uint32_t match_id = 0; // the lobby's id: unique in one run of the server only
    std::uint32_t room_id = 0;
    std::string map;
    protocol::MatchEndReason reason = protocol::MatchEndReason::FragLimit;
    std::uint64_t started_unix_ms = 0;
    std::uint64_t ended_unix_ms = 0;
    double duration_s = 0;
    std::uint32_t tick_rate_hz = 0;
    std::uint32_t max_players = 0;
    std::uint32_t frag_limit = 0;
    std::uint32_t time_limit_s = 0;
    std::vector<MatchRecordLine> players; // scoreboard order
};

// What the results database has done since start (logged at exit, in /metrics).
struct ResultsCounters {
    std::uint64_t written = 0;   // matches stored
    std::uint64_t dropped = 0;   // matches dropped: the queue was full
    std::uint64_t errors = 0;    // inserts that failed (a full disk, ...)
    double last_insert_ms = 0;   // the last insert's time, in ms
    double max_insert_ms = 0;
};

class ResultsRecorder {
public:
    virtual ~ResultsRecorder() = default;
    // Queues the match to be stored; never blocks (a full queue drops and counts it).
    virtual void record_match(MatchRecord record) = 0;
};

class ResultsSource {
public:
    virtual ~ResultsSource() = default;
    // The answers to the lobby's requests, already capped to a page.
    virtual protocol::lobby::Stats stats(const protocol::lobby::GetStats& request) = 0;
    virtual protocol::lobby::RecentMatches recent_matches(const protocol::lobby::GetRecentMatches& request) = 0;
};

} // namespace skirmish::server
