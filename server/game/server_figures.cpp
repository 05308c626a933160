// server/game/server_figures.cpp
#include "server/game/server_figures.hpp"

#include "server/game/matches.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <vector>

namespace skirmish::server {

namespace {

void add(InputCounters& total, const InputCounters& c) {
    total.received += c.received;
    total.redundant += c.redundant;
    total.late += c.late;
    total.too_early += c.too_early;
    total.applied += c.applied;
    total.repeated += c.repeated;
    total.lost += c.lost;
}

void add(ShotCounters& total, const ShotCounters& c) {
    total.fired += c.fired;
    total.hit += c.hit;
}

void add(SnapshotCounters& total, const SnapshotCounters& c) {
    total.deltas += c.deltas;
    for (int i = 0; i < static_cast<int>(FullReason::Count); ++i) total.full[i] += c.full[i];
    total.bytes += c.bytes;
}

} // namespace

// --- recording --------------------------------------------------------------------

void ServerFigures::count(PeerEvent event) {
    switch (event) {
    case PeerEvent::BadPacket: ++bad_packets_; break;
    case PeerEvent::FloodDropped: ++flood_dropped_; break;
    case PeerEvent::SpectatorInput: ++spectator_inputs_; break;
    case PeerEvent::Kicked: ++kicked_; break;
    case PeerEvent::Rejected: ++rejected_; break;
    case PeerEvent::TimedOut: ++timed_out_; break;
    }
}

void ServerFigures::count_rejection(protocol::RejectReason reason) {
    count(PeerEvent::Rejected);
    const auto index = static_cast<std::size_t>(reason);
    if (index < rejected_by_reason_.size()) ++rejected_by_reason_[index];
}

void ServerFigures::note_player_joined() {
    if (first_player_joined_) return;
    first_player_joined_ = true;
    ticks_.restart_run();
}

void ServerFigures::retire_player(const Match& match, sim::PlayerId player_id) {
    if (const InputCounters* c = match.input_counters(player_id)) {
        add(retired_inputs_, *c);
        add(retired_by_player_[player_id], *c);
    }
    if (const ShotCounters* c = match.shot_counters(player_id)) add(retired_shots_[player_id], *c);
}

void ServerFigures::retire_match(const Match& match) { add(retired_snapshots_, match.snapshot_counters()); }

// --- reporting --------------------------------------------------------------------

protocol::InputFigures input_figures(const InputCounters& c) {
    const auto cap = [](std::uint64_t v) {
        return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, std::numeric_limits<std::uint32_t>::max()));
    };
    return {cap(c.applied), cap(c.lost), cap(c.repeated - c.lost), cap(c.late), cap(c.too_early), cap(c.redundant)};
}

void ServerFigures::send_server_stats(std::uint64_t server_tick, Sessions& sessions, Matches& matches) {
    const auto period = static_cast<std::uint64_t>(tick_rate_hz_);
    const auto due = [&](std::size_t slot) {
        const Session* s = sessions.at_slot(slot);
        return s && s->state == SessionState::Playing ? s : nullptr;
    };
    // The recipients of this tick, by match: each hears its own match's pings.
    std::map<protocol::MatchId, std::vector<const Session*>> due_by_match;
    for (std::size_t slot = server_tick % period; slot < sessions.slots(); slot += period) {
        if (const Session* s = due(slot)) due_by_match[s->match_id].push_back(s);
    }
    if (due_by_match.empty()) return;
    const TickFigures f = ticks_.last_second();
    const TickFigures run = ticks_.whole_run();
    protocol::ServerStats stats;
    stats.tick_rate_hz = static_cast<std::uint16_t>(tick_rate_hz_);
    stats.tick_ms_p50 = static_cast<float>(f.work_ms_p50);
    stats.tick_ms_p99 = static_cast<float>(f.work_ms_p99);
    stats.tick_ms_max = static_cast<float>(f.work_ms_max);
    stats.overruns = static_cast<std::uint32_t>(f.overruns);
    stats.players = static_cast<std::uint32_t>(sessions.players());
    stats.matches = static_cast<std::uint32_t>(matches.count());
    stats.run_tick_ms_p50 = static_cast<float>(run.work_ms_p50);
    stats.run_tick_ms_p99 = static_cast<float>(run.work_ms_p99);
    stats.run_tick_ms_max = static_cast<float>(run.work_ms_max);
    stats.run_ticks = run.ticks;
    std::map<protocol::MatchId, std::vector<protocol::PlayerPing>> pings;
    sessions.for_each([&](const Session& s) {
        if (s.state != SessionState::Playing || !due_by_match.contains(s.match_id)) return;
        auto& list = pings[s.match_id];
        if (list.size() < protocol::kMaxPings)
            list.push_back({sim::to_int(s.player_id),
                            static_cast<std::uint16_t>(std::min<std::uint32_t>(sessions.rtt_ms(s.peer), 65535))});
    });
    // Each recipient hears its own input counts, so each message is encoded for
    // its recipient: a tick rate's share of the players per tick (17 a tick
    // for 1,000 players at 60 Hz), each a few hundred bytes of FlatBuffer.
    for (const auto& [match_id, recipients] : due_by_match) {
        stats.pings = std::move(pings[match_id]);
        const Match* match = matches.find(match_id);
        for (const Session* s : recipients) {
            const InputCounters* counters = match ? match->input_counters(s->player_id) : nullptr;
            stats.inputs = counters ? input_figures(*counters) : protocol::InputFigures{};
            sessions.send_reliable(s->peer, protocol::encode_control(protocol::ServerControl{stats}));
        }
    }
}

void ServerFigures::publish(const std::vector<const Match*>& live_matches, const Sessions& sessions,
                            const net::HostCounters& host, const net::AdmissionCounters& admission) {
    GameStats stats;
    stats.last_second = ticks_.last_second();
    stats.whole_run = ticks_.whole_run();
    stats.players = sessions.players();
    stats.spectators = sessions.spectators();
    stats.matches = live_matches.size();
    stats.inputs = retired_inputs_;
    stats.inputs_by_player = retired_by_player_;
    stats.shots_by_player = retired_shots_;
    stats.snapshots = retired_snapshots_;
    for (const Match* match : live_matches) {
        add(stats.snapshots, match->snapshot_counters());
        for (const auto& [player_id, name] : match->roster()) {
            if (const InputCounters* c = match->input_counters(player_id)) {
                add(stats.inputs, *c);
                add(stats.inputs_by_player[player_id], *c);
            }
            if (const ShotCounters* c = match->shot_counters(player_id)) add(stats.shots_by_player[player_id], *c);
        }
    }
    stats.pending_peers = sessions.awaiting_token();
    stats.bad_packets = bad_packets_;
    stats.flood_dropped = flood_dropped_;
    stats.spectator_inputs = spectator_inputs_;
    stats.kicked = kicked_;
    stats.rejected = rejected_;
    stats.timed_out = timed_out_;
    stats.host = host;
    stats.admission = admission;
    stats.rejected_by_reason = rejected_by_reason_;
    stats.tick_duration = ticks_.histogram();
    const std::lock_guard lock(stats_mutex_);
    published_ = std::move(stats);
}

GameStats ServerFigures::stats() const {
    const std::lock_guard lock(stats_mutex_);
    return published_;
}

} // namespace skirmish::server
