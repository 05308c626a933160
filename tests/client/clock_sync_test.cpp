// client/core/clock_sync: the client's input clock runs ahead of the server by
// the one-way trip plus a lead that covers jitter and loss, so every input
// arrives just before the server steps its tick; it converges, and it
// resyncs (once) when the path changes far. Simulated: a 60 Hz server and a
// client joined by a seeded path, stepped 1 ms at a time in simulated time.
#include "client/core/clock_sync.hpp"
#include "client/core/game_client.hpp"
#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace skirmish;

namespace {

constexpr int kRate = 60;
constexpr sim::Tick kFirstTick = 1000;

struct Path {
    double up_ms = 50;
    double down_ms = 50;
    double jitter_ms = 0; // each datagram is delayed by a further uniform [0, jitter_ms]
};

class ClockWorld {
public:
    ClockWorld(Path path, std::uint64_t seed) : path_(path), rng_(seed), clock_(kRate) {}

    void set_path(Path path) { path_ = path; }

    // Runs `ms` more of simulated time. An input that has not arrived when
    // the server steps its tick counts as late (see reset_late()).
    void run(double ms) {
        for (const double end = now_ms_ + ms; now_ms_ < end; now_ms_ += 1.0) step();
    }
    void reset_late() { late_ = 0; }
    // The server's thread gets no CPU for `ms` (a loaded machine): it steps
    // nothing meanwhile, then runs the missed ticks back to back, as its
    // absolute schedule does. The path and the client run on.
    void stall_server(double ms) { server_stalled_until_ms_ = now_ms_ + ms; }

    const client::ClientClock& clock() const { return clock_; }
    std::uint64_t late() const { return late_; }
    std::int32_t last_lead() const { return last_lead_; }
    double server_tick() const { return kFirstTick + now_ms_ * kRate / 1000.0; }
    util::TimePoint now() const { return at(now_ms_); }

private:
    static util::TimePoint at(double ms) {
        return util::TimePoint{} + std::chrono::duration_cast<util::Duration>(std::chrono::duration<double, std::milli>(ms));
    }
    double delay(double base) { return base + rng_.uniform(0.0, path_.jitter_ms); }

    void step() {
        // Inputs that reach the server.
        for (auto it = inputs_.begin(); it != inputs_.end() && it->first <= now_ms_; it = inputs_.erase(it)) {
            arrived_.insert(it->second);
            newest_input_ = std::max(newest_input_, it->second);
        }
        // The server steps its ticks; every second one sends a snapshot
        // reporting how far ahead of need our newest input is.
        while (server_next_ms_ <= now_ms_ && now_ms_ >= server_stalled_until_ms_) {
            if (clock_.synced() && !arrived_.contains(server_tick_) && server_tick_ >= first_input_) ++late_;
            while (!arrived_.empty() && *arrived_.begin() + 200 < server_tick_) arrived_.erase(arrived_.begin());
            if (server_tick_ % 2 == 0) {
                const auto lead = static_cast<std::int32_t>(static_cast<std::int64_t>(newest_input_) - server_tick_);
                snapshots_.emplace(delay(now_ms_ + path_.down_ms), std::pair{server_tick_, lead});
            }
            ++server_tick_;
            server_next_ms_ += 1000.0 / kRate;
        }
        // Snapshots that reach the client, stale ones dropped (ENet's sequencing).
        for (auto it = snapshots_.begin(); it != snapshots_.end() && it->first <= now_ms_; it = snapshots_.erase(it)) {
            const auto [tick, lead] = it->second;
            if (tick <= newest_snapshot_) continue;
            newest_snapshot_ = tick;
            last_lead_ = lead;
            const double rtt_ms = path_.up_ms + path_.down_ms + path_.jitter_ms;
            clock_.on_snapshot(tick, lead, rtt_ms, path_.jitter_ms, 0.0, at(now_ms_));
        }
        // The client's frames (250 Hz): one input per new tick, as GameClient does.
        if (std::fmod(now_ms_, 4.0) == 0.0) {
            clock_.advance(at(now_ms_));
            if (!clock_.synced()) return;
            const sim::Tick target = clock_.input_tick();
            if (!inputs_started_ || target > next_input_ + 8 || target + 64 < next_input_) {
                next_input_ = target - 1;
                if (!inputs_started_) first_input_ = target - 1;
                inputs_started_ = true;
            }
            for (; next_input_ < target; ++next_input_) inputs_.emplace(delay(now_ms_ + path_.up_ms), next_input_);
        }
    }

