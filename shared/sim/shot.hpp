// shared/sim/shot.hpp
//
// What one shot of the hitscan rifle meets: the nearest of the walls, the
// rifle's range and the living targets on its ray. step() runs it on the
// server (against the targets as the shooter saw them, lag compensation) and
// the client runs the very same function against what it drew, so the two
// verdicts can differ only by what each had to look at, never by the test.
//
// IMPORTANT: pure, like the rest of sim: the same arguments give the same
// answer on every build (the floating-point contract of docs/NETCODE.md).
#pragma once

#include "shared/sim/history.hpp"
#include "shared/sim/map.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/types.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace skirmish::sim {

struct ShotTrace {
    float distance = 0;               // from the muzzle to where the shot stopped
    std::optional<PlayerId> victim;   // the player it hit, if any
};

// The direction of an aim (1/4096 turns), as the rifle fires along it.
Vec2 aim_direction(std::uint16_t aim) noexcept;

// The shot of `shooter` from `from` along `aim`. Targets that are not alive,
// and the shooter itself, are passed through. A target exactly as far as a
// wall is not hit; two targets exactly as far go to the lower id. A
// spawn-protected target stops the shot like any other: that it is then no
// hit is step()'s call, judged at the step (docs/RULES.md).
ShotTrace trace_shot(const Map& map, const Rules& rules, PlayerId shooter, Vec2 from, std::uint16_t aim,
                     std::span<const PastPlayer> targets) noexcept;

} // namespace skirmish::sim
