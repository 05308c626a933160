// client/core/clock_sync.cpp
#include "client/core/clock_sync.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::client {

namespace {
constexpr double kLeadSmoothing = 0.1;    // EMA weight of each new lead report
constexpr double kSpeedGain = 0.02;       // speed change per tick of lead error
constexpr double kMaxSpeedChange = 0.08;  // never more than ±8 %
constexpr double kResyncTicks = 12;       // further off than this: jump, don't drift
constexpr double kMaxTargetLeadTicks = 32; // half the server's input window (64 ticks ahead)
// A snapshot further behind the estimate than kResyncTicks comes from a
// server catching up after a stall (or a datagram held up on the way): it is
// believed only if that lasts. (Smaller delays move the clocks smoothly;
// setting them aside too would bias the estimate early on a jittery path.)
constexpr auto kBehindBelievedAfter = std::chrono::milliseconds(300);
} // namespace

ClientClock::ClientClock(int tick_rate_hz, int input_period_ticks)
    : rate_(tick_rate_hz), period_(std::max(1, input_period_ticks)) {}

void ClientClock::on_snapshot(sim::Tick server_tick, std::int32_t input_lead, double rtt_ms, double jitter_ms,
                              double loss_pct, util::TimePoint now) {
    const double one_way_ticks = rtt_ms / 2000.0 * rate_;
    const double server_now = static_cast<double>(server_tick) + one_way_ticks;
    // One packet period (a tick when every tick sends; the oldest input of a
    // packet waits period - 1 ticks before it leaves), plus the path's jitter,
    // plus a period for each extra copy of an input (the next packets repeat
    // it) needed to keep the chance of losing every copy under 1e-4.
    const double p = std::clamp(loss_pct / 100.0, 0.0, 0.5);
    const double copies = p > 1e-4 ? std::ceil(std::log(1e-4) / std::log(p)) : 1.0;
    // (The lead a snapshot reports is the newest input's; between packets
    // it falls by up to period - 1, so the mean lead overshoots by about
    // (period - 1) / 2 ticks.) Never near the server's 64-tick input window.
    target_lead_ = std::min(kMaxTargetLeadTicks,
                            period_ + std::ceil(2.0 * jitter_ms / 1000.0 * rate_) + (copies - 1.0) * period_);

    if (!synced_) {
        epoch_ = now;
        offset_ = server_now;
        // Our input for tick T must reach the server (one way) before it steps T.
        input_tick_ = server_now + one_way_ticks + target_lead_;
        trust_from_tick_ = input_tick_;
        last_advance_ = now;
        lead_ema_ = target_lead_;
        synced_ = true;
        return;
    }
    // Server-tick estimate: follow the snapshots smoothly, jump on big errors.
    const double predicted = server_tick_estimate(now);
    const double error = server_now - predicted;
    // A server that stood still (its thread got no CPU) then runs the missed
    // ticks back to back: their snapshots arrive in a burst, behind the
    // estimate, and report inputs far ahead, since ours kept coming. Chasing
    // them would jump the clocks back and make every input after the
    // catch-up late. They are set aside, unless the path itself got longer:
    // then they keep coming behind, and are believed after a while.
    if (error < -kResyncTicks) {
        if (!behind_since_) behind_since_ = now;
        if (now - *behind_since_ < kBehindBelievedAfter) {
            ++set_aside_;
            return;
        }
    } else {
        behind_since_.reset();
    }
    offset_ += std::abs(error) > kResyncTicks ? error : error * 0.05;

    // Input clock: hold the reported lead at the target, once the report is
    // about inputs the current clock produced.
    const double newest_input = static_cast<double>(server_tick) + input_lead;
    if (newest_input < trust_from_tick_) return;
    if (std::abs(static_cast<double>(input_lead) - target_lead_) > kResyncTicks) {
        // After jumping back, reports keep naming the far-ahead inputs already
        // sent until the server passes them: trust only inputs beyond both.
        const double before = input_tick_;
        input_tick_ -= static_cast<double>(input_lead) - target_lead_;
        trust_from_tick_ = std::max(before, input_tick_) + 1.0;
        lead_ema_ = target_lead_;
        speed_ = 1.0;
        ++resyncs_;
        return;
    }
    lead_ema_ = lead_ema_ + kLeadSmoothing * (static_cast<double>(input_lead) - lead_ema_);
    const double lead_error = lead_ema_ - target_lead_;
    speed_ = 1.0 - std::clamp(lead_error * kSpeedGain, -kMaxSpeedChange, kMaxSpeedChange);
}

void ClientClock::advance(util::TimePoint now) {
    if (!synced_) return;
    const double elapsed = std::max(0.0, util::to_seconds(now - last_advance_));
    last_advance_ = now;
    input_tick_ += elapsed * rate_ * speed_;
}

sim::Tick ClientClock::input_tick() const noexcept {
    return input_tick_ <= 0 ? 0 : static_cast<sim::Tick>(input_tick_);
}

double ClientClock::server_tick_estimate(util::TimePoint now) const {
    if (!synced_) return 0;
    return util::to_seconds(now - epoch_) * rate_ + offset_;
}

} // namespace skirmish::client
