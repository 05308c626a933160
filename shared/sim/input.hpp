// shared/sim/input.hpp
//
// One player's intent for one tick. Values arrive from the network, so step()
// treats every field as untrusted and clamps it (move to the unit disc, aim
// modulo a turn, view tick to the rewind window).
#pragma once

#include "shared/sim/types.hpp"

#include <cstdint>

namespace skirmish::sim {

namespace buttons {
inline constexpr std::uint8_t kFire = 1u << 0;
inline constexpr std::uint8_t kDash = 1u << 1;
inline constexpr std::uint8_t kAll = kFire | kDash;
} // namespace buttons

inline constexpr int kMoveAxisMax = 127;

struct PlayerInput {
    PlayerId player{};
    std::int8_t move_x = 0; // -127..127, +x right
    std::int8_t move_y = 0; // -127..127, +y down (screen convention)
    std::uint16_t aim = 0;  // 1/4096 turns
    std::uint8_t buttons = 0;
    // The tick of the world the player was looking at when this input was made
    // (interpolated remote players), plus a fraction in 1/256ths towards the
    // next tick: where lag compensation checks this input's shot.
    Tick view_tick = 0;
    std::uint8_t view_fraction = 0;

    friend bool operator==(const PlayerInput&, const PlayerInput&) = default;
};

} // namespace skirmish::sim
