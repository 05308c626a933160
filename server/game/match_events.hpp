// server/game/match_events.hpp
//
// What the game port writes to the event log (docs/OPERATIONS.md, "The event
// log"): match_start, player_joined, player_left, kill and match_end, with
// their fields; and the stable snake_case names of the reasons those events
// and /metrics carry (reject_label() is skirmish_rejections_total's reason).
//
// IMPORTANT: tick thread only (they read a Match). A null EventLog writes
// nothing. The names here are the product's interface: add, never rename.
#pragma once

#include "server/events/event_log.hpp"
#include "server/game/match.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/sim/step.hpp"

#include <cstdint>
#include <string_view>

namespace skirmish::server {

std::string_view event_name(protocol::MatchEndReason reason); // "frag_limit", "time_limit", ...
std::string_view event_name(protocol::LeaveReason reason);    // "left", "timed_out", ...
std::string_view reject_label(protocol::RejectReason reason); // "bad_token", "token_expired", ...

void emit_match_start(EventLog* log, const Match& match, const MatchOrder& order);
// A spectator's comings and goings are "spectator_joined" and "spectator_left" (same fields).
void emit_player_joined(EventLog* log, const Match& match, sim::PlayerId player_id, std::string_view name,
                        bool spectator = false);
void emit_player_left(EventLog* log, const Match& match, sim::PlayerId player_id, std::string_view name,
                      protocol::LeaveReason reason, bool spectator = false);
// One kill of this tick's step: where both were, and how far back the shot
// that made it was checked (lag compensation), in ms.
void emit_kill(EventLog* log, const Match& match, const sim::KillEvent& kill, const sim::StepEvents& events);
void emit_match_end(EventLog* log, const Match& match, const protocol::MatchResults& results);

} // namespace skirmish::server
