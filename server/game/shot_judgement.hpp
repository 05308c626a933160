// server/game/shot_judgement.hpp
//
// What a shooter is told of each of its shots (protocol::ShotJudged): the
// target as the server checked it. The targets are chosen exactly as step()
// chose them: with lag compensation, the position history at the shooter's
// view tick (clamped to the rewind window, the fraction kept only when the
// view was not clamped), else the world as it is after the step's movement.
//
// IMPORTANT: call right after the step that fired the shot, before the next
// records into the history; pure otherwise.
#pragma once

#include "shared/protocol/control_codec.hpp"
#include "shared/sim/history.hpp"
#include "shared/sim/input.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/step.hpp"
#include "shared/sim/world.hpp"

#include <optional>

namespace skirmish::server {

// The judged target of `shot`, fired at step `tick` with `input`: the player
// it hit, else the living player nearest its line within kNearLine player
// radii; nothing when nobody was near.
inline constexpr float kNearLine = 6.0f;
std::optional<protocol::ShotJudged> judge_shot(const sim::ShotEvent& shot, const sim::PlayerInput& input,
                                               sim::Tick tick, const sim::World& world,
                                               const sim::PositionHistory& history, const sim::Rules& rules);

} // namespace skirmish::server
