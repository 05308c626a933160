// client/app/net_graph.cpp
#include "client/app/net_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

double round_up_scale(double value) { return std::max(100.0, std::ceil(value / 50.0) * 50.0); }

} // namespace

void NetGraph::record_frame(util::TimePoint now) {
    if (have_frame_) {
        frames_.push_back(now);
        frame_ms_.push_back(util::to_ms(now - last_frame_));
    }
    last_frame_ = now;
    have_frame_ = true;
    while (!frames_.empty() && now - frames_.front() > std::chrono::seconds(1)) {
        frames_.pop_front();
        frame_ms_.pop_front();
    }
    figures_.fps = static_cast<double>(frames_.size());
    figures_.frame_ms_max = frame_ms_.empty() ? 0.0 : *std::max_element(frame_ms_.begin(), frame_ms_.end());
}

void NetGraph::reset_match() {
    const double fps = figures_.fps, frame_max = figures_.frame_ms_max;
    figures_ = NetGraphFigures{};
    figures_.fps = fps;
    figures_.frame_ms_max = frame_max;
    pings_.clear();
    bars_.clear();
    have_arrival_ = false;
    correction_marks_.clear();
    next_ping_ = {};
}

void NetGraph::record_match(util::TimePoint now, const client::NetStats& s,
                            const std::deque<client::SnapshotArrival>& arrivals, int snapshot_interval_ticks) {
    NetGraphFigures& f = figures_;
    f.ping_ms = s.rtt_ms;
    f.jitter_ms = s.jitter_ms;
    f.loss_in_pct = s.snapshot_loss_pct;
    f.loss_out_pct = s.reliable_loss_pct;
    f.kb_in_per_s = s.bytes_in_per_s / 1000.0;
    f.kb_out_per_s = s.bytes_out_per_s / 1000.0;
    f.snapshot_rate_hz = s.snapshot_rate_hz;
    f.snapshot_jitter_ms = s.snapshot_jitter_ms;
    f.interp_delay_ms = s.interp_delay_ms;
    f.interp_buffer = s.interp_buffer_depth;
    f.extrapolating = s.extrapolating;
    f.corrections = s.corrections;
    f.last_correction = s.last_correction;
    f.input_lead_ticks = s.input_lead_ticks;
    f.have_server = s.have_server_stats;
    f.server_tick_p50_ms = s.server.tick_ms_p50;
    f.server_tick_p99_ms = s.server.tick_ms_p99;
    f.server_tick_max_ms = s.server.tick_ms_max;
    f.server_overruns = s.server.overruns;
    f.server_tick_rate_hz = s.server.tick_rate_hz;

    if (now >= next_ping_) {
        pings_.push_back({now, s.rtt_ms});
        next_ping_ = (next_ping_ == util::TimePoint{} || now - next_ping_ > kPingEvery) ? now + kPingEvery
                                                                                       : next_ping_ + kPingEvery;
    }

    // New arrivals only: those after the newest one already seen.
    const int interval = std::max(1, snapshot_interval_ticks);
    for (const auto& a : arrivals) {
        if (have_arrival_ && (a.when < last_arrival_ || (a.when == last_arrival_ && a.tick <= last_tick_))) continue;
        if (have_arrival_ && a.tick <= last_tick_) { // late (reordered) or duplicate: no bar, no gap
            last_arrival_ = a.when;
            continue;
        }
        ArrivalBar bar;
        bar.when = a.when;
        bar.full = a.full;
        if (have_arrival_) {
            bar.interval_ms = util::to_ms(a.when - last_arrival_);
            const auto ticks = static_cast<int>(a.tick - last_tick_);
            bar.lost_before = std::max(0, ticks / interval - 1);
        }
        bars_.push_back(bar);
        have_arrival_ = true;
        last_arrival_ = a.when;
        last_tick_ = a.tick;
    }

    correction_marks_.emplace_back(now, s.corrections);
    trim(now);
    std::uint64_t received = 0, lost = 0;
    for (const auto& b : bars_) {
        if (now - b.when > kLossWindow) continue;
        ++received;
        lost += static_cast<std::uint64_t>(b.lost_before);
    }
    f.loss_in_window_pct = received + lost > 0 ? 100.0 * static_cast<double>(lost) / static_cast<double>(received + lost) : 0.0;
    const auto& [first_when, first_count] = correction_marks_.front();
    const double span_s = util::to_seconds(now - first_when);
    f.corrections_per_min = span_s >= 1.0 ? static_cast<double>(s.corrections - first_count) * 60.0 / span_s : 0.0;
}

void NetGraph::trim(util::TimePoint now) {
    while (!pings_.empty() && now - pings_.front().when > kWindow) pings_.pop_front();
    while (!bars_.empty() && now - bars_.front().when > kWindow) bars_.pop_front();
    while (correction_marks_.size() > 1 && now - correction_marks_.front().first > kWindow)
        correction_marks_.pop_front();
}

double NetGraph::ping_scale_ms() const {
    double top = 0;
    for (const auto& p : pings_) top = std::max(top, p.rtt_ms);
    return round_up_scale(top);
}

double NetGraph::arrival_scale_ms() const {
    double top = 0;
    for (const auto& b : bars_) {
        if (bars_.back().when - b.when <= kBarWindow) top = std::max(top, b.interval_ms);
    }
    return round_up_scale(top);
}

std::vector<std::string> NetGraph::lines() const {
    const NetGraphFigures& f = figures_;
    std::vector<std::string> out;
    out.push_back(fmt::format("fps {:4.0f}   slowest frame {:5.1f} ms", f.fps, f.frame_ms_max));
    out.push_back(fmt::format("ping {:4.0f} ms   jitter {:4.1f} ms", f.ping_ms, f.jitter_ms));
    out.push_back(fmt::format("loss in {:4.1f} % (last {} s)   out {:4.1f} %", f.loss_in_window_pct,
                              std::chrono::duration_cast<std::chrono::seconds>(kLossWindow).count(), f.loss_out_pct));
    out.push_back(fmt::format("in {:5.2f} kB/s   out {:5.2f} kB/s", f.kb_in_per_s, f.kb_out_per_s));
    out.push_back(fmt::format("snapshots {:4.1f}/s   arrival jitter {:4.1f} ms", f.snapshot_rate_hz,
                              f.snapshot_jitter_ms));
    out.push_back(fmt::format("interp {:5.1f} ms   buffer {}{}", f.interp_delay_ms, f.interp_buffer,
                              f.extrapolating ? "   EXTRAPOLATING" : ""));
    out.push_back(fmt::format("corrections {} ({:.0f}/min, last {:.1f} u)  lead {:.1f} ticks", f.corrections,
                              f.corrections_per_min, f.last_correction, f.input_lead_ticks));
    if (f.have_server)
        out.push_back(fmt::format("server tick p50 {:.2f} p99 {:.2f} max {:.2f} ms  {} over", f.server_tick_p50_ms,
                                  f.server_tick_p99_ms, f.server_tick_max_ms, f.server_overruns));
    else
        out.push_back("server tick: waiting for the first report");
    return out;
}

} // namespace skirmish::app
