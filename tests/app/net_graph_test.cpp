// The net graph's figures from known inputs: frames per second, the ping
// series, snapshot arrival bars with losses marked, and the text lines.
#include "client/app/net_graph.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace skirmish::app;
using namespace std::chrono_literals;

namespace {
const util::TimePoint t0 = util::TimePoint{} + 100s;
}

TEST(NetGraph, FramesPerSecondCountsTheLastSecond) {
    NetGraph graph;
    for (int i = 0; i <= 120; ++i) graph.record_frame(t0 + i * 10ms); // 100 fps for 1.2 s
    EXPECT_NEAR(graph.figures().fps, 100.0, 1.0);
    EXPECT_NEAR(graph.figures().frame_ms_max, 10.0, 0.01);
    graph.record_frame(t0 + 1200ms + 50ms); // one slow frame
    EXPECT_NEAR(graph.figures().frame_ms_max, 50.0, 0.01);
}

TEST(NetGraph, CopiesTheFiguresOfTheConnection) {
    client::NetStats s;
    s.rtt_ms = 42;
    s.jitter_ms = 3;
    s.snapshot_loss_pct = 10;
    s.reliable_loss_pct = 2;
    s.bytes_in_per_s = 1500;
    s.bytes_out_per_s = 2500;
    s.snapshot_rate_hz = 27;
    s.interp_delay_ms = 80;
    s.interp_buffer_depth = 3;
    s.corrections = 4;
    s.have_server_stats = true;
    s.server.tick_ms_p99 = 0.75f;
    s.server.tick_rate_hz = 60;
    NetGraph graph;
    graph.record_match(t0, s, {}, 2);
    const auto f = graph.figures();
    EXPECT_EQ(f.ping_ms, 42);
    EXPECT_EQ(f.loss_in_pct, 10);
    EXPECT_EQ(f.loss_out_pct, 2);
    EXPECT_DOUBLE_EQ(f.kb_in_per_s, 1.5);
    EXPECT_DOUBLE_EQ(f.kb_out_per_s, 2.5);
    EXPECT_EQ(f.interp_buffer, 3);
    EXPECT_FLOAT_EQ(static_cast<float>(f.server_tick_p99_ms), 0.75f);
    const auto lines = graph.lines();
    ASSERT_EQ(lines.size(), 8u);
    EXPECT_NE(lines[1].find("ping   42 ms"), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find("loss in  0.0 % (last 10 s)"), std::string::npos) << "no arrivals: " << lines[2];
    EXPECT_NE(lines[7].find("p99 0.75"), std::string::npos) << lines[7];
}

TEST(NetGraph, PingIsSampledEvery100MsOverTenSeconds) {
    NetGraph graph;
    client::NetStats s;
    for (int ms = 0; ms <= 12000; ms += 5) {
        s.rtt_ms = ms < 6000 ? 20 : 180;
        graph.record_match(t0 + std::chrono::milliseconds(ms), s, {}, 2);
    }
    const auto& series = graph.ping_series();
    EXPECT_NEAR(static_cast<double>(series.size()), 100.0, 2.0);
    EXPECT_EQ(series.back().rtt_ms, 180);
    EXPECT_EQ(graph.ping_scale_ms(), 200.0);
}

