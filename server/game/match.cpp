// server/game/match.cpp
#include "server/game/match.hpp"

#include "server/game/shot_judgement.hpp"

#include <algorithm>

namespace skirmish::server {
namespace {

demo::InputSource source_of(InputBuffer::Source source) {
    switch (source) {
    case InputBuffer::Source::Own: return demo::InputSource::Applied;
    case InputBuffer::Source::Repeated: return demo::InputSource::Repeated;
    case InputBuffer::Source::None: break;
    }
    return demo::InputSource::Missing;
}

} // namespace

Match::Match(const MatchOrder& order, std::shared_ptr<const sim::Map> map, const sim::Rules& rules)
    : id_(order.match_id),
      room_id_(order.room_id),
      settings_(order.settings),
      rules_(rules),
      world_(sim::make_world(std::move(map))),
      history_(static_cast<std::size_t>(rules.tick_rate_hz) + 8) {}

bool Match::has_player(sim::PlayerId player_id) const noexcept {
    return std::any_of(members_.begin(), members_.end(), [&](const Member& m) { return m.player_id == player_id; });
}

Match::Member* Match::member(sim::PlayerId player_id) {
    for (Member& m : members_) {
        if (m.player_id == player_id) return &m;
    }
    return nullptr;
}

bool Match::add_player(sim::PlayerId player_id, const std::string& name) {
    if (has_player(player_id)) return false;
    if (!sim::add_player(world_, player_id, rules_)) return false;
    Member m;
    m.player_id = player_id;
    m.name = name;
    members_.push_back(std::move(m));
    // A player who left and came back continues their score: the same id, or
    // the same name (a new lobby session gets a new id; names are unique in
    // the lobby while connected).
    auto it = std::find_if(departed_.begin(), departed_.end(), [&](const protocol::PlayerScore& s) {
        return s.player_id == sim::to_int(player_id) || (!name.empty() && s.name == name);
    });
    if (it != departed_.end()) {
        sim::Player* p = world_.find(player_id);
        p->frags = it->frags;
        p->deaths = it->deaths;
        departed_.erase(it);
    }
    if (recorder_) {
        const sim::Player* p = world_.find(player_id);
        recorder_->joined({world_.tick, sim::to_int(player_id), name, p->frags, p->deaths});
    }
    return true;
}

void Match::remove_player(sim::PlayerId player_id) {
    auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.player_id == player_id; });
    if (it == members_.end()) return;
    if (const sim::Player* p = world_.find(player_id))
        departed_.push_back({sim::to_int(player_id), it->name, p->frags, p->deaths});
    sim::remove_player(world_, player_id);
    members_.erase(it);
    if (recorder_) recorder_->left(world_.tick, sim::to_int(player_id));
}

bool Match::has_spectator(sim::PlayerId id) const noexcept {
    return std::any_of(spectators_.begin(), spectators_.end(), [&](const Spectator& s) { return s.id == id; });
}

bool Match::add_spectator(sim::PlayerId id, const std::string& name) {
    if (has_spectator(id) || has_player(id)) return false;
    spectators_.push_back({id, name, 0});
    return true;
}

void Match::remove_spectator(sim::PlayerId id) {
    std::erase_if(spectators_, [&](const Spectator& s) { return s.id == id; });
}

std::vector<std::pair<sim::PlayerId, std::string>> Match::spectator_roster() const {
    std::vector<std::pair<sim::PlayerId, std::string>> out;
    for (const Spectator& s : spectators_) out.emplace_back(s.id, s.name);
    return out;
}

sim::Tick* Match::acked_of(sim::PlayerId viewer_id) {
    if (Member* m = member(viewer_id)) return &m->acked_snapshot;
    for (Spectator& s : spectators_) {
        if (s.id == viewer_id) return &s.acked_snapshot;
    }
    return nullptr;
}

std::vector<std::pair<sim::PlayerId, std::string>> Match::roster() const {
    std::vector<std::pair<sim::PlayerId, std::string>> out;
    for (const Member& m : members_) out.emplace_back(m.player_id, m.name);
    return out;
}

std::string_view Match::player_name(sim::PlayerId player_id) const noexcept {
    for (const Member& m : members_) {
        if (m.player_id == player_id) return m.name;
    }
    for (const protocol::PlayerScore& s : departed_) {
        if (s.player_id == sim::to_int(player_id)) return s.name;
    }
    for (const Spectator& s : spectators_) {
        if (s.id == player_id) return s.name;
    }
    return {};
}

void Match::offer_input(sim::PlayerId player_id, const protocol::TickInput& input) {
    if (Member* m = member(player_id)) m->inputs.offer(input, world_.tick);
}

void Match::acknowledge(sim::PlayerId viewer_id, sim::Tick snapshot_tick) {
    sim::Tick* acked = acked_of(viewer_id);
    // Only ever move forward, and never past what has been simulated.
    if (acked && snapshot_tick > *acked && snapshot_tick <= world_.tick) *acked = snapshot_tick;
}

