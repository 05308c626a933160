// Interpolation of remote players: drawn between two snapshots that have
// arrived, extrapolated briefly past the newest, and a jump that no movement
// explains (back from an extrapolation that guessed wrong) blended out in
// what is drawn rather than shown.
#include "client/core/interpolation.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;

namespace {

constexpr int kRate = 60;
constexpr int kInterval = 2;

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
    client::Interpolator in(kRate, kInterval, {});
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
    client::Interpolator in(kRate, kInterval, options);
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
