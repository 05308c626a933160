// client/core/interpolation: others drawn a little in the past between two
// snapshots that have both arrived; past the newest one, extrapolated along
// their velocity for at most max_extrapolation_ms and then held; the delay
// steered towards its target by at most ±10 % of real time, never a jump
// unless far off; and a jump that no movement explains (back from an
// extrapolation that guessed wrong) blended out in what is drawn rather than
// shown.
#include "client/core/interpolation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace skirmish;
using namespace std::chrono_literals;

namespace {

constexpr int kTickRate = 60;
constexpr int kInterval = 2;       // a snapshot every 2 ticks (30 Hz)
constexpr float kSpeed = 120.0f;   // units per second, along x
constexpr sim::PlayerId kRemote{7};

// The other player at `tick`: moving steadily, so any interpolation between
// two snapshots lands exactly on the line.
protocol::SnapshotState snapshot_at(sim::Tick tick) {
    sim::Player p;
    p.id = kRemote;
    p.alive = true;
    p.position = {100.0f + kSpeed * static_cast<float>(tick) / kTickRate, 200.0f};
    p.velocity = {kSpeed, 0.0f};
    return {tick, sim::MatchPhase::Running, {p}};
}

float x_at(double tick) { return 100.0f + kSpeed * static_cast<float>(tick / kTickRate); }

util::TimePoint at_ms(double ms) {
    return util::TimePoint{} + std::chrono::duration_cast<util::Duration>(std::chrono::duration<double, std::milli>(ms));
}

double tick_ms(sim::Tick ticks) { return 1000.0 * ticks / kTickRate; }

protocol::SnapshotState snapshot(sim::Tick tick, sim::Vec2 position, sim::Vec2 velocity) {
    protocol::SnapshotState s;
    s.tick = tick;
    sim::Player p;
    p.id = sim::PlayerId{7};
    p.position = position;
    p.velocity = velocity;
    p.alive = true;
    s.players = {p};
    return s;
}

} // namespace

TEST(Interpolation, DrawsBetweenTheTwoSnapshotsAroundTheRenderTick) {
    client::Interpolator in(kTickRate, kInterval, {});
    util::TimePoint now{};
    for (sim::Tick t = 2; t <= 20; t += kInterval) {
        in.push(snapshot(t, {static_cast<float>(t) * 10.0f, 0}, {600, 0}), now);
        in.update(now, 0);
        now += 33ms;
    }
    const double rt = in.render_tick();
    ASSERT_LT(rt, 20.0);
    ASSERT_GT(rt, 2.0);
    const auto players = in.sample();
    ASSERT_EQ(players.size(), 1u);
    EXPECT_NEAR(players[0].position.x, rt * 10.0, 0.01);
    EXPECT_FALSE(in.extrapolating());
    // Nothing jumped: what is drawn is what is sampled.
    EXPECT_EQ(in.drawn()[0].position, players[0].position);
}

