// client/core/net_figures: the net graph's figures from what arrives: loss
// from gaps in the snapshot ticks, rates over the last whole second, arrival
// jitter, corrections that are not teleports, the peer's round trip.
#include "client/core/net_figures.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;

namespace {
const util::TimePoint t0{};
} // namespace

TEST(NetFigures, CountsLossFromGapsInTheSnapshotTicks) {
    client::NetFigures f;
    f.start(t0);
    f.set_timing(60, 2);
    f.count_snapshot(100, 0, 50, true, t0);
    f.count_snapshot(102, 100, 40, false, t0 + 33ms);
    f.count_snapshot(106, 102, 40, false, t0 + 100ms);  // 104 lost
    f.count_snapshot(112, 106, 40, false, t0 + 200ms);  // 108 and 110 lost
    f.count_undecodable();
    EXPECT_EQ(f.stats().snapshots_received, 4u);
    EXPECT_EQ(f.stats().snapshots_lost, 3u);
    EXPECT_EQ(f.stats().full_snapshots, 1u);
    EXPECT_EQ(f.stats().snapshot_bytes, 170u);
    EXPECT_EQ(f.stats().snapshots_undecodable, 1u);
    ASSERT_EQ(f.arrivals().size(), 4u);
    EXPECT_EQ(f.arrivals().back().tick, 112u);
    EXPECT_TRUE(f.arrivals().front().full);
}

TEST(NetFigures, RatesCoverTheLastWholeSecond) {
    client::NetFigures f;
    f.start(t0);
    f.set_timing(60, 2);
    net::HostCounters c;
    // One second: 27 snapshots, 3 lost (every tenth interval missing).
    sim::Tick tick = 100, previous = 0;
    util::TimePoint now = t0;
    for (int i = 0; i < 30; ++i) {
        now = t0 + std::chrono::milliseconds(33 * i);
        if (i % 10 != 9) {
            f.count_snapshot(tick, previous, 40, false, now);
            previous = tick;
        }
        tick += 2;
        c.bytes_received += 100;
        c.bytes_sent += 30;
        f.update(now, c);
    }
    EXPECT_EQ(f.stats().snapshot_rate_hz, 0) << "no whole second yet";
    EXPECT_EQ(f.stats().bytes_in, 3000u);
    f.update(t0 + 1s, c);
    EXPECT_EQ(f.stats().snapshot_rate_hz, 27);
    // The third gap (tick 158, i = 29) is not seen until a later snapshot arrives.
    EXPECT_NEAR(f.stats().snapshot_loss_pct, 100.0 * 2 / 29, 1e-9);
    EXPECT_EQ(f.stats().bytes_in_per_s, 3000);
    EXPECT_EQ(f.stats().bytes_out_per_s, 900);
    // The slow loss average moves a fifth of the way from its 5 % start.
    EXPECT_NEAR(f.loss_ema_pct(), 5.0 + (100.0 * 2 / 29 - 5.0) * 0.2, 1e-9);
    // A quiet second after it: no snapshots, nothing sent.
    f.update(t0 + 2s + 1ms, c);
    EXPECT_EQ(f.stats().snapshot_rate_hz, 0);
    EXPECT_EQ(f.stats().bytes_in_per_s, 0);
}

TEST(NetFigures, ArrivalJitterIsZeroOnTimeAndGrowsWhenRagged) {
    client::NetFigures even, ragged;
    for (client::NetFigures* f : {&even, &ragged}) {
        f->start(t0);
        f->set_timing(60, 2);
    }
    for (int i = 0; i < 100; ++i) {
        const auto tick = static_cast<sim::Tick>(100 + 2 * i);
        const auto on_time = t0 + std::chrono::microseconds(33'333 * i);
        even.count_snapshot(tick, tick - 2, 40, false, on_time);
        // Every other snapshot 10 ms late.
        ragged.count_snapshot(tick, tick - 2, 40, false, on_time + std::chrono::milliseconds(i % 2 ? 10 : 0));
    }
    EXPECT_LT(even.arrival_jitter_ms(), 0.01);
    EXPECT_NEAR(ragged.arrival_jitter_ms(), 10.0, 0.5);
    EXPECT_EQ(ragged.stats().snapshot_jitter_ms, ragged.arrival_jitter_ms());
}

TEST(NetFigures, TeleportsAndTinyNudgesAreNotCorrections) {
    client::NetFigures f;
    f.count_correction({true, 3.0f}, 96.0f);
    f.count_correction({true, 0.005f}, 96.0f); // below what a person could see
    f.count_correction({true, 400.0f}, 96.0f); // a respawn
    f.count_correction({false, 0.0f}, 96.0f);
    f.count_correction({true, 7.5f}, 96.0f);
    EXPECT_EQ(f.stats().corrections, 2u);
    EXPECT_FLOAT_EQ(static_cast<float>(f.stats().last_correction), 7.5f);
    EXPECT_FLOAT_EQ(static_cast<float>(f.stats().max_correction), 7.5f);
}

TEST(NetFigures, ThePeersRoundTripOnlyWhileThereIsAPeer) {
    client::NetFigures f;
    f.sample_peer({42, 5, 0.02, true});
    EXPECT_EQ(f.stats().rtt_ms, 42);
    EXPECT_EQ(f.stats().jitter_ms, 5);
    EXPECT_NEAR(f.stats().reliable_loss_pct, 2.0, 1e-9);
    f.sample_peer({}); // gone: the last figures stay
    EXPECT_EQ(f.stats().rtt_ms, 42);
}

TEST(NetFigures, CorrectionsAreSizedAndTheShareOtherPlayersCausedCounted) {
    client::NetFigures f;
    for (int i = 1; i <= 100; ++i) f.count_correction({true, static_cast<float>(i) / 10.0f, i % 4 == 0}, 96.0f);
    f.count_correction({true, 400.0f, true}, 96.0f); // a respawn: neither counted nor sized
    EXPECT_EQ(f.stats().corrections, 100u);
    EXPECT_EQ(f.stats().corrections_by_players, 25u);
    const util::Histogram& sizes = f.correction_units();
    EXPECT_EQ(sizes.count(), 100u);
    EXPECT_NEAR(sizes.mean(), 5.05, 1e-3);
    EXPECT_NEAR(sizes.percentile(99), 9.9, 0.2);
    EXPECT_NEAR(sizes.max(), 10.0, 1e-6);
    f.restart_correction_units();
    EXPECT_EQ(f.correction_units().count(), 0u);
    EXPECT_EQ(f.stats().corrections, 100u) << "the count stays";
}
