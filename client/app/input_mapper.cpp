// client/app/input_mapper.cpp
#include "client/app/input_mapper.hpp"

#include "shared/sim/quantise.hpp"

#include <cmath>

namespace skirmish::app {

bool held(const Bindings& bindings, Action action, const HeldInput& input) {
    const Binding& b = bindings[action];
    return input.held(b.primary) || input.held(b.secondary);
}

client::InputIntent make_intent(const Bindings& bindings, const HeldInput& input, const AimPoint& aim,
                                std::uint16_t previous_aim) {
    client::InputIntent intent;
    const int x = (held(bindings, Action::MoveRight, input) ? 1 : 0) - (held(bindings, Action::MoveLeft, input) ? 1 : 0);
    const int y = (held(bindings, Action::MoveDown, input) ? 1 : 0) - (held(bindings, Action::MoveUp, input) ? 1 : 0);
    // 127 on one axis; 90 on both (127 / sqrt 2): a diagonal is no faster.
    const int magnitude = (x != 0 && y != 0) ? 90 : 127;
    intent.move_x = static_cast<std::int8_t>(x * magnitude);
    intent.move_y = static_cast<std::int8_t>(y * magnitude);
    const float dx = aim.to.x - aim.from.x;
    const float dy = aim.to.y - aim.from.y;
    intent.aim = (dx * dx + dy * dy) < 1e-6f ? previous_aim : sim::aim_from_radians(std::atan2(dy, dx));
    intent.fire = held(bindings, Action::Fire, input);
    intent.dash = held(bindings, Action::Dash, input);
    return intent;
}

} // namespace skirmish::app