TEST(Interpolation, ComingBackFromAWrongExtrapolationIsBlendedNotSnapped) {
    client::InterpolationOptions options;
    options.max_extrapolation_ms = 100;
    client::Interpolator in(kTickRate, kInterval, options);
    util::TimePoint now{};
    const util::Duration frame = std::chrono::microseconds(16'667);
    sim::Tick tick = 2;
    // Running right at 300 u/s, snapshots every 2 ticks, frames at 60 Hz.
    auto feed = [&](sim::Vec2 velocity, int snapshots) {
        for (int i = 0; i < snapshots; ++i) {
            in.push(snapshot(tick, {static_cast<float>(tick) * 5.0f, 0}, velocity), now);
            tick += kInterval;
            for (int f = 0; f < kInterval; ++f) {
                now += frame;
                in.update(now, 0);
            }
        }
    };
    feed({300, 0}, 20);
    // Then four snapshots are lost while the player stops dead: the
    // interpolator runs out of snapshots and extrapolates onwards.
    const sim::Vec2 stopped_at{static_cast<float>(tick - kInterval) * 5.0f, 0};
    for (int f = 0; f < 4 * kInterval; ++f) {
        now += frame;
        in.update(now, 0);
    }
    ASSERT_TRUE(in.extrapolating());
    const float extrapolated_x = in.drawn()[0].position.x;
    ASSERT_GT(extrapolated_x, stopped_at.x + 5.0f);
    // The next snapshot says it stopped: the raw sample jumps back at once...
    tick += 4 * kInterval;
    in.push(snapshot(tick, stopped_at, {0, 0}), now);
    now += frame;
    in.update(now, 0);
    const float raw_x = in.sample()[0].position.x;
    const float drawn_x = in.drawn()[0].position.x;
    EXPECT_LT(raw_x, extrapolated_x - 5.0f);
    // ...but what is drawn moves no further than it could in one frame,
    EXPECT_LE(std::abs(drawn_x - extrapolated_x), 300.0f * 1.25f / 60.0f + 1.1f);
    // and settles on the raw position within a few tenths of a second.
    for (int f = 0; f < 30; ++f) {
        now += frame;
        in.update(now, 0);
    }
    EXPECT_NEAR(in.drawn()[0].position.x, in.sample()[0].position.x, 0.1);

    // With smoothing off the jump is shown as it is (the study switch).
    client::InterpolationOptions raw = options;
    raw.smoothing = false;
    in.set_options(raw);
    now += frame;
    in.update(now, 0);
    EXPECT_EQ(in.drawn()[0].position, in.sample()[0].position);
}

TEST(Interpolation, StaysOnTheLineBetweenTwoArrivedSnapshotsFrameAfterFrame) {
    client::Interpolator interp(kTickRate, kInterval, {});
    // Snapshots arrive on time, 30 a second; frames at 240 Hz.
    sim::Tick next = 1000;
    int frames_checked = 0;
    for (double ms = 0; ms < 2000; ms += 1000.0 / 240) {
        while (tick_ms(next - 1000) <= ms) {
            interp.push(snapshot_at(next), at_ms(ms));
            next += kInterval;
        }
        interp.update(at_ms(ms), 0);
        const auto players = interp.sample();
        ASSERT_EQ(players.size(), 1u);
        ASSERT_FALSE(interp.extrapolating()) << "at " << ms << " ms";
        const double render = interp.render_tick();
        // Between two snapshots that have arrived, exactly on the line, at
        // the view tick: the render tick in the 1/256ths the client reports.
        ASSERT_LE(render, static_cast<double>(interp.newest()->tick));
        const double view = interp.view_tick();
        ASSERT_LE(view, render);
        ASSERT_GT(view, render - 1.0 / 256);
        ASSERT_EQ(view * 256, std::floor(view * 256)) << "a whole number of 1/256ths";
        if (render > 1000) {
            EXPECT_NEAR(players[0].position.x, x_at(view), 1e-3) << "view tick " << view;
            ++frames_checked;
        }
    }
    EXPECT_GT(frames_checked, 400);
    // About two snapshot intervals behind the newest (66.7 ms), within one interval.
    EXPECT_NEAR(interp.delay_ms(), tick_ms(2 * kInterval), tick_ms(kInterval));
}

TEST(Interpolation, ExtrapolatesAtMostMaxExtrapolationThenHolds) {
    client::InterpolationOptions options;
    options.max_extrapolation_ms = 100;
    client::Interpolator interp(kTickRate, kInterval, options);
    for (sim::Tick t = 1000; t <= 1020; t += kInterval) interp.push(snapshot_at(t), at_ms(tick_ms(t - 1000)));
    const float newest_x = interp.newest()->players[0].position.x;
    const float cap = kSpeed * 0.100f;
    // Snapshots stop at tick 1020; frames go on for 250 ms more.
    bool extrapolated = false, held = false;
    float last_x = 0;
    for (double ms = tick_ms(20); ms < tick_ms(20) + 250; ms += 1000.0 / 240) {
        interp.update(at_ms(ms), 0);
        const float x = interp.sample()[0].position.x;
        ASSERT_LE(x, newest_x + cap + 1e-3f) << "never beyond max_extrapolation_ms of motion";
        if (interp.extrapolating()) {
            extrapolated = true;
            EXPECT_GE(x, newest_x);
            if (std::abs(x - (newest_x + cap)) < 1e-3f) {
                if (held) {
                    EXPECT_EQ(x, last_x) << "held where the cap is reached";
                }
                held = true;
            }
        }
        last_x = x;
    }
    EXPECT_TRUE(extrapolated);
    EXPECT_TRUE(held);
    EXPECT_TRUE(interp.extrapolating());
}

TEST(Interpolation, SteersItsDelayTowardsTheTargetWithoutJumps) {
    client::Interpolator interp(kTickRate, kInterval, {});
    sim::Tick next = 1000;
    double previous_render = -1;
    double previous_ms = 0;
    const double frame_ms = 1000.0 / 240;
    // 3 s on a clean link, then the arrival jitter rises to 25 ms: the delay
    // target grows by 2 × 25 ms = 3 ticks, and the render tick slows down to
    // get there instead of jumping back.
    for (double ms = 0; ms < 8000; ms += frame_ms) {
        while (tick_ms(next - 1000) <= ms) {
            interp.push(snapshot_at(next), at_ms(ms));
            next += kInterval;
        }
        const double jitter_ms = ms < 3000 ? 0.0 : 25.0;
        interp.update(at_ms(ms), jitter_ms);
        const double render = interp.render_tick();
        if (previous_render >= 0) {
            const double advanced = render - previous_render;
            const double real = util::to_seconds(at_ms(ms) - at_ms(previous_ms)) * kTickRate;
            ASSERT_GE(advanced, 0.9 * real * (1 - 1e-9)) << "at " << ms << " ms";
            ASSERT_LE(advanced, 1.1 * real * (1 + 1e-9)) << "at " << ms << " ms";
        }
        previous_render = render;
        previous_ms = ms;
    }
    // Settled on the new target: 2 intervals + 2 × jitter, within one interval.
    EXPECT_NEAR(interp.delay_ms(), tick_ms(2 * kInterval) + 50.0, tick_ms(kInterval));
}

TEST(Interpolation, JumpsWhenFarOffAfterAStall) {
    client::Interpolator interp(kTickRate, kInterval, {});
    for (sim::Tick t = 1000; t <= 1020; t += kInterval) interp.push(snapshot_at(t), at_ms(tick_ms(t - 1000)));
    interp.update(at_ms(tick_ms(20)), 0);
    // A second of nothing, then the stream resumes a second further on.
    interp.push(snapshot_at(1080), at_ms(tick_ms(20) + 1000));
    interp.update(at_ms(tick_ms(20) + 1000 + 1), 0);
    EXPECT_NEAR(interp.render_tick(), 1080.0 - 2 * kInterval, 1e-9);
}

TEST(Interpolation, SlotsInLateSnapshotsAndIgnoresStaleOnes) {
    client::Interpolator interp(kTickRate, kInterval, {});
    interp.push(snapshot_at(1000), at_ms(0));
    interp.push(snapshot_at(1004), at_ms(66));
    interp.push(snapshot_at(1002), at_ms(70)); // late, but still ahead of the oldest
    interp.push(snapshot_at(1000), at_ms(71)); // a duplicate
    EXPECT_EQ(interp.newest()->tick, 1004u);
    interp.update(at_ms(71), 0); // the render tick starts at 1004 - 4 = 1000
    EXPECT_EQ(interp.buffer_depth(), 2) << "1002 and 1004 wait ahead of the render tick";
}

TEST(Interpolation, OffDrawsEveryoneAtTheNewestSnapshot) {
    client::InterpolationOptions options;
    options.enabled = false;
    client::Interpolator interp(kTickRate, kInterval, options);
    for (sim::Tick t = 1000; t <= 1010; t += kInterval) interp.push(snapshot_at(t), at_ms(tick_ms(t - 1000)));
    interp.update(at_ms(tick_ms(10)), 0);
    EXPECT_EQ(interp.sample()[0].position.x, snapshot_at(1010).players[0].position.x);
    EXPECT_FALSE(interp.extrapolating());
}
