// A spectator's camera (client/app/spectator_view.hpp): the whole arena at
// first, following players in id order or the one clicked, a free camera the
// movement keys pan and the wheel zooms, the whole arena again when the
// followed player leaves, and a new match starting over.
#include "client/app/spectator_view.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

using namespace skirmish;
using namespace skirmish::test::ids;
using app::CameraMode;
using app::SpectatorView;

namespace {

client::ClientView watched(std::uint32_t match_id, std::vector<std::pair<std::uint32_t, sim::Vec2>> players) {
    auto map = std::make_shared<sim::Map>();
    map->width = 1000;
    map->height = 800;
    client::ClientView view;
    view.state = client::ConnectionState::InMatch;
    view.spectating = true;
    view.match_id = protocol::MatchId{match_id};
    view.local_id = 99_player;
    view.map = map;
    for (const auto& [id, at] : players) {
        client::ViewPlayer p;
        p.id = sim::PlayerId{id};
        p.name = "p" + std::to_string(id);
        p.state.id = sim::PlayerId{id};
        p.state.position = at;
        p.state.alive = true;
        view.players.push_back(p);
    }
    return view;
}

const app::ScreenRect kArea{0, 0, 1000, 800};

// Where the camera puts a world point on the screen.
sim::Vec2 on_screen(const SpectatorView& s, const client::ClientView& v, sim::Vec2 world) {
    return s.camera(kArea, v).to_screen(world);
}

} // namespace

TEST(SpectatorView, StartsOnTheWholeArenaAndFollowsPlayersInIdOrder) {
    const auto view = watched(1, {{7, {100, 100}}, {3, {800, 600}}});
    SpectatorView s;
    s.update(view, {}, 0.016);
    EXPECT_EQ(s.mode(), CameraMode::Overview);
    EXPECT_EQ(s.caption(view), "the whole arena");
    EXPECT_EQ(on_screen(s, view, {0, 0}), (sim::Vec2{0, 0})) << "the arena fitted: its corner at the area's";
    s.follow_next(view);
    EXPECT_EQ(s.followed(), 3_player) << "the lowest id first";
    EXPECT_EQ(s.caption(view), "following p3");
    const sim::Vec2 centre = on_screen(s, view, {800, 600});
    EXPECT_NEAR(centre.x, 500, 0.01);
    EXPECT_NEAR(centre.y, 400, 0.01) << "the followed player in the middle of the area";
    s.follow_next(view);
    EXPECT_EQ(s.followed(), 7_player);
    s.follow_next(view);
    EXPECT_EQ(s.followed(), 3_player) << "wrapping";
}

TEST(SpectatorView, AClickFollowsThePlayerUnderIt) {
    const auto view = watched(1, {{7, {100, 100}}, {3, {800, 600}}});
    SpectatorView s;
    EXPECT_FALSE(s.follow_at(view, {400, 400})) << "nobody there";
    EXPECT_EQ(s.mode(), CameraMode::Overview);
    EXPECT_TRUE(s.follow_at(view, {120, 90}));
    EXPECT_EQ(s.followed(), 7_player);
}

TEST(SpectatorView, TheFreeCameraPansWithTheKeysAndZoomsWithTheWheel) {
    const auto view = watched(1, {{3, {800, 600}}});
    SpectatorView s;
    s.follow_next(view);
    s.free_camera(view);
    EXPECT_EQ(s.mode(), CameraMode::Free);
    EXPECT_EQ(s.followed(), std::nullopt);
    EXPECT_EQ(s.caption(view), "free camera");
    // It starts where the view was: on the player it followed.
    EXPECT_NEAR(on_screen(s, view, {800, 600}).x, 500, 0.01);
    // Half a second of the right key pans right by half the pan speed (zoom 2 while following).
    s.update(view, {1, 0}, 0.5);
    EXPECT_NEAR(on_screen(s, view, {800 + SpectatorView::kPanSpeed * 0.5f / 2, 600}).x, 500, 0.01);
    const float before = s.camera(kArea, view).scale;
    s.zoom_by(view, 2.0);
    EXPECT_NEAR(s.camera(kArea, view).scale, before * 2, 1e-4);
    // The pan stops at the arena's edge.
    s.update(view, {1, 1}, 100.0);
    EXPECT_NEAR(on_screen(s, view, {1000, 800}).x, 500, 0.01);
    EXPECT_NEAR(on_screen(s, view, {1000, 800}).y, 400, 0.01);
}

TEST(SpectatorView, AFollowedPlayerWhoLeavesGivesTheArenaBackAndANewMatchStartsOver) {
    auto view = watched(1, {{3, {800, 600}}, {4, {200, 200}}});
    SpectatorView s;
    s.follow_next(view);
    ASSERT_EQ(s.followed(), 3_player);
    view.players.erase(view.players.begin()); // 3 left
    s.update(view, {}, 0.016);
    EXPECT_EQ(s.mode(), CameraMode::Overview);
    s.follow_next(view);
    ASSERT_EQ(s.followed(), 4_player);
    const auto next_match = watched(2, {{4, {200, 200}}});
    s.update(next_match, {}, 0.016);
    EXPECT_EQ(s.mode(), CameraMode::Overview) << "another match: the camera starts over";
    EXPECT_EQ(s.match_id(), 2_match);
}
