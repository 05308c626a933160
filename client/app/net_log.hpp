// client/app/net_log.hpp
//
// --net-log FILE: what the client sees, one JSON object per line, once a
// second (and at once when the screen changes), so a test or a student can
// follow a session without looking at the window. Keys (stable, documented
// in docs/CLIENT.md): t, screen, ping_ms, snapshots_per_s, snapshot_loss_pct,
// down_bytes_per_s, up_bytes_per_s, interp_delay_ms, corrections, fps, plus
// the lobby state, the newest problem and match figures, and issue 12's:
// profile and seed of the conditions, shots, client_hits,
// confirmed_client_hits, hit_agreement_pct, phantom_hits, extrapolated_pct,
// snaps_per_min (the same names as the bots' report).
//
// IMPORTANT: main thread only. A write that fails stops the log (once, with a
// warning); it never stops the client.
#pragma once

#include "client/core/hit_agreement.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/log.hpp"

#include <cstdint>
#include <fstream>
#include <map>
#include <string>

namespace skirmish::app {

struct NetLogLine {
    double t = 0; // seconds since the client started
    std::string screen; // connect, lobby, room, match, scoreboard
    std::string lobby_state;
    std::string server;
    std::string name;
    std::string problem;
    std::uint32_t room_id = 0;
    std::uint32_t match_id = 0;
    int players_seen = 0;
    bool spectating = false;          // watching the match (no player of our own)
    std::string spectator_camera;     // then: "overview", "follow" or "free"
    std::uint32_t followed = 0;       // the player the spectator camera follows (0: none)
    int frags = 0;  // the own player's score in the match (the snapshot's)
    int deaths = 0;
    double ping_ms = 0;
    double snapshots_per_s = 0;
    double snapshot_loss_pct = 0;
    std::uint64_t snapshots_received = 0;
    std::uint64_t snapshots_undecodable = 0;
    double down_bytes_per_s = 0;
    double up_bytes_per_s = 0;
    double interp_delay_ms = 0;
    bool extrapolating = false;
    std::uint64_t corrections = 0;
    double fps = 0;
    // Sound: whether a device is open, and the sounds asked for so far by name.
    bool audio = false;
    std::map<std::string, std::uint64_t> sounds;
    // The overlay on top of the screen: "", "menu" or "settings".
    std::string overlay;
    // A demo played back (screen "playback"): written as the object "demo".
    std::string demo; // its file name; empty: no demo, no "demo" key
    std::uint64_t demo_tick = 0;
    std::uint64_t demo_end_tick = 0;
    bool demo_playing = false;
    double demo_speed = 1;
    std::string demo_camera;
    std::uint64_t demo_kills = 0;
    std::uint64_t demo_shots = 0; // compared shots (--view)
    std::uint64_t demo_refused = 0;
    // Issue 12's figures of this match so far, and the conditions' profile.
    std::string profile; // "P3", or empty: none
    std::uint64_t seed = 0;
    client::HitCounts hits;
    double extrapolated_pct = 0;
    double snaps_per_min = 0;
};

// One line of JSON (no trailing newline).
std::string to_json(const NetLogLine& line);

class NetLog {
public:
    // Opens (truncates) `path`; an empty path is a log that writes nothing.
    NetLog(const std::string& path, util::Logger log);
    bool open() const noexcept { return out_.is_open(); }
    void write(const NetLogLine& line);

private:
    std::ofstream out_;
    std::string path_;
    util::Logger log_;
};

} // namespace skirmish::app
