// server/game/match_events.cpp
#include "server/game/match_events.hpp"

#include <cmath>

namespace skirmish::server {

namespace {

double rounded(float value) { return std::round(static_cast<double>(value) * 100.0) / 100.0; }

EventFields player_at(sim::PlayerId player_id, std::string_view name, sim::Vec2 at) {
    EventFields p = EventFields::object();
    p["player_id"] = sim::to_int(player_id);
    p["name"] = name;
    p["x"] = rounded(at.x);
    p["y"] = rounded(at.y);
    return p;
}

} // namespace

std::string_view event_name(protocol::MatchEndReason reason) {
    switch (reason) {
    case protocol::MatchEndReason::FragLimit: return "frag_limit";
    case protocol::MatchEndReason::TimeLimit: return "time_limit";
    case protocol::MatchEndReason::NotEnoughPlayers: return "not_enough_players";
    case protocol::MatchEndReason::ServerShutdown: return "server_shutdown";
    }
    return "unknown";
}

std::string_view event_name(protocol::LeaveReason reason) {
    switch (reason) {
    case protocol::LeaveReason::Left: return "left";
    case protocol::LeaveReason::TimedOut: return "timed_out";
    case protocol::LeaveReason::Kicked: return "kicked";
    case protocol::LeaveReason::MatchEnded: return "match_ended";
    case protocol::LeaveReason::ServerShutdown: return "server_shutdown";
    case protocol::LeaveReason::Rejected: return "rejected";
    }
    return "unknown";
}

std::string_view reject_label(protocol::RejectReason reason) {
    switch (reason) {
    case protocol::RejectReason::BadMessage: return "bad_message";
    case protocol::RejectReason::WrongProtocolVersion: return "wrong_protocol_version";
    case protocol::RejectReason::BadToken: return "bad_token";
    case protocol::RejectReason::TokenExpired: return "token_expired";
    case protocol::RejectReason::TokenReused: return "token_reused";
    case protocol::RejectReason::MatchNotFound: return "match_not_found";
    case protocol::RejectReason::MatchFull: return "match_full";
    case protocol::RejectReason::TokenDeadline: return "token_deadline";
    case protocol::RejectReason::ServerShuttingDown: return "server_shutting_down";
    case protocol::RejectReason::TokenWithdrawn: return "token_withdrawn";
    }
    return "unknown";
}

void emit_match_start(EventLog* log, const Match& match, const MatchOrder& order) {
    if (!log) return;
    const auto& s = match.settings();
    EventFields f = EventFields::object();
    f["match_id"] = protocol::to_int(match.id());
    f["room_id"] = protocol::to_int(match.room_id());
    f["map"] = s.map;
    f["max_players"] = s.max_players;
    f["frag_limit"] = s.frag_limit;
    f["time_limit_s"] = s.time_limit_s;
    f["tick_rate"] = match.rules().tick_rate_hz;
    f["players"] = EventFields::array();
    for (const MatchPlayer& p : order.players)
        f["players"].push_back({{"player_id", sim::to_int(p.player_id)}, {"name", p.name}});
    log->emit("match_start", std::move(f));
}

void emit_player_joined(EventLog* log, const Match& match, sim::PlayerId player_id, std::string_view name,
                        bool spectator) {
    if (!log) return;
    EventFields f = EventFields::object();
    f["match_id"] = protocol::to_int(match.id());
    f["player_id"] = sim::to_int(player_id);
    f["name"] = name;
    f["tick"] = match.world().tick;
    log->emit(spectator ? "spectator_joined" : "player_joined", std::move(f));
}

void emit_player_left(EventLog* log, const Match& match, sim::PlayerId player_id, std::string_view name,
                      protocol::LeaveReason reason, bool spectator) {
    if (!log) return;
    EventFields f = EventFields::object();
    f["match_id"] = protocol::to_int(match.id());
    f["player_id"] = sim::to_int(player_id);
    f["name"] = name;
    f["reason"] = event_name(reason);
    f["tick"] = match.world().tick;
    log->emit(spectator ? "spectator_left" : "player_left", std::move(f));
}

void emit_kill(EventLog* log, const Match& match, const sim::KillEvent& kill, const sim::StepEvents& events) {
    if (!log) return;
    const sim::ShotEvent* shot = nullptr;
    for (const sim::ShotEvent& s : events.shots) {
        if (s.shooter == kill.killer && s.hit == kill.victim) shot = &s;
    }
    const sim::Player* killer = match.world().find(kill.killer);
    const sim::Player* victim = match.world().find(kill.victim);
    const sim::Vec2 killer_at = shot ? shot->from : killer ? killer->position : sim::Vec2{};
    const int tick_rate = match.rules().tick_rate_hz;
    EventFields f = EventFields::object();
    f["match_id"] = protocol::to_int(match.id());
    f["tick"] = match.world().tick - 1; // the tick the shot was fired on
    f["killer"] = player_at(kill.killer, match.player_name(kill.killer), killer_at);
    f["victim"] = player_at(kill.victim, match.player_name(kill.victim), victim ? victim->position : sim::Vec2{});
    if (shot) f["hit"] = {{"x", rounded(shot->to.x)}, {"y", rounded(shot->to.y)}};
    f["rewind_ms"] = shot ? static_cast<std::int64_t>(std::lround(1000.0 * shot->rewind_ticks / tick_rate)) : 0;
    log->emit("kill", std::move(f));
}

void emit_match_end(EventLog* log, const Match& match, const protocol::MatchResults& results) {
    if (!log) return;
    EventFields f = EventFields::object();
    f["match_id"] = results.match_id;
    f["room_id"] = results.room_id;
    f["map"] = match.settings().map;
    f["reason"] = event_name(results.reason);
    f["duration_s"] = std::round(static_cast<double>(results.duration_s) * 1000.0) / 1000.0;
    f["scoreboard"] = EventFields::array();
    for (const protocol::PlayerScore& s : results.scores)
        f["scoreboard"].push_back(
            {{"player_id", s.player_id}, {"name", s.name}, {"frags", s.frags}, {"deaths", s.deaths}});
    log->emit("match_end", std::move(f));
}

} // namespace skirmish::server
