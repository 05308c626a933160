// client/core/clock_sync.hpp
//
// The client's sense of server time. Two clocks run off it:
//   - the input clock: which tick the next input is for. It runs a little
//     ahead of the server so each input arrives just before the server
//     steps that tick, and it adapts: every snapshot reports how early our
//     newest input arrived ("input lead"), and the clock speeds up or slows
//     down by a few percent to hold the lead at a target that grows with
//     jitter and with loss (each packet repeats the unacknowledged inputs, so
//     with loss p, k consecutive copies all vanish with probability p^k: the
//     lead leaves room for enough copies to make that negligible);
//   - the server-tick estimate: where the server is now, from snapshot
//     arrivals and half the round trip, for interpolation and the net graph.
// Snapshots that come far behind the estimate (a server catching up after a
// stall) move neither clock unless they keep coming so for 300 ms.
//
// IMPORTANT: time comes in as values (util::TimePoint); nothing reads a clock.
#pragma once

#include "shared/sim/types.hpp"
#include "shared/util/clock.hpp"

#include <cstdint>
#include <optional>

namespace skirmish::client {

class ClientClock {
public:
    // input_period_ticks: the client sends an input packet every this many
    // ticks (GameClient's --input-rate), so the oldest input of a packet
    // leaves that many ticks minus one after it was made: the target lead
    // grows by as much, and each further copy a lossy link needs costs a
    // whole period.
    explicit ClientClock(int tick_rate_hz, int input_period_ticks = 1);

    // A snapshot of `server_tick` arrived at `now`; `input_lead` is how many
    // ticks ahead of the server's need our newest input was when it was built.
    // loss_pct: recent snapshot loss, taken as the loss of our inputs too.
    void on_snapshot(sim::Tick server_tick, std::int32_t input_lead, double rtt_ms, double jitter_ms,
                     double loss_pct, util::TimePoint now);

    // Moves the input clock to `now`. Ticks in [previous input_tick(), input_tick())
    // are the ones to generate inputs for.
    void advance(util::TimePoint now);

    bool synced() const noexcept { return synced_; }
    sim::Tick input_tick() const noexcept;
    double server_tick_estimate(util::TimePoint now) const;
    double target_lead_ticks() const noexcept { return target_lead_; }
    double lead_ticks() const noexcept { return lead_ema_; }
    double speed() const noexcept { return speed_; }
    std::uint64_t resyncs() const noexcept { return resyncs_; }
    // Snapshots that came behind the estimate, from a server catching up
    // after a stall, whose reports the clocks did not follow.
    std::uint64_t set_aside() const noexcept { return set_aside_; }

private:
    double rate_;
    double period_; // ticks between input packets
    bool synced_ = false;
    double input_tick_ = 0;          // fractional: the integer part is the next input's tick
    // Lead reports describe inputs sent a round trip ago: after a (re)sync,
    // only reports about inputs from this tick on say anything about the new clock.
    double trust_from_tick_ = 0;
    util::TimePoint last_advance_{};
    double speed_ = 1.0;
    double lead_ema_ = 0;
    double target_lead_ = 2;
    // server tick ≈ (now - epoch) * rate + offset_
    util::TimePoint epoch_{};
    double offset_ = 0;
    std::uint64_t resyncs_ = 0;
    std::optional<util::TimePoint> behind_since_; // snapshots have come behind the estimate since
    std::uint64_t set_aside_ = 0;
};

} // namespace skirmish::client
