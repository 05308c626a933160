// server/game/matches.cpp
#include "server/game/matches.hpp"

#include "server/game/demo_recording.hpp"
#include "server/game/match_events.hpp"
#include "shared/protocol/match_types.hpp"

namespace skirmish::server {

using protocol::LeaveReason;
using protocol::MatchEndReason;

Matches::Matches(const GameConfig& config, std::vector<sim::Map> maps, Sessions& sessions, ServerFigures& figures,
                 util::Logger log, std::function<std::uint64_t()> unix_ms)
    : config_(config),
      base_rules_(config.base_rules),
      sessions_(sessions),
      figures_(figures),
      log_(std::move(log)),
      unix_ms_(std::move(unix_ms)) {
    base_rules_.lag_compensation = config.lag_compensation;
    base_rules_.max_rewind_ms = config.max_rewind_ms;
    base_rules_.max_interp_ms = config.max_interp_ms;
    for (auto& map : maps) {
        const std::string name = map.name;
        maps_.emplace(name, std::make_shared<const sim::Map>(std::move(map)));
    }
}

// --- start ------------------------------------------------------------------------

void Matches::queue(MatchOrder order) { orders_.push(std::move(order)); }

void Matches::start_ordered(util::TimePoint now) {
    orders_.drain(orders_scratch_);
    for (MatchOrder& order : orders_scratch_) {
        auto map = maps_.find(order.settings.map);
        if (map == maps_.end() || matches_.count(order.match_id)) {
            log_.error("lobby asked for match {} on unknown map '{}' (or a duplicate id): not started", order.match_id,
                       order.settings.map);
            if (lobby_) {
                protocol::MatchResults results;
                results.match_id = protocol::to_int(order.match_id);
                results.room_id = protocol::to_int(order.room_id);
                results.reason = MatchEndReason::NotEnoughPlayers;
                lobby_->match_ended(results);
            }
            continue;
        }
        const sim::Rules rules = protocol::match_rules(order.settings, config_.tick_rate_hz, base_rules_);
        Entry entry;
        entry.match = std::make_unique<Match>(order, map->second, rules);
        entry.created = now;
        entry.last_member_seen = now;
        entry.started_unix_ms = unix_ms_();
        if (!config_.record_dir.empty())
            start_recording(*entry.match,
                            {config_.record_dir, config_.snapshot_rate_hz, config_.record_state_interval_ticks},
                            unix_ms_(), log_);
        log_.info("match {} (room {}) started on '{}': frag limit {}, time limit {} s, up to {} players",
                  order.match_id, order.room_id, order.settings.map, order.settings.frag_limit,
                  order.settings.time_limit_s, order.settings.max_players);
        emit_match_start(events_, *entry.match, order);
        matches_.emplace(order.match_id, std::move(entry));
    }
}

// --- players ----------------------------------------------------------------------

Match* Matches::find(protocol::MatchId match_id) {
    auto it = matches_.find(match_id);
    return it == matches_.end() ? nullptr : it->second.match.get();
}

Match* Matches::find_or_start(protocol::MatchId match_id, util::TimePoint now) {
    if (Match* match = find(match_id)) return match;
    start_ordered(now);
    return find(match_id);
}

Matches::JoinResult Matches::join(Match& match, sim::PlayerId player_id, const std::string& name,
                                  util::TimePoint now) {
    if (match.full()) return JoinResult::Full;
    if (!match.add_player(player_id, name)) return JoinResult::AlreadyIn;
    matches_.at(match.id()).last_member_seen = now;
    emit_player_joined(events_, match, player_id, name);
    return JoinResult::Joined;
}

Matches::JoinResult Matches::watch(Match& match, sim::PlayerId spectator_id, const std::string& name) {
    if (match.spectators_full()) return JoinResult::Full;
    if (!match.add_spectator(spectator_id, name)) return JoinResult::AlreadyIn;
    emit_player_joined(events_, match, spectator_id, name, true);
    return JoinResult::Joined;
}

void Matches::leave(Session& session, LeaveReason reason, bool tell_lobby) {
    Match* match = find(session.match_id);
    if (match && session.spectator && match->has_spectator(session.player_id)) {
        const std::string name(match->player_name(session.player_id));
        match->remove_spectator(session.player_id);
        sessions_.broadcast(*match, protocol::PlayerLeft{sim::to_int(session.player_id), reason});
        if (lobby_ && tell_lobby && !match->over()) lobby_->player_left_match(match->id(), session.player_id);
        log_.info("spectator {} stopped watching match {} ({})", session.player_id, match->id(), protocol::name(reason));
        emit_player_left(events_, *match, session.player_id, name, reason, true);
    } else if (match && match->has_player(session.player_id)) {
        figures_.retire_player(*match, session.player_id);
        match->remove_player(session.player_id);
        sessions_.broadcast(*match, protocol::PlayerLeft{sim::to_int(session.player_id), reason});
        if (lobby_ && tell_lobby && !match->over()) lobby_->player_left_match(match->id(), session.player_id);
        log_.info("player {} left match {} ({})", session.player_id, match->id(), protocol::name(reason));
        emit_player_left(events_, *match, session.player_id, match->player_name(session.player_id), reason);
    }
    sessions_.unbind(session.player_id);
    session.state = SessionState::Closing;
}

// --- the tick ---------------------------------------------------------------------

void Matches::step_all(util::TimePoint now) {
    for (auto& [id, entry] : matches_) {
        Match& match = *entry.match;
        if (match.over()) continue;
        const sim::StepEvents events = match.step();
        for (const sim::ShotEvent& shot : events.shots) {
            auto& [fired, hit] = entry.shots[shot.shooter];
            ++fired;
            if (shot.hit) ++hit;
        }
        for (const auto& [shooter, judged] : match.judged()) {
            if (Session* s = sessions_.of_player(shooter)) sessions_.send_control(s->peer, judged);
        }
        for (const sim::KillEvent& kill : events.kills) {
            sessions_.broadcast(match, protocol::KillFeed{match.world().tick - 1, sim::to_int(kill.killer),
                                                          sim::to_int(kill.victim)});
            emit_kill(events_, match, kill, events);
        }
        if (events.match_over) finish(entry, now);
    }
}

void Matches::finish(Entry& entry, util::TimePoint now) {
    if (entry.ended_at) return;
    entry.ended_at = now;
    const Match& match = *entry.match;
    // The reason is the step's (frag or time limit) or the one end() was given.
    const protocol::MatchResults results = match.results();
    sessions_.broadcast(match, protocol::MatchOver{match.world().tick, results});
    if (lobby_) lobby_->match_ended(results);
    log_.info("match {} over ({}): {} players, winner {}", match.id(), protocol::name(results.reason),
              results.scores.size(), results.scores.empty() ? std::string("nobody") : results.scores.front().name);
    emit_match_end(events_, match, results);
    if (results_) results_->record_match(record_of(entry, results));
}

MatchRecord Matches::record_of(const Entry& entry, const protocol::MatchResults& results) const {
    const Match& match = *entry.match;
    MatchRecord r;
    r.match_id = results.match_id;
    r.room_id = results.room_id;
    r.map = match.settings().map;
    r.reason = results.reason;
    r.ended_unix_ms = unix_ms_();
    r.started_unix_ms = std::min(entry.started_unix_ms, r.ended_unix_ms);
    r.duration_s = results.duration_s;
    r.tick_rate_hz = static_cast<std::uint32_t>(config_.tick_rate_hz);
    r.max_players = match.settings().max_players;
    r.frag_limit = match.settings().frag_limit;
    r.time_limit_s = match.settings().time_limit_s;
    // A match the rules ended (frag or time limit) is won by whoever has the
    // most frags, if anyone scored (ties share it); one that was cut short has no winner.
    const bool decided = results.reason == MatchEndReason::FragLimit || results.reason == MatchEndReason::TimeLimit;
    const int top = results.scores.empty() ? 0 : results.scores.front().frags;
    for (std::size_t i = 0; i < results.scores.size(); ++i) {
        const protocol::PlayerScore& s = results.scores[i];
        MatchRecordLine& line = r.players.emplace_back();
        line.player_id = s.player_id;
        line.name = s.name;
        line.place = static_cast<std::uint32_t>(i + 1);
        line.frags = s.frags;
        line.deaths = s.deaths;
        if (auto it = entry.shots.find(sim::PlayerId{s.player_id}); it != entry.shots.end()) {
            line.shots = it->second.first;
            line.hits = it->second.second;
        }
        line.won = decided && top > 0 && s.frags == top;
    }
    return r;
}

void Matches::reap(util::TimePoint now) {
    for (auto it = matches_.begin(); it != matches_.end();) {
        Entry& entry = it->second;
        Match& match = *entry.match;
        if (match.player_count() > 0) entry.last_member_seen = now;
        // A match nobody is in any more ends (its room goes back to waiting).
        if (!entry.ended_at && now - entry.last_member_seen > config_.empty_match_timeout) {
            match.end(MatchEndReason::NotEnoughPlayers);
            finish(entry, now);
        }
        // After the scoreboard has been up a while, let everyone go.
        if (entry.ended_at && now - *entry.ended_at >= config_.match_linger) {
            let_players_go(match);
            figures_.retire_match(match);
            it = matches_.erase(it);
            continue;
        }
        ++it;
    }
}

void Matches::let_players_go(const Match& match) {
    for (const auto& [player_id, name] : match.roster()) {
        Session* session = sessions_.of_player(player_id);
        if (!session) continue;
        figures_.retire_player(match, player_id);
        sessions_.unbind(player_id);
        sessions_.close(*session, LeaveReason::MatchEnded);
        emit_player_left(events_, match, player_id, name, LeaveReason::MatchEnded);
    }
    for (const auto& [spectator_id, name] : match.spectator_roster()) {
        Session* session = sessions_.of_player(spectator_id);
        if (!session || session->match_id != match.id()) continue;
        sessions_.unbind(spectator_id);
        sessions_.close(*session, LeaveReason::MatchEnded);
        emit_player_left(events_, match, spectator_id, name, LeaveReason::MatchEnded, true);
    }
}

void Matches::end_all(MatchEndReason reason, util::TimePoint now) {
    for (auto& [id, entry] : matches_) {
        if (entry.ended_at) continue;
        entry.match->end(reason);
        finish(entry, now);
    }
}

bool Matches::end_one(protocol::MatchId match_id, MatchEndReason reason, util::TimePoint now) {
    const auto it = matches_.find(match_id);
    if (it == matches_.end() || it->second.ended_at) return false;
    it->second.match->end(reason);
    finish(it->second, now);
    return true;
}

// --- reading ----------------------------------------------------------------------

std::vector<const Match*> Matches::live() const {
    std::vector<const Match*> out;
    out.reserve(matches_.size());
    for (const auto& [id, entry] : matches_) out.push_back(entry.match.get());
    return out;
}

} // namespace skirmish::server
