// client/app/net_graph.hpp
//
// The net graph's figures and time series (Source's net_graph is the model):
// frames per second, ping and jitter, loss in and out, kB/s each way,
// snapshot rate, interpolation delay and buffer depth, prediction
// corrections, the server's tick time; plus a ping series (one sample every
// 100 ms, 10 s) and a snapshot-arrival series (one bar per snapshot: the
// interval since the previous one, and how many were lost before it), so loss
// and jitter are SEEN. The renderer only draws what this computes.
//
// IMPORTANT: pure: time comes in as values; feed it once per frame.
#pragma once

#include "client/core/game_client.hpp"
#include "client/core/net_stats.hpp"
#include "shared/util/clock.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace skirmish::app {

struct NetGraphFigures {
    double fps = 0;
    double frame_ms_max = 0;  // the slowest frame of the last second
    double ping_ms = 0;
    double jitter_ms = 0;
    double loss_in_pct = 0;   // snapshots lost (sequence gaps), last second
    double loss_in_window_pct = 0; // the same over kLossWindow: what the graph shows (steady at 5 % loss)
    double loss_out_pct = 0;  // ENet's estimate for what we send reliably
    double kb_in_per_s = 0;
    double kb_out_per_s = 0;
    double snapshot_rate_hz = 0;
    double snapshot_jitter_ms = 0;
    double interp_delay_ms = 0;
    int interp_buffer = 0;
    bool extrapolating = false;
    std::uint64_t corrections = 0;
    double corrections_per_min = 0; // over the last 10 s
    double last_correction = 0;     // world units
    double input_lead_ticks = 0;
    bool have_server = false;
    double server_tick_p50_ms = 0;
    double server_tick_p99_ms = 0;
    double server_tick_max_ms = 0;
    std::uint32_t server_overruns = 0;
    int server_tick_rate_hz = 0;
};

struct PingSample {
    util::TimePoint when;
    double rtt_ms = 0;
};

struct ArrivalBar {
    util::TimePoint when;
    double interval_ms = 0; // since the previous snapshot arrived
    int lost_before = 0;    // snapshots missing between the previous one and this
    bool full = false;      // a full (not delta) snapshot
};

class NetGraph {
public:
    static constexpr util::Duration kPingEvery = std::chrono::milliseconds(100);
    static constexpr util::Duration kWindow = std::chrono::seconds(10);
    // The loss figure counts lost snapshots over this window: over one second
    // at 30 snapshots/s each loss is 3.3 %, so 5 % loss reads 0, 6.7, 0, 3.3 %.
    static constexpr util::Duration kLossWindow = kWindow;
    // The arrival bars drawn: the last 3 s, about 90 bars at 30/s, so each
    // is a few pixels apart at 1:1 (10 s would crowd 300 into the graph).
    static constexpr util::Duration kBarWindow = std::chrono::seconds(3);

    // One rendered frame.
    void record_frame(util::TimePoint now);
    // The connection's figures this frame and the arrivals GameClient keeps.
    // `snapshot_interval_ticks`: server ticks between two snapshots (tick rate / snapshot rate).
    void record_match(util::TimePoint now, const client::NetStats& stats,
                      const std::deque<client::SnapshotArrival>& arrivals, int snapshot_interval_ticks);
    // A new connection: the series start again.
    void reset_match();

    NetGraphFigures figures() const { return figures_; }
    const std::deque<PingSample>& ping_series() const { return pings_; }
    const std::deque<ArrivalBar>& arrival_series() const { return bars_; }
    // What the graph scales to: at least 100 ms, the largest value shown, rounded up to 50 ms
    // (for the arrivals, those of the last kBarWindow before the newest).
    double ping_scale_ms() const;
    double arrival_scale_ms() const;

    // The text lines of the figures, as drawn beside the graphs.
    std::vector<std::string> lines() const;

private:
    void trim(util::TimePoint now);

    NetGraphFigures figures_;
    std::deque<util::TimePoint> frames_;
    std::deque<double> frame_ms_;
    util::TimePoint last_frame_{};
    bool have_frame_ = false;

    std::deque<PingSample> pings_;
    util::TimePoint next_ping_{};
    std::deque<ArrivalBar> bars_;
    bool have_arrival_ = false;
    util::TimePoint last_arrival_{};
    std::uint32_t last_tick_ = 0;
    std::deque<std::pair<util::TimePoint, std::uint64_t>> correction_marks_;
};

} // namespace skirmish::app