    Path path_;
    util::Rng rng_;
    client::ClientClock clock_;
    double now_ms_ = 0;
    // Server side.
    sim::Tick server_tick_ = kFirstTick;
    double server_next_ms_ = 0;
    double server_stalled_until_ms_ = 0;
    sim::Tick newest_input_ = 0;
    sim::Tick first_input_ = 0;
    std::set<sim::Tick> arrived_;
    std::uint64_t late_ = 0;
    // In flight, by arrival time.
    std::multimap<double, sim::Tick> inputs_;
    std::multimap<double, std::pair<sim::Tick, std::int32_t>> snapshots_;
    // Client side.
    sim::Tick newest_snapshot_ = 0;
    std::int32_t last_lead_ = 0;
    sim::Tick next_input_ = 0;
    bool inputs_started_ = false;
};

} // namespace

TEST(ClientClock, ConvergesToALeadThatCoversRttAndJitter) {
    for (const Path path : {Path{50, 50, 0}, Path{50, 50, 20}, Path{120, 30, 40}}) {
        SCOPED_TRACE(testing::Message() << "path up " << path.up_ms << " down " << path.down_ms << " jitter "
                                        << path.jitter_ms);
        ClockWorld world(path, 7);
        world.run(5000);
        world.reset_late();
        world.run(10000);
        const client::ClientClock& clock = world.clock();
        // The target: one tick, plus twice the jitter in ticks.
        EXPECT_DOUBLE_EQ(clock.target_lead_ticks(), 1.0 + std::ceil(2.0 * path.jitter_ms / 1000.0 * kRate));
        EXPECT_NEAR(clock.lead_ticks(), clock.target_lead_ticks(), 1.0);
        EXPECT_EQ(world.late(), 0u) << "every input arrived before the server stepped its tick";
        // Ahead of the server by the way up plus the lead.
        const double ahead = static_cast<double>(clock.input_tick()) - world.server_tick();
        const double up_ticks = (path.up_ms + path.jitter_ms) / 1000.0 * kRate;
        EXPECT_GT(ahead, up_ticks);
        EXPECT_LT(ahead, up_ticks + clock.target_lead_ticks() + 3.0);
        EXPECT_EQ(clock.resyncs(), 0u);
    }
}

TEST(ClientClock, LossRaisesTheLeadSoEnoughCopiesOfEachInputGetThrough) {
    client::ClientClock clock(kRate);
    const util::TimePoint t0{};
    clock.on_snapshot(1000, 0, 100, 0, 0.0, t0);
    EXPECT_DOUBLE_EQ(clock.target_lead_ticks(), 1.0);
    // 10 % loss: four copies make losing all of them 1e-4, three more ticks of lead.
    clock.on_snapshot(1002, 0, 100, 0, 10.0, t0 + std::chrono::milliseconds(33));
    EXPECT_DOUBLE_EQ(clock.target_lead_ticks(), 4.0);
}

