// client/core/net_figures.cpp
#include "client/core/net_figures.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::client {

void NetFigures::start(util::TimePoint now) { next_second_ = now + std::chrono::seconds(1); }

void NetFigures::set_timing(int tick_rate_hz, int snapshot_interval_ticks) {
    tick_rate_hz_ = std::max(1, tick_rate_hz);
    snapshot_interval_ = std::max(1, snapshot_interval_ticks);
}

void NetFigures::count_undecodable() { ++stats_.snapshots_undecodable; }

void NetFigures::count_snapshot(sim::Tick tick, sim::Tick previous_tick, std::size_t bytes, bool full,
                                util::TimePoint now) {
    // Loss from gaps in the snapshot sequence.
    if (previous_tick != 0 && tick > previous_tick) {
        const sim::Tick missing = (tick - previous_tick) / static_cast<sim::Tick>(snapshot_interval_);
        if (missing > 1) {
            stats_.snapshots_lost += missing - 1;
            second_lost_ += missing - 1;
        }
    }
    ++stats_.snapshots_received;
    stats_.snapshot_bytes += bytes;
    ++second_received_;
    if (full) ++stats_.full_snapshots;

    // Arrival jitter: how far each interval strays from the nominal one.
    if (!arrivals_.empty()) {
        const double interval_ms = util::to_ms(now - arrivals_.back().when);
        const double expected_ms = 1000.0 * static_cast<double>(tick - arrivals_.back().tick) / tick_rate_hz_;
        arrival_jitter_ms_ += (std::abs(interval_ms - expected_ms) - arrival_jitter_ms_) / 16.0;
    }
    stats_.snapshot_jitter_ms = arrival_jitter_ms_;
    arrivals_.push_back({now, tick, bytes, full});
    while (arrivals_.size() > kArrivalHistory) arrivals_.pop_front();
}

void NetFigures::count_correction(const Correction& c, float teleport_distance) {
    if (!c.happened || c.distance <= 0.01f || c.distance >= teleport_distance) return;
    ++stats_.corrections;
    if (c.by_players) ++stats_.corrections_by_players;
    correction_units_.record(c.distance);
    stats_.last_correction = c.distance;
    stats_.max_correction = std::max(stats_.max_correction, static_cast<double>(c.distance));
}

void NetFigures::set_server_stats(const protocol::ServerStats& server) {
    stats_.server = server;
    stats_.have_server_stats = true;
}

void NetFigures::update(util::TimePoint now, const net::HostCounters& totals) {
    if (now >= next_second_) roll_second(now, totals);
    stats_.bytes_in = totals.bytes_received;
    stats_.bytes_out = totals.bytes_sent;
}

void NetFigures::roll_second(util::TimePoint now, const net::HostCounters& c) {
    next_second_ = now + std::chrono::seconds(1);
    stats_.bytes_in_per_s = static_cast<double>(c.bytes_received - last_counters_.bytes_received);
    stats_.bytes_out_per_s = static_cast<double>(c.bytes_sent - last_counters_.bytes_sent);
    last_counters_ = c;
    stats_.snapshot_rate_hz = static_cast<double>(second_received_);
    const auto expected = second_received_ + second_lost_;
    stats_.snapshot_loss_pct = expected ? 100.0 * static_cast<double>(second_lost_) / static_cast<double>(expected) : 0.0;
    // A slow average: a lost snapshot or two should not swing the input lead.
    loss_ema_pct_ += (stats_.snapshot_loss_pct - loss_ema_pct_) * 0.2;
    second_received_ = second_lost_ = 0;
}

void NetFigures::sample_peer(const net::PeerStats& peer) {
    if (!peer.connected) return; // no peer (yet, or any more)
    stats_.rtt_ms = peer.rtt_ms;
    stats_.jitter_ms = peer.rtt_variance_ms;
    stats_.reliable_loss_pct = 100.0 * peer.reliable_loss;
}

void NetFigures::sample_pipeline(const Interpolator& interpolator, const ClientClock& clock) {
    stats_.interp_delay_ms = interpolator.delay_ms();
    stats_.interp_buffer_depth = interpolator.buffer_depth();
    stats_.extrapolating = interpolator.extrapolating();
    stats_.input_lead_ticks = clock.lead_ticks();
    stats_.target_lead_ticks = clock.target_lead_ticks();
}

} // namespace skirmish::client
