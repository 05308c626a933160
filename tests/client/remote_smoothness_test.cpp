// client/core/remote_smoothness: frames drawing others extrapolated, long
// extrapolations, and visible snaps of remote players.
#include "client/core/remote_smoothness.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace skirmish;

namespace {

using skirmish::test::kOther;
using skirmish::test::kSelf;

std::vector<sim::Player> drawn(sim::Vec2 other, bool alive = true) {
    sim::Player self;
    self.id = kSelf;
    self.alive = true;
    sim::Player p;
    p.id = kOther;
    p.position = other;
    p.alive = alive;
    return {self, p};
}

} // namespace

TEST(RemoteSmoothness, CountsExtrapolatedFramesAndLongExtrapolations) {
    client::RemoteSmoothness s;
    constexpr double kFrame = 0.01;
    for (int i = 0; i < 10; ++i) s.frame(kFrame, false, drawn({100, 100}), kSelf);
    for (int i = 0; i < 15; ++i) s.frame(kFrame, true, drawn({100, 100}), kSelf); // 150 ms: one long one
    for (int i = 0; i < 5; ++i) s.frame(kFrame, false, drawn({100, 100}), kSelf);
    for (int i = 0; i < 5; ++i) s.frame(kFrame, true, drawn({100, 100}), kSelf);  // 50 ms: short
    EXPECT_EQ(s.counts().frames, 35u);
    EXPECT_EQ(s.counts().extrapolated_frames, 20u);
    EXPECT_EQ(s.counts().long_extrapolations, 1u);
    EXPECT_NEAR(s.counts().extrapolated_pct(), 100.0 * 20 / 35, 1e-9);
    EXPECT_NEAR(s.counts().seconds, 0.35, 1e-9);
}

TEST(RemoteSmoothness, AMoveNoPlayerCanMakeInAFrameIsASnap) {
    const sim::Rules rules;
    client::RemoteSmoothness s(rules);
    constexpr double kFrame = 1.0 / 60;
    const float most = s.reach(kFrame);
    EXPECT_GT(most, rules.dash_speed * kFrame) << "a dash is not a snap";
    s.frame(kFrame, false, drawn({100, 100}), kSelf);
    s.frame(kFrame, false, drawn({100 + most - 0.5f, 100}), kSelf); // fast, but possible
    EXPECT_EQ(s.counts().snaps, 0u);
    s.frame(kFrame, false, drawn({100 + 2 * most + 1, 100}), kSelf);
    EXPECT_EQ(s.counts().snaps, 1u);
    EXPECT_NEAR(s.counts().snaps_per_min(), 60.0 / (3 * kFrame), 1e-6);
}

TEST(RemoteSmoothness, ARespawnIsNotASnap) {
    client::RemoteSmoothness s;
    s.frame(0.01, false, drawn({100, 100}), kSelf);
    s.frame(0.01, false, drawn({100, 100}, false), kSelf);  // killed
    s.frame(0.01, false, drawn({900, 700}), kSelf);         // back at a spawn
    EXPECT_EQ(s.counts().snaps, 0u);
}

TEST(RemoteSmoothness, FramesWithNobodyElseAreNotCounted) {
    client::RemoteSmoothness s;
    sim::Player self;
    self.id = kSelf;
    self.alive = true;
    const std::vector<sim::Player> alone{self};
    s.frame(0.01, true, alone, kSelf);
    s.frame(0.01, true, alone, kSelf);
    EXPECT_EQ(s.counts().frames, 0u);
    EXPECT_EQ(s.counts().extrapolated_frames, 0u);
}
