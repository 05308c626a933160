// server/game/demo_recording.hpp
//
// --record-dir: a demo of every match (docs/DEMO.md). start_recording() names
// the file DIR/<match id>-<UTC time>.skdemo, fills its header from the match
// and the server's settings, and hands the recorder to the Match, which
// feeds it from then on (join, leave, step, end).
//
// IMPORTANT: tick thread; the wall-clock time comes in as a value. A demo
// that cannot be written is logged, and the match is played without it.
#pragma once

#include "server/game/match.hpp"
#include "shared/util/log.hpp"

#include <cstdint>
#include <string>

namespace skirmish::server {

struct RecordingOptions {
    std::string dir;              // empty: no demos
    int snapshot_rate_hz = 0;     // for the header: what clients were sent
    int state_interval_ticks = 0; // a full State record this often; 0: once a second
};

// "<match id>-<YYYYMMDDTHHMMSSZ>.skdemo" for a match started at unix_ms.
std::string demo_file_name(protocol::MatchId match_id, std::uint64_t unix_ms);

// Starts recording `match` (which has not stepped yet). Returns false, after
// logging why, if the file cannot be created.
bool start_recording(Match& match, const RecordingOptions& options, std::uint64_t unix_ms, const util::Logger& log);

// Checks --record-dir at start-up: creates it if missing, and proves it is
// writable. The error says what to do.
util::Result<util::Ok, std::string> prepare_record_dir(const std::string& dir);

} // namespace skirmish::server