// A packet every P ticks (--input-rate): its oldest input waits P - 1 ticks,
// and each extra copy costs a whole period; never near the 64-tick window.
TEST(ClientClock, APacketEveryFewTicksRaisesTheLeadByThePeriod) {
    client::ClientClock every_second(kRate, 2);
    const util::TimePoint t0{};
    every_second.on_snapshot(1000, 0, 100, 0, 0.0, t0);
    EXPECT_DOUBLE_EQ(every_second.target_lead_ticks(), 2.0);
    every_second.on_snapshot(1002, 0, 100, 0, 10.0, t0 + std::chrono::milliseconds(33));
    EXPECT_DOUBLE_EQ(every_second.target_lead_ticks(), 8.0); // four copies, a period each
    client::ClientClock every_eighth(kRate, 8);
    every_eighth.on_snapshot(1000, 0, 100, 200, 40.0, t0);
    EXPECT_LE(every_eighth.target_lead_ticks(), 32.0);
    // The period: tick rate / input rate, rounded, 1 to 8 (a packet holds 16
    // inputs and an update may make 8).
    EXPECT_EQ(client::input_period_ticks(0, 60), 1);
    EXPECT_EQ(client::input_period_ticks(60, 60), 1);
    EXPECT_EQ(client::input_period_ticks(128, 60), 1);
    EXPECT_EQ(client::input_period_ticks(30, 60), 2);
    EXPECT_EQ(client::input_period_ticks(40, 60), 2);
    EXPECT_EQ(client::input_period_ticks(20, 60), 3);
    EXPECT_EQ(client::input_period_ticks(1, 60), client::kMaxInputPeriodTicks);
}

TEST(ClientClock, TheServerTickEstimateFollowsTheServer) {
    ClockWorld world({40, 40, 10}, 3);
    world.run(6000);
    for (int i = 0; i < 50; ++i) {
        world.run(97);
        EXPECT_NEAR(world.clock().server_tick_estimate(world.now()), world.server_tick(), 1.5);
    }
}

TEST(ClientClock, ResyncsOnceWhenThePathChangesFarThenConvergesAgain) {
    ClockWorld world({50, 50, 5}, 11);
    world.run(5000);
    ASSERT_EQ(world.clock().resyncs(), 0u);
    const sim::Tick before = world.clock().input_tick();
    // The path gets 250 ms longer each way: our inputs now arrive 15 ticks
    // late, far beyond what speeding up by a few percent could catch up.
    world.set_path({300, 300, 5});
    world.run(1000);
    EXPECT_EQ(world.clock().resyncs(), 1u);
    EXPECT_GT(world.clock().input_tick(), before + 60 + 10) << "jumped ahead, not drifted";
    world.run(4000);
    world.reset_late();
    world.run(5000);
    const client::ClientClock& clock = world.clock();
    EXPECT_EQ(clock.resyncs(), 1u);
    EXPECT_EQ(world.late(), 0u);
    EXPECT_NEAR(clock.lead_ticks(), clock.target_lead_ticks(), 1.0);
    EXPECT_NEAR(world.last_lead(), clock.target_lead_ticks(), 2.0);
}

// A server that stalls and then catches up sends a burst of snapshots whose
// leads overstate how early inputs arrive (the inputs kept coming while it
// stood still). The clock must not chase them: jumping back (a resync) or
// slowing down would make the inputs after the catch-up late.
TEST(ClientClock, AServerThatStallsThenCatchesUpMakesNoInputLate) {
    for (const double stall_ms : {120.0, 300.0, 600.0}) {
        SCOPED_TRACE(testing::Message() << "a stall of " << stall_ms << " ms");
        ClockWorld world({50, 50, 10}, 5);
        world.run(5000);
        ASSERT_EQ(world.clock().resyncs(), 0u);
        world.reset_late();
        for (int i = 0; i < 3; ++i) {
            world.stall_server(stall_ms);
            world.run(3000);
        }
        EXPECT_EQ(world.late(), 0u) << "inputs late after the server caught up";
        EXPECT_EQ(world.clock().resyncs(), 0u);
        EXPECT_NEAR(world.clock().lead_ticks(), world.clock().target_lead_ticks(), 1.0);
    }
}
