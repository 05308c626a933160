// server/game/tick_metrics: the tick loop's figures: work time and lateness
// over the last closed second and over the run, per-phase percentiles, and
// overruns (work longer than the tick period), counted and never skipped.
#include "server/game/tick_metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace skirmish;

namespace {
constexpr double kPeriodMs = 1000.0 / 60;
} // namespace

TEST(TickMetrics, AnOverrunIsWorkLongerThanTheTickPeriod) {
    server::TickMetrics m;
    m.record(2.0, 0.1, kPeriodMs);
    m.record(kPeriodMs, 0.1, kPeriodMs); // exactly the period: on time
    m.record(20.0, 0.1, kPeriodMs);
    m.roll_second();
    const server::TickFigures s = m.last_second();
    EXPECT_EQ(s.ticks, 3u);
    EXPECT_EQ(s.overruns, 1u);
    EXPECT_NEAR(s.work_ms_max, 20.0, 0.4);
    EXPECT_EQ(m.whole_run().overruns, 1u);
}

TEST(TickMetrics, TheLastSecondIsTheClosedWindowOnly) {
    server::TickMetrics m;
    for (int i = 0; i < 60; ++i) m.record(1.0, 0.5, kPeriodMs);
    EXPECT_EQ(m.last_second().ticks, 0u) << "nothing closed yet";
    m.roll_second();
    server::TickFigures first = m.last_second();
    EXPECT_NEAR(first.work_ms_p50, 1.0, 0.02);
    EXPECT_NEAR(first.late_ms_p99, 0.5, 0.01);
    // The next second is slower; until it closes, the last second stands.
    for (int i = 0; i < 60; ++i) m.record(4.0, 2.0, kPeriodMs);
    EXPECT_NEAR(m.last_second().work_ms_p50, 1.0, 0.02);
    m.roll_second();
    const server::TickFigures second = m.last_second();
    EXPECT_NEAR(second.work_ms_p50, 4.0, 0.07) << "the window starts afresh each second";
    EXPECT_NEAR(second.late_ms_max, 2.0, 0.04);
    // The run covers both seconds.
    const server::TickFigures run = m.whole_run();
    EXPECT_EQ(run.ticks, 120u);
    EXPECT_NEAR(run.work_ms_p50, 1.0, 0.02);
    EXPECT_NEAR(run.work_ms_max, 4.0, 0.07);
}

TEST(TickMetrics, RestartingTheRunForgetsIdleTicksButTheProcessKeepsItsOverruns) {
    server::TickMetrics m;
    for (int i = 0; i < 100; ++i) m.record(0.05, 0.0, kPeriodMs); // idle, before anyone joined
    m.record(30.0, 0.0, kPeriodMs);                                 // one overrun while idle
    m.restart_run();
    for (int i = 0; i < 10; ++i) m.record(3.0, 0.0, kPeriodMs);
    m.roll_second();
    const server::TickFigures run = m.whole_run();
    EXPECT_EQ(run.ticks, 10u);
    EXPECT_EQ(run.overruns, 0u);
    EXPECT_NEAR(run.work_ms_p50, 3.0, 0.05);
    EXPECT_EQ(m.last_second().overruns, 1u) << "since the process started";
    EXPECT_EQ(m.last_second().ticks, 111u);
}

TEST(TickMetrics, EachPhaseHasItsOwnPercentiles) {
    server::TickMetrics m;
    for (int i = 0; i < 100; ++i) {
        m.record_phase(server::TickPhase::Network, 0.1);
        m.record_phase(server::TickPhase::Step, i < 99 ? 0.3 : 5.0);
        m.record_phase(server::TickPhase::Flush, 2.0);
    }
    const server::TickFigures run = m.whole_run();
    const auto phase = [](server::TickPhase p) { return static_cast<int>(p); };
    EXPECT_NEAR(run.phase_ms_p50[phase(server::TickPhase::Network)], 0.1, 0.002);
    EXPECT_NEAR(run.phase_ms_p50[phase(server::TickPhase::Step)], 0.3, 0.005);
    EXPECT_NEAR(run.phase_ms_p99[phase(server::TickPhase::Flush)], 2.0, 0.04);
    EXPECT_EQ(run.phase_ms_p50[phase(server::TickPhase::Snapshots)], 0.0) << "never recorded";
    m.restart_run();
    EXPECT_EQ(m.whole_run().phase_ms_p50[phase(server::TickPhase::Flush)], 0.0);
    EXPECT_EQ(server::name(server::TickPhase::Snapshots), "snapshots");
}

TEST(TickMetrics, ReadersOnOtherThreadsGetWholeCopies) {
    server::TickMetrics m;
    std::thread tick([&] {
        for (int i = 0; i < 20'000; ++i) {
            m.record(1.0, 0.0, kPeriodMs);
            if (i % 100 == 99) m.roll_second();
        }
    });
    // Whatever a reader sees, it is a consistent copy: a closed window has
    // whole hundreds of ticks and a single work time throughout.
    for (int i = 0; i < 2'000; ++i) {
        const server::TickFigures s = m.last_second();
        ASSERT_EQ(s.ticks % 100, 0u);
        if (s.ticks > 0) {
            ASSERT_NEAR(s.work_ms_p50, 1.0, 0.02);
        }
    }
    tick.join();
    EXPECT_EQ(m.whole_run().ticks, 20'000u);
}