TEST(NetGraph, ArrivalBarsShowIntervalsAndLostSnapshots) {
    // Snapshots every 2 ticks, 33 ms apart; tick 108 and 110 are lost, 114 comes late.
    std::deque<client::SnapshotArrival> arrivals;
    const auto arrive = [&](int ms, sim::Tick tick) { arrivals.push_back({t0 + std::chrono::milliseconds(ms), tick, 100, false}); };
    arrive(0, 100);
    arrive(33, 102);
    arrive(66, 104);
    arrive(100, 106);
    arrive(200, 112);
    arrive(260, 114);
    NetGraph graph;
    graph.record_match(t0 + 260ms, {}, arrivals, 2);
    const auto& bars = graph.arrival_series();
    ASSERT_EQ(bars.size(), 6u);
    EXPECT_EQ(bars[0].interval_ms, 0);
    EXPECT_NEAR(bars[1].interval_ms, 33, 0.01);
    EXPECT_EQ(bars[1].lost_before, 0);
    EXPECT_NEAR(bars[4].interval_ms, 100, 0.01);
    EXPECT_EQ(bars[4].lost_before, 2);
    EXPECT_NEAR(bars[5].interval_ms, 60, 0.01);
    EXPECT_EQ(graph.arrival_scale_ms(), 100.0);

    // The same arrivals again add nothing; a new one adds one bar; an old
    // (reordered) one adds no bar and no gap.
    arrive(290, 116);
    arrive(295, 110);
    graph.record_match(t0 + 300ms, {}, arrivals, 2);
    ASSERT_EQ(bars.size(), 7u);
    EXPECT_EQ(bars[6].lost_before, 0);
    graph.record_match(t0 + 310ms, {}, arrivals, 2);
    EXPECT_EQ(bars.size(), 7u);
}

TEST(NetGraph, CorrectionsPerMinuteOverTheWindow) {
    NetGraph graph;
    client::NetStats s;
    for (int second = 0; second <= 10; ++second) {
        s.corrections = static_cast<std::uint64_t>(second) * 2; // 2 per second
        graph.record_match(t0 + std::chrono::seconds(second), s, {}, 2);
    }
    EXPECT_NEAR(graph.figures().corrections_per_min, 120.0, 0.5);
}

TEST(NetGraph, ResetStartsTheSeriesAgain) {
    NetGraph graph;
    std::deque<client::SnapshotArrival> arrivals{{t0, 10, 50, true}};
    graph.record_match(t0, {}, arrivals, 2);
    EXPECT_FALSE(graph.arrival_series().empty());
    graph.reset_match();
    EXPECT_TRUE(graph.arrival_series().empty());
    EXPECT_TRUE(graph.ping_series().empty());
}

TEST(NetGraph, LossOverTenSecondsHoldsSteadyWhereTheLastSecondJumps) {
    // 30 snapshots a second for 12 s, every 20th lost (5 %): the last
    // second's figure swings between 0 and 6.7 %, the window's stays near 5.
    std::deque<client::SnapshotArrival> arrivals;
    NetGraph graph;
    double low = 100, high = 0;
    sim::Tick tick = 100;
    for (int i = 0; i < 360; ++i) {
        tick += 2;
        if (i % 20 == 7) continue; // lost
        const util::TimePoint when = t0 + std::chrono::milliseconds(i * 1000 / 30);
        arrivals.push_back({when, tick, 100, false});
        while (arrivals.size() > client::NetFigures::kArrivalHistory) arrivals.pop_front();
        graph.record_match(when, {}, arrivals, 2);
        if (i >= 300) {
            low = std::min(low, graph.figures().loss_in_window_pct);
            high = std::max(high, graph.figures().loss_in_window_pct);
        }
    }
    EXPECT_GT(low, 4.0);
    EXPECT_LT(high, 6.0);
    EXPECT_NE(graph.lines()[2].find("(last 10 s)"), std::string::npos) << graph.lines()[2];
}

TEST(NetGraph, ArrivalScaleFollowsTheBarsDrawn) {
    // A 400 ms stall 5 s ago no longer sets the scale of the last 3 s.
    std::deque<client::SnapshotArrival> arrivals;
    arrivals.push_back({t0, 100, 100, false});
    arrivals.push_back({t0 + 400ms, 102, 100, true});
    for (int i = 1; i <= 150; ++i) arrivals.push_back({t0 + 400ms + i * 33ms, static_cast<sim::Tick>(102 + 2 * i), 100, false});
    NetGraph graph;
    graph.record_match(arrivals.back().when, {}, arrivals, 2);
    EXPECT_EQ(graph.arrival_scale_ms(), 100.0);
    EXPECT_TRUE(graph.arrival_series()[1].full);
}
