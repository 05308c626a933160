// client/core/net_figures.hpp
//
// The net graph's figures of one game connection (NetStats), counted from
// what arrives and what the ENet host counts: snapshot loss from gaps in the
// tick sequence, rates over the last whole second, the jitter of snapshot
// arrival intervals and the arrival series, prediction corrections, and the
// peer's round trip. GameClient feeds it as things happen; the view shows
// stats(). The clock reads two of them back: arrival jitter and a slow
// average of loss (inputs need more lead on a ragged or lossy path).
//
// IMPORTANT: time comes in as values; nothing here reads a clock or a socket.
#pragma once

#include "client/core/clock_sync.hpp"
#include "client/core/interpolation.hpp"
#include "client/core/net_stats.hpp"
#include "client/core/prediction.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/stats.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>

namespace skirmish::client {

// One snapshot's arrival, for the net graph's time series.
struct SnapshotArrival {
    util::TimePoint when;
    sim::Tick tick = 0;
    std::size_t bytes = 0;
    bool full = false;
};

class NetFigures {
public:
    static constexpr std::size_t kArrivalHistory = 256;

    // Counting starts at `now`: the first per-second figures come a second later.
    void start(util::TimePoint now);
    // The match's timing, from Accepted: a snapshot every `snapshot_interval_ticks`.
    void set_timing(int tick_rate_hz, int snapshot_interval_ticks);

    void count_undecodable();
    // A decoded snapshot of `tick`, newer than `previous_tick` (0: the first):
    // the ticks between them that are not a whole snapshot interval are lost.
    void count_snapshot(sim::Tick tick, sim::Tick previous_tick, std::size_t bytes, bool full, util::TimePoint now);
    // A reconciliation's outcome. Teleports (a respawn the prediction could not
    // know, `teleport_distance` or more) are not mispredictions: not counted.
    // Each counted correction's distance goes into correction_units().
    void count_correction(const Correction& correction, float teleport_distance);
    // Forgets the correction distances counted so far (the count stays): for
    // a report that starts counting once a player has settled in.
    void restart_correction_units() noexcept { correction_units_.clear(); }
    void count_input_packet() { ++stats_.inputs_sent; }
    void set_server_stats(const protocol::ServerStats& server);

    // Every frame: the host's totals; once a second, the last second's rates.
    void update(util::TimePoint now, const net::HostCounters& totals);
    // Every frame: ENet's view of the peer (round trip, its deviation, reliable loss).
    void sample_peer(const net::PeerStats& peer);
    // Every frame in a match: the interpolation delay and the input lead.
    void sample_pipeline(const Interpolator& interpolator, const ClientClock& clock);

    const NetStats& stats() const noexcept { return stats_; }
    // Distances of the counted corrections, world units.
    const util::Histogram& correction_units() const noexcept { return correction_units_; }
    double arrival_jitter_ms() const noexcept { return arrival_jitter_ms_; }
    double loss_ema_pct() const noexcept { return loss_ema_pct_; }
    const std::deque<SnapshotArrival>& arrivals() const noexcept { return arrivals_; }

private:
    void roll_second(util::TimePoint now, const net::HostCounters& totals);

    NetStats stats_;
    util::Histogram correction_units_;
    double tick_rate_hz_ = 60;
    int snapshot_interval_ = 2;
    std::deque<SnapshotArrival> arrivals_;
    double arrival_jitter_ms_ = 0;
    // Until measured, assume a lossy path: a few extra input copies early on
    // cost two ticks of lead, losing inputs costs mispredictions.
    double loss_ema_pct_ = 5.0;
    util::TimePoint next_second_{};
    std::uint64_t second_received_ = 0, second_lost_ = 0;
    net::HostCounters last_counters_;
};

} // namespace skirmish::client
