// client/bots/brain: what a bot does from what it sees: wander, face the
// nearest enemy in sight and fire after a short reaction, never at one behind
// a wall, dash now and then; the same seed plays the same way.
#include "client/bots/brain.hpp"
#include "shared/sim/quantise.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace skirmish;

namespace {

client::ViewPlayer viewed(std::uint32_t id, sim::Vec2 at, bool local) {
    client::ViewPlayer p;
    p.id = sim::PlayerId{id};
    p.local = local;
    p.state.id = sim::PlayerId{id};
    p.state.position = at;
    p.state.alive = true;
    p.state.health = 100;
    return p;
}

client::ClientView view_of(std::shared_ptr<const sim::Map> map, std::vector<client::ViewPlayer> players) {
    client::ClientView v;
    v.state = client::ConnectionState::InMatch;
    v.map = std::move(map);
    v.players = std::move(players);
    return v;
}

double aim_radians(const client::InputIntent& in) { return sim::aim_radians(in.aim); }

} // namespace

TEST(Brain, DoesNothingWhileDeadOrBeforeTheArenaIsKnown) {
    bots::Brain brain(1);
    client::ClientView no_map = view_of(nullptr, {viewed(1, {100, 100}, true)});
    const client::InputIntent a = brain.think(no_map, 0.1);
    EXPECT_EQ(a.move_x, 0);
    EXPECT_FALSE(a.fire);
    client::ClientView dead = view_of(test::open_map(), {viewed(1, {100, 100}, true), viewed(2, {300, 100}, false)});
    dead.players[0].state.alive = false;
    const client::InputIntent b = brain.think(dead, 0.1);
    EXPECT_EQ(b.move_x, 0);
    EXPECT_EQ(b.move_y, 0);
    EXPECT_FALSE(b.fire);
}

TEST(Brain, FacesTheNearestEnemyInSightAndFiresAfterItsReaction) {
    bots::Brain brain(5);
    const client::ClientView view = view_of(
        test::open_map(), {viewed(1, {300, 500}, true), viewed(2, {600, 500}, false), viewed(3, {300, 100}, false)});
    const client::InputIntent first = brain.think(view, 0.1);
    EXPECT_FALSE(first.fire) << "0.1 s is inside the reaction time";
    // Facing the nearer enemy (id 2, along +x), within its small aim error.
    EXPECT_LT(std::abs(std::remainder(aim_radians(first), 2 * std::numbers::pi)), 0.06);
    const client::InputIntent second = brain.think(view, 0.1);
    EXPECT_TRUE(second.fire);
    EXPECT_EQ(second.aim, first.aim) << "the aim error is drawn once per target";
}

TEST(Brain, NeverFiresAtAnEnemyBehindAWall) {
    bots::Brain brain(3);
    const client::ClientView view =
        view_of(test::wall_map(), {viewed(1, {300, 500}, true), viewed(2, {700, 500}, false)});
    for (int i = 0; i < 50; ++i) EXPECT_FALSE(brain.think(view, 0.1).fire) << "think " << i;
}

TEST(Brain, WalksAtFullStickAndDashesEveryTwoToSixSeconds) {
    bots::Brain brain(9);
    const client::ClientView view = view_of(test::open_map(), {viewed(1, {500, 500}, true)});
    int dashes = 0;
    double first_dash_s = -1;
    for (int i = 0; i < 300; ++i) { // 30 s
        const client::InputIntent in = brain.think(view, 0.1);
        const double stick = std::hypot(in.move_x, in.move_y);
        EXPECT_NEAR(stick, 127, 2) << "think " << i;
        if (in.dash) {
            ++dashes;
            if (first_dash_s < 0) first_dash_s = (i + 1) * 0.1;
        }
    }
    EXPECT_NEAR(first_dash_s, 2.0, 0.11);
    EXPECT_GE(dashes, 30 / 6);
    EXPECT_LE(dashes, 1 + 28 / 2);
}

TEST(Brain, TheSameSeedPlaysTheSameWay) {
    const client::ClientView view =
        view_of(test::wall_map(), {viewed(1, {200, 300}, true), viewed(2, {250, 700}, false)});
    bots::Brain a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 200; ++i) {
        const client::InputIntent x = a.think(view, 0.05), y = b.think(view, 0.05), z = c.think(view, 0.05);
        ASSERT_EQ(x.move_x, y.move_x);
        ASSERT_EQ(x.move_y, y.move_y);
        ASSERT_EQ(x.aim, y.aim);
        ASSERT_EQ(x.fire, y.fire);
        ASSERT_EQ(x.dash, y.dash);
        differs |= x.move_x != z.move_x || x.move_y != z.move_y || x.aim != z.aim;
    }
    EXPECT_TRUE(differs) << "another seed, another game";
}
