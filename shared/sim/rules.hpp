// shared/sim/rules.hpp
//
// The numbers that define how Skirmish plays. Physical constants are per
// second; the tick rate is a parameter (10 to 128 Hz), and every duration is
// converted to whole ticks here, in one place, so a match at 20 Hz and one at
// 128 Hz play the same game at different resolutions.
#pragma once

#include "shared/sim/types.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <string>

namespace skirmish::sim {

inline constexpr int kMinTickRateHz = 10;
inline constexpr int kMaxTickRateHz = 128;

// Why the rules ended a match (Rules::frag_limit, Rules::time_limit_s): what
// step() reports in StepEvents::match_over. The server adds reasons of its own
// (everyone left, shutdown) in protocol::MatchEndReason.
enum class EndReason : std::uint8_t { FragLimit, TimeLimit };

struct Rules {
    int tick_rate_hz = 60;

    // Movement (units, units/s, units/s^2).
    float player_radius = 14.0f;
    float max_speed = 280.0f;
    float acceleration = 2800.0f;
    float friction = 8.0f;    // per second: how quickly speed bleeds off
    float stop_speed = 100.0f; // friction acts as if at least this fast, so players stop crisply
    float dash_speed = 900.0f;
    float dash_duration_s = 0.12f;
    float dash_cooldown_s = 1.5f;

    // Rifle: hitscan.
    float rifle_range = 2000.0f;
    int rifle_damage = 25;
    float fire_cooldown_s = 0.2f;

    // Life and match.
    int max_health = 100;
    float respawn_delay_s = 2.0f;
    // Spawn protection: a player who (re)spawns takes no damage for this long,
    // or until it fires, whichever comes first. 0 switches it off.
    float spawn_protection_s = 1.5f;
    int frag_limit = 20;   // 0: no frag limit
    int time_limit_s = 300; // 0: no time limit

    // Lag compensation: how far back a shot may be checked (see history.hpp).
    // max_rewind_ms caps the network latency compensated; the client's
    // interpolation delay is compensated on top, up to max_interp_ms (the way
    // Source adds cl_interp to a latency capped by sv_maxunlag). The latency
    // is what separates the view a shot was aimed in from the tick it is
    // stepped at: the round trip plus the input lead (at 5 % loss the lead
    // holds three extra copies of each input); the interpolation delay is two
    // snapshot intervals plus twice the jitter of their arrival. The server
    // runs with 300 + 150 ms (server::GameConfig), which covers the P3 profile
    // (150 ms RTT, 25 ms jitter, 5 % loss), measured at 370-385 ms, with room
    // for a busy machine (docs/NETCODE.md). These defaults stay what rules
    // version 2 was fingerprinted and its demos recorded with.
    bool lag_compensation = true;
    int max_rewind_ms = 200;
    int max_interp_ms = 100;

    // --- derived ---
    float dt() const noexcept { return 1.0f / static_cast<float>(tick_rate_hz); }
    // Whole ticks covering `seconds`, at least 1 for any positive duration.
    Tick ticks(float seconds) const noexcept;
    Tick max_rewind_ticks() const noexcept {
        return ticks(static_cast<float>(max_rewind_ms + max_interp_ms) / 1000.0f);
    }
    Tick time_limit_ticks() const noexcept {
        return static_cast<Tick>(time_limit_s) * static_cast<Tick>(tick_rate_hz);
    }
    // The fastest any player can move: what collision must never tunnel at.
    float top_speed() const noexcept { return dash_speed > max_speed ? dash_speed : max_speed; }
};

// Checks every field is in its documented range. The error names the field.
util::Result<util::Ok, std::string> validate_rules(const Rules& rules);

} // namespace skirmish::sim
