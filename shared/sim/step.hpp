// shared/sim/step.hpp
//
// The one function that advances a match. The server runs it for every match
// on every tick; the client runs it to predict its own player. Same World +
// same inputs + same Rules → identical World (tests/sim/determinism_test).
//
// IMPORTANT: pure. No clocks, no I/O, no randomness: time is World::tick, and
// everything else comes in as arguments.
#pragma once

#include "shared/sim/history.hpp"
#include "shared/sim/input.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/world.hpp"

#include <optional>
#include <span>
#include <vector>

namespace skirmish::sim {

struct ShotEvent {
    PlayerId shooter{};
    Vec2 from;
    Vec2 to;                     // where the shot stopped (wall, edge, target or range)
    std::optional<PlayerId> hit; // who it hit, if anyone (a spawn-protected player stops it but is not hit)
    Tick rewind_ticks = 0;       // how far back the targets were checked (lag compensation); 0: as they are now
};

struct KillEvent {
    PlayerId killer{};
    PlayerId victim{};
};

struct StepEvents {
    std::vector<ShotEvent> shots;
    std::vector<KillEvent> kills;
    std::vector<PlayerId> respawns;
    // Set on the one step that ended the match, to why it ended (rules.hpp). A
    // frag limit reached on the tick the time runs out counts as the frag limit.
    std::optional<EndReason> match_over;

    bool empty() const noexcept { return shots.empty() && kills.empty() && respawns.empty() && !match_over; }
};

// Advances `world` by exactly one tick of 1/rules.tick_rate_hz seconds.
//
// `inputs` holds at most one input per player for this tick (World::tick before
// the step); players without one keep their aim and neither move nor fire.
// Inputs for unknown players are ignored; later duplicates for one player are
// ignored. With `history` (the server), the world is recorded into it and, if
// rules.lag_compensation, shots are checked against where targets were at the
// shooter's view tick; without it (client prediction), against where they are now.
//
// Order within a tick: respawns, then inputs (aim, dash, acceleration and
// friction), movement through walls, player separation, quantisation, then
// every shot at once against the same positions (two players can trade kills),
// damage and deaths, and last the frag and time limits. A player who spawned
// (or respawned) less than rules.spawn_protection_s ago and has not fired since
// is protected: shots stop at it but do no damage and count no hit.
StepEvents step(World& world, std::span<const PlayerInput> inputs, const Rules& rules,
                PositionHistory* history = nullptr);

} // namespace skirmish::sim