sim::StepEvents Match::step() {
    inputs_scratch_.clear();
    recorded_scratch_.clear();
    const sim::Tick tick = world_.tick;
    for (Member& m : members_) {
        sim::PlayerInput in = m.inputs.take(world_.tick);
        in.player = m.player_id;
        inputs_scratch_.push_back(in);
        if (recorder_) recorded_scratch_.push_back({in, source_of(m.inputs.last_source())});
    }
    sim::StepEvents events = sim::step(world_, inputs_scratch_, rules_, &history_);
    if (recorder_) recorder_->stepped(tick, recorded_scratch_, world_);
    judged_.clear();
    for (const sim::ShotEvent& shot : events.shots) {
        if (Member* m = member(shot.shooter)) {
            ++m->shots.fired;
            if (shot.hit) ++m->shots.hit;
            const auto input = std::find_if(inputs_scratch_.begin(), inputs_scratch_.end(),
                                             [&](const sim::PlayerInput& in) { return in.player == shot.shooter; });
            if (input == inputs_scratch_.end()) continue;
            if (auto judged = judge_shot(shot, *input, tick, world_, history_, rules_))
                judged_.emplace_back(m->player_id, *judged);
        }
    }
    if (events.match_over && !end_reason_) end_reason_ = protocol::end_reason(*events.match_over);
    if (events.match_over) record_end(true);
    return events;
}

void Match::end(protocol::MatchEndReason reason) {
    if (!end_reason_) end_reason_ = reason;
    world_.phase = sim::MatchPhase::Over;
    record_end(false);
}

void Match::record_end(bool by_rules) {
    if (!recorder_ || !recorder_->open() || !end_reason_) return;
    recorder_->ended(world_, *end_reason_, by_rules);
    recorder_->finish(results(), world_.tick);
}

std::vector<std::uint8_t> Match::snapshot_for(sim::PlayerId viewer_id, bool delta_enabled) {
    const sim::Tick* acked_at = acked_of(viewer_id);
    if (!acked_at) return {};
    const sim::Tick acked = *acked_at;
    const Member* m = member(viewer_id); // null: a spectator
    const sim::Tick now = world_.tick;
    // Once the match is over its tick stands still: the final snapshot is
    // repeated until the client acknowledges it, then there is nothing new.
    if (acked == now) return {};
    if (cache_tick_ != now || !sent_.contains(now)) {
        // First snapshot of this tick: remember it as a future baseline.
        cache_tick_ = now;
        stream_cache_.clear();
        sent_.put(now, protocol::capture_snapshot(world_));
    }
    const protocol::SnapshotState& current = *sent_.find(now);

    // Baseline choice, with explicit fallbacks to a full snapshot.
    const protocol::SnapshotState* base = nullptr;
    std::optional<FullReason> full;
    if (!delta_enabled) full = FullReason::DeltaOff;
    else if (acked == 0) full = FullReason::NothingAcked;
    else if (now - acked > protocol::kMaxBaselineAgeTicks) full = FullReason::AckTooOld;
    else if (!(base = sent_.find(acked))) full = FullReason::AckUnknown;
    if (full) {
        base = nullptr;
        ++snapshot_counters_.full[static_cast<int>(*full)];
    } else {
        ++snapshot_counters_.deltas;
    }

    const sim::Tick base_tick = base ? base->tick : 0;
    auto cached = stream_cache_.find(base_tick);
    if (cached == stream_cache_.end())
        cached = stream_cache_.emplace(base_tick, protocol::encode_entity_stream(current, base, rules_.tick_rate_hz)).first;

    protocol::SnapshotHeader header;
    header.server_tick = now;
    header.baseline_tick = base_tick;
    if (m) {
        header.last_input_tick = m->inputs.last_applied_tick();
        // Before the player's first input arrives newest_tick() is 0, so the lead
        // is minus the match's age: clamped to what the wire carries.
        header.input_lead = static_cast<std::int32_t>(
            std::clamp(static_cast<std::int64_t>(m->inputs.newest_tick()) - static_cast<std::int64_t>(now),
                       -protocol::kMaxInputLeadTicks, protocol::kMaxInputLeadTicks));
        header.inputs_held_through = std::max(header.last_input_tick, m->inputs.held_through(now));
    } else {
        // A spectator sends no inputs: none applied, no lead, and "held
        // through" the current tick (the header allows it only within 4096
        // ticks of server_tick, so not 0 once the match is older than that).
        header.inputs_held_through = now;
    }
    auto bytes = protocol::wrap_snapshot(header, cached->second);
    snapshot_counters_.bytes += bytes.size();
    return bytes;
}

const InputCounters* Match::input_counters(sim::PlayerId player_id) const {
    for (const Member& m : members_) {
        if (m.player_id == player_id) return &m.inputs.counters();
    }
    return nullptr;
}

const ShotCounters* Match::shot_counters(sim::PlayerId player_id) const {
    for (const Member& m : members_) {
        if (m.player_id == player_id) return &m.shots;
    }
    return nullptr;
}

protocol::MatchResults Match::results() const {
    protocol::MatchResults r;
    r.match_id = protocol::to_int(id_);
    r.room_id = protocol::to_int(room_id_);
    if (end_reason_) r.reason = *end_reason_;
    r.duration_s = static_cast<float>(world_.tick) / static_cast<float>(rules_.tick_rate_hz);
    for (const Member& m : members_) {
        if (const sim::Player* p = world_.find(m.player_id))
            r.scores.push_back({sim::to_int(m.player_id), m.name, p->frags, p->deaths});
    }
    r.scores.insert(r.scores.end(), departed_.begin(), departed_.end());
    protocol::sort_scoreboard(r.scores);
    return r;
}

} // namespace skirmish::server
