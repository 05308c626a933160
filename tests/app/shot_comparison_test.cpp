// tests/app/shot_comparison_test.cpp
//
// compare_view() (client/app/shot_comparison) without SDL or sockets: a
// scripted match written by the real DemoRecorder and, beside it, the view
// of player 1 written by the real ViewRecorder as a client with a 3-tick
// interpolation delay would have seen it. Every input and snapshot lines up;
// each shot's drawn, rewound and actual places and its rewind in ms are the
// ones the script put there; a shot the server never fired is refused with
// its reason; a view of another match is refused with a sentence.
#include "client/app/shot_comparison.hpp"

#include "shared/demo/demo_recorder.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules_version.hpp"
#include "support/test_ids.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

namespace skirmish {
namespace {

using namespace test::ids;
namespace fs = std::filesystem;

constexpr sim::Tick kLag = 3; // the view's interpolation delay, in ticks

struct Files {
    fs::path demo, view;
    std::vector<sim::Vec2> target_at; // player 2's position after each step
};

// 150 ticks at 30 Hz: player 1 fires at player 2 at ticks 60 and 90; player 2 walks.
// At tick 120 the view says the client fired although the input it sent (and the server applied) did not.
Files write_match(const std::string& name, std::uint32_t view_match = 7) {
    Files out;
    const auto dir = fs::temp_directory_path();
    out.demo = dir / (std::to_string(::getpid()) + "-" + name + ".skdemo");
    out.view = dir / (std::to_string(::getpid()) + "-" + name + ".skview");
    sim::Rules rules;
    rules.tick_rate_hz = 30;
    rules.time_limit_s = 0;
    rules.frag_limit = 0;
    demo::DemoHeader header;
    header.rules_version = sim::kRulesVersion;
    header.match_id = 7;
    header.settings.max_players = 4;
    header.rules = rules;
    header.history_ticks = 128;
    header.state_interval_ticks = 30;
    header.map = *test::open_map();
    auto recorder = demo::DemoRecorder::create(out.demo, header);
    EXPECT_TRUE(recorder) << recorder.error();
    demo::ViewHeader vh;
    vh.rules_version = sim::kRulesVersion;
    vh.match_id = view_match;
    vh.player_id = 1;
    vh.name = "ada";
    vh.tick_rate_hz = 30;
    auto viewer = demo::ViewRecorder::create(out.view, vh);
    EXPECT_TRUE(viewer) << viewer.error();

    sim::World world = sim::make_world(test::open_map());
    sim::PositionHistory history(128);
    for (std::uint32_t id : {1u, 2u}) {
        (*recorder)->joined({0, id, id == 1 ? "ada" : "bob", 0, 0});
        sim::add_player(world, sim::PlayerId{id}, rules);
    }
    // Player 2 walks towards the middle from wherever it spawned.
    const std::int8_t walk = world.find(sim::PlayerId{2})->position.x > 500 ? -60 : 60;
    for (sim::Tick t = 0; t < 150; ++t) {
        std::vector<demo::RecordedInput> inputs;
        std::vector<sim::PlayerInput> plain;
        const sim::Player* me = world.find(sim::PlayerId{1});
        const sim::Player* bob = world.find(sim::PlayerId{2});
        for (const sim::Player& p : world.players) {
            demo::RecordedInput r;
            r.input.player = p.id;
            r.input.view_tick = t >= kLag ? t - kLag : 0;
            if (p.id == me->id) {
                r.input.aim = sim::aim_from_radians(
                    std::atan2(bob->position.y - me->position.y, bob->position.x - me->position.x));
                r.input.buttons = t == 60 || t == 90 ? 1 : 0;
            } else {
                r.input.move_x = walk;
            }
            inputs.push_back(r);
            plain.push_back(r.input);
        }
        const sim::PlayerInput sent = inputs.front().input;
        const sim::StepEvents events = sim::step(world, plain, rules, &history);
        (*recorder)->stepped(t, inputs, world);
        out.target_at.push_back(world.find(sim::PlayerId{2})->position);

        demo::ViewInput in;
        in.time_us = t * 33333;
        in.tick = t;
        in.input = sent;
        in.predicted = *world.find(sim::PlayerId{1});
        in.shot = !events.shots.empty() || t == 120;
        if (t == 120) in.input.buttons = 1; // the client fired; what it sent said otherwise
        if (in.shot) {
            std::vector<sim::PastPlayer> seen;
            EXPECT_TRUE(history.positions_at(in.input.view_tick, 0, seen));
            for (const sim::PastPlayer& p : seen) {
                if (p.id != sim::PlayerId{1}) in.targets.push_back({sim::to_int(p.id), p.position, p.alive});
            }
        }
        (*viewer)->record(in);
        if (t % 2 == 1) {
            demo::ViewSnapshot s;
            s.time_us = t * 33333 + 20000;
            s.header.server_tick = world.tick;
            s.state = protocol::capture_snapshot(world);
            (*viewer)->record(s);
        }
    }
    world.phase = sim::MatchPhase::Over;
    (*recorder)->ended(world, protocol::MatchEndReason::ServerShutdown, false);
    (*recorder)->finish({}, world.tick);
    (*viewer)->finish({150 * 33333, protocol::MatchEndReason::ServerShutdown, "ended"});
    return out;
}

TEST(ShotComparison, LinesUpEveryInputAndSnapshotOfTheView) {
    const Files f = write_match("align");
    auto c = app::compare_view_files(f.demo, f.view);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->player_id, 1_player);
    EXPECT_EQ(c->player_name, "ada");
    EXPECT_EQ(c->alignment.inputs, 150u);
    EXPECT_EQ(c->alignment.inputs_applied, 149u);
    EXPECT_EQ(c->alignment.inputs_different, 1u) << "tick 120: the view fired, the input sent did not";
    EXPECT_NE(c->alignment.first_difference.find("tick 120"), std::string::npos) << c->alignment.first_difference;
    EXPECT_EQ(c->alignment.snapshots, 75u);
    EXPECT_EQ(c->alignment.snapshots_equal, 75u);
    fs::remove(f.demo);
    fs::remove(f.view);
}

TEST(ShotComparison, EachShotHasWhereItWasDrawnRewoundAndReallyWas) {
    const Files f = write_match("shots");
    auto c = app::compare_view_files(f.demo, f.view);
    ASSERT_TRUE(c) << c.error();
    ASSERT_EQ(c->shots.size(), 3u) << app::describe(*c);
    for (std::size_t i = 0; i < 2; ++i) {
        const app::ComparedShot& s = c->shots[i];
        SCOPED_TRACE(s.tick);
        EXPECT_EQ(s.tick, i == 0 ? 60u : 90u);
        EXPECT_TRUE(s.server_fired);
        EXPECT_TRUE(s.client_fired);
        EXPECT_EQ(s.target, 2_player);
        EXPECT_EQ(s.server_hit, 2_player);
        EXPECT_EQ(s.client_hit, 2_player);
        EXPECT_FALSE(s.refused);
        EXPECT_NEAR(s.rewind_ms, kLag * 1000.0 / 30, 1e-9);
        ASSERT_TRUE(s.drawn && s.rewound && s.actual);
        EXPECT_EQ(s.drawn_to_rewound, 0.0) << "the view drew it where the server rewound it";
        EXPECT_EQ(s.actual->x, f.target_at[s.tick].x);
        EXPECT_GT(std::abs(s.actual->x - s.rewound->x), 1.0f) << "it walked on in those ticks";
    }
    const app::ComparedShot& fake = c->shots[2];
    EXPECT_EQ(fake.tick, 120u);
    EXPECT_FALSE(fake.server_fired);
    EXPECT_TRUE(fake.refused);
    EXPECT_NE(fake.reason.find("rifle was not ready"), std::string::npos) << fake.reason;
    EXPECT_EQ(c->refused(), 1u);
    EXPECT_NE(app::describe(*c).find("tick 120: target 2"), std::string::npos) << app::describe(*c);
    fs::remove(f.demo);
    fs::remove(f.view);
}

TEST(ShotComparison, RefusesAViewOfAnotherMatchWithASentence) {
    const Files f = write_match("other", 8);
    auto c = app::compare_view_files(f.demo, f.view);
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().find("match 8"), std::string::npos) << c.error();
    auto missing = app::compare_view_files(f.demo, "/nonexistent/v.skview");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("v.skview"), std::string::npos) << missing.error();
    fs::remove(f.demo);
    fs::remove(f.view);
}

} // namespace
} // namespace skirmish
