// Keys become InputIntents by scancode: WASD and arrows move (diagonals no
// faster), the mouse aims from the player, the buttons fire and dash.
#include "client/app/input_mapper.hpp"
#include "shared/sim/quantise.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace skirmish;
using namespace skirmish::app;

namespace {
const AimPoint kAimRight{{100, 100}, {200, 100}};
}

TEST(InputMapper, NothingHeldIsNoMovement) {
    const auto intent = make_intent(default_bindings(), HeldInput{}, kAimRight, 0);
    EXPECT_EQ(intent.move_x, 0);
    EXPECT_EQ(intent.move_y, 0);
    EXPECT_FALSE(intent.fire);
    EXPECT_FALSE(intent.dash);
}

TEST(InputMapper, WasdAndArrowsMoveByScancode) {
    const Bindings b = default_bindings();
    struct Case {
        InputCode code;
        int x, y;
    };
    for (const Case c : {Case{SDL_SCANCODE_W, 0, -127}, Case{SDL_SCANCODE_S, 0, 127}, Case{SDL_SCANCODE_A, -127, 0},
                         Case{SDL_SCANCODE_D, 127, 0}, Case{SDL_SCANCODE_UP, 0, -127}, Case{SDL_SCANCODE_DOWN, 0, 127},
                         Case{SDL_SCANCODE_LEFT, -127, 0}, Case{SDL_SCANCODE_RIGHT, 127, 0}}) {
        HeldInput held;
        held.press(c.code);
        const auto intent = make_intent(b, held, kAimRight, 0);
        EXPECT_EQ(intent.move_x, c.x) << code_name(c.code);
        EXPECT_EQ(intent.move_y, c.y) << code_name(c.code);
    }
}

TEST(InputMapper, DiagonalIsNoFasterThanStraight) {
    HeldInput held;
    held.press(SDL_SCANCODE_W);
    held.press(SDL_SCANCODE_D);
    const auto intent = make_intent(default_bindings(), held, kAimRight, 0);
    const double length = std::hypot(intent.move_x, intent.move_y);
    EXPECT_LE(length, 127.5);
    EXPECT_GE(length, 125.0);
    EXPECT_GT(intent.move_x, 0);
    EXPECT_LT(intent.move_y, 0);
}

TEST(InputMapper, OppositeKeysCancel) {
    HeldInput held;
    held.press(SDL_SCANCODE_A);
    held.press(SDL_SCANCODE_RIGHT);
    EXPECT_EQ(make_intent(default_bindings(), held, kAimRight, 0).move_x, 0);
}

TEST(InputMapper, AimPointsFromPlayerToMouse) {
    const Bindings b = default_bindings();
    EXPECT_EQ(make_intent(b, {}, {{0, 0}, {10, 0}}, 7).aim, 0);
    EXPECT_EQ(make_intent(b, {}, {{0, 0}, {0, 10}}, 7).aim, sim::kAimSteps / 4); // y grows downwards
    EXPECT_EQ(make_intent(b, {}, {{0, 0}, {-10, 0}}, 7).aim, sim::kAimSteps / 2);
    EXPECT_EQ(make_intent(b, {}, {{5, 5}, {5, 5}}, 7).aim, 7); // no direction: keep the last
}

TEST(InputMapper, MouseFiresAndSpaceDashes) {
    HeldInput held;
    held.press(mouse_code(1));
    held.press(SDL_SCANCODE_SPACE);
    const auto intent = make_intent(default_bindings(), held, kAimRight, 0);
    EXPECT_TRUE(intent.fire);
    EXPECT_TRUE(intent.dash);
    held.release(mouse_code(1));
    EXPECT_FALSE(make_intent(default_bindings(), held, kAimRight, 0).fire);
}

TEST(InputMapper, ReboundKeysFollowTheBinding) {
    Bindings b = default_bindings();
    b[Action::MoveUp] = {SDL_SCANCODE_I, kUnbound};
    HeldInput held;
    held.press(SDL_SCANCODE_W);
    EXPECT_EQ(make_intent(b, held, kAimRight, 0).move_y, 0);
    held.press(SDL_SCANCODE_I);
    EXPECT_EQ(make_intent(b, held, kAimRight, 0).move_y, -127);
}

TEST(Bindings, PressesMapToActions) {
    const Bindings b = default_bindings();
    EXPECT_EQ(action_for(b, SDL_SCANCODE_TAB), Action::Scoreboard);
    EXPECT_EQ(action_for(b, SDL_SCANCODE_RETURN), Action::Chat);
    EXPECT_EQ(action_for(b, SDL_SCANCODE_ESCAPE), Action::Menu);
    EXPECT_EQ(action_for(b, SDL_SCANCODE_F3), Action::NetGraph);
    EXPECT_EQ(action_for(b, SDL_SCANCODE_GRAVE), Action::NetGraph);
    EXPECT_EQ(action_for(b, SDL_SCANCODE_F2), Action::StudyPanel);
    EXPECT_EQ(action_for(b, kMouseLeft), Action::Fire);
    EXPECT_FALSE(action_for(b, SDL_SCANCODE_Q).has_value());
    EXPECT_FALSE(action_for(b, kUnbound).has_value());
}

TEST(Bindings, CodeNamesRoundTrip) {
    for (InputCode code = 0; code < kInputCodes; ++code) {
        const auto parsed = parse_code(code_name(code));
        ASSERT_TRUE(parsed.has_value()) << code_name(code);
        EXPECT_EQ(*parsed, code) << code_name(code);
    }
    EXPECT_EQ(parse_code("w"), InputCode{SDL_SCANCODE_W});
    EXPECT_EQ(parse_code("SPACE"), InputCode{SDL_SCANCODE_SPACE});
    EXPECT_FALSE(parse_code("F13").has_value());
    EXPECT_FALSE(parse_code("#99999").has_value());
    EXPECT_FALSE(parse_code("").has_value());
}
