// The player ids and the shot the sim and client-core tests share: a
// shooter and its target, our own player and another, and a shot fired at
// an angle. One definition, so a test binary's files can compile as one
// translation unit (SKIRMISH_UNITY_TESTS); a file brings in the names it
// uses with `using skirmish::test::kShooter;`.
// IMPORTANT: ids and inputs only; what a test does with them stays in it.
#pragma once

#include "shared/sim/input.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/types.hpp"

namespace skirmish::test {

inline constexpr sim::PlayerId kShooter{1};
inline constexpr sim::PlayerId kTarget{2};
inline constexpr sim::PlayerId kSelf{1};
inline constexpr sim::PlayerId kOther{2};

// One tick's input for `id`: the rifle fired at `radians`, nothing else.
inline sim::PlayerInput fire_at(sim::PlayerId id, float radians) {
    sim::PlayerInput in;
    in.player = id;
    in.aim = sim::aim_from_radians(radians);
    in.buttons = sim::buttons::kFire;
    return in;
}

} // namespace skirmish::test
