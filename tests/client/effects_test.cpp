// client/core/effects: shots and hits rebuilt from snapshot differences
// (snapshots carry states, not events), shown for a short while.
#include "client/core/effects.hpp"
#include "support/test_maps.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

using namespace skirmish;

namespace {

using skirmish::test::kOther;
using skirmish::test::kSelf;
constexpr sim::PlayerId kThird{3};

sim::Player player(sim::PlayerId id, sim::Vec2 at, std::uint16_t aim = 0) {
    sim::Player p;
    p.id = id;
    p.position = at;
    p.aim = aim; // 0: facing +x
    p.alive = true;
    p.health = 100;
    return p;
}

client::Effects arena(std::shared_ptr<const sim::Map> map) {
    client::Effects e;
    e.set_arena(std::move(map), sim::Rules{});
    return e;
}

} // namespace

TEST(Effects, AnotherPlayersShotIsATracerToTheFirstPlayerInTheWay) {
    client::Effects effects = arena(test::open_map());
    protocol::SnapshotState before{100, sim::MatchPhase::Running,
                                   {player(kSelf, {300, 500}), player(kOther, {100, 500}), player(kThird, {600, 500})}};
    protocol::SnapshotState after = before;
    after.tick = 102;
    after.players[1].next_fire_tick = 112; // kOther fired: its cooldown moved on
    effects.compare(&before, after, kSelf);
    ASSERT_EQ(effects.tracers().size(), 1u);
    const client::Tracer& t = effects.tracers()[0];
    EXPECT_EQ(t.shooter, kOther);
    EXPECT_FALSE(t.local);
    EXPECT_EQ(t.from, (sim::Vec2{100, 500}));
    // Stopped at our near edge (we stand first in the line of fire).
    EXPECT_NEAR(t.to.x, 300 - sim::Rules{}.player_radius, 0.01);
    EXPECT_NEAR(t.to.y, 500, 0.01);

    // No change, no tracer; our own cooldown is prediction's business, not this.
    protocol::SnapshotState later = after;
    later.tick = 104;
    later.players[0].next_fire_tick = 120;
    effects.compare(&after, later, kSelf);
    EXPECT_EQ(effects.tracers().size(), 1u);
}

TEST(Effects, TracersStopAtWalls) {
    client::Effects effects = arena(test::wall_map());
    effects.local_shot(player(kSelf, {300, 500}), {player(kOther, {700, 500})});
    ASSERT_EQ(effects.tracers().size(), 1u);
    EXPECT_TRUE(effects.tracers()[0].local);
    EXPECT_NEAR(effects.tracers()[0].to.x, 495, 0.01) << "the wall's near face, not the player behind it";
}

TEST(Effects, OurHitsGoingUpAreAHitMarkerAndLostHealthAFlash) {
    client::Effects effects = arena(test::open_map());
    protocol::SnapshotState a{100, sim::MatchPhase::Running, {player(kSelf, {300, 500}), player(kOther, {600, 500})}};
    protocol::SnapshotState b = a;
    b.tick = 102;
    b.players[0].hits = 2;
    effects.compare(nullptr, a, kSelf); // the first snapshot: nothing to compare with
    effects.compare(&a, b, kSelf);
    EXPECT_EQ(effects.hits_confirmed(), 2u);
    client::ClientView view;
    effects.show(view);
    EXPECT_EQ(view.since_hit_confirm_s, 0);
    EXPECT_GT(view.since_damage_taken_s, 1e8);

    protocol::SnapshotState c = b;
    c.tick = 104;
    c.players[0].health = 75;
    effects.age(0.5);
    effects.compare(&b, c, kSelf);
    effects.show(view);
    EXPECT_EQ(view.since_hit_confirm_s, 0.5);
    EXPECT_EQ(view.since_damage_taken_s, 0);

    // Dying is not a flash of damage (the death shows otherwise), nor is a respawn.
    protocol::SnapshotState d = c;
    d.tick = 106;
    d.players[0].health = 0;
    d.players[0].alive = false;
    effects.age(0.5);
    effects.compare(&c, d, kSelf);
    effects.show(view);
    EXPECT_EQ(view.since_damage_taken_s, 0.5);
}

TEST(Effects, TracersAndKillNoticesExpireAndTheFeedKeepsFive) {
    client::Effects effects = arena(test::open_map());
    effects.local_shot(player(kSelf, {300, 500}), {});
    for (std::uint32_t i = 0; i < 7; ++i) effects.add_kill({sim::PlayerId{1}, sim::PlayerId{10 + i}, "me", "them", 0});
    client::ClientView view;
    effects.show(view);
    EXPECT_EQ(view.tracers.size(), 1u);
    ASSERT_EQ(view.kill_feed.size(), client::Effects::kKillFeedMax);
    EXPECT_EQ(view.kill_feed.front().victim, sim::PlayerId{12}) << "the oldest went first";

    effects.age(client::Effects::kTracerLifetimeS + 0.01);
    effects.show(view);
    EXPECT_TRUE(view.tracers.empty());
    EXPECT_EQ(view.kill_feed.size(), client::Effects::kKillFeedMax);
    effects.age(client::Effects::kKillFeedLifetimeS);
    effects.show(view);
    EXPECT_TRUE(view.kill_feed.empty());
}

TEST(Effects, NothingIsDrawnBeforeTheArenaIsKnown) {
    client::Effects effects;
    effects.local_shot(player(kSelf, {300, 500}), {});
    EXPECT_TRUE(effects.tracers().empty());
}
