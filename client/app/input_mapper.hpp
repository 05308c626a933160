// client/app/input_mapper.hpp
//
// Turns what is held down (keys by scancode, mouse buttons) and where the
// mouse points into the client core's InputIntent for this frame: movement
// from the four move actions (diagonals no faster than straight lines), aim
// from the player towards the mouse in world units, fire and dash.
//
// IMPORTANT: pure: the caller collects SDL's events into HeldInput; nothing
// here reads SDL or a clock. While the player types (chat, menus) nothing is held.
#pragma once

#include "client/app/bindings.hpp"
#include "client/core/game_client.hpp"
#include "shared/sim/types.hpp"

#include <bitset>

namespace skirmish::app {

struct HeldInput {
    std::bitset<kInputCodes> down;
    void press(InputCode code) {
        if (code < kInputCodes) down.set(code);
    }
    void release(InputCode code) {
        if (code < kInputCodes) down.reset(code);
    }
    void clear() { down.reset(); }
    bool held(InputCode code) const { return code != kUnbound && code < kInputCodes && down.test(code); }
};

bool held(const Bindings& bindings, Action action, const HeldInput& input);

struct AimPoint {
    sim::Vec2 from; // the player, world units
    sim::Vec2 to;   // the mouse, world units
};

// `previous_aim` is kept when the mouse is on the player (no direction).
client::InputIntent make_intent(const Bindings& bindings, const HeldInput& input, const AimPoint& aim,
                                std::uint16_t previous_aim);

} // namespace skirmish::app
