// tests/app/demo_playback_test.cpp
//
// The playback model (client/app/demo_playback) without SDL: a demo written
// by the real DemoRecorder from a scripted match (one player shooting
// another, a third joining and leaving), and the corpus's bot demos: every
// tick it shows equals a straight re-simulation, seeking back and forth lands
// exactly, speed and stepping, kill markers, the scoreboard at any moment, the
// camera; a demo of other rules refused with a sentence.
#include "client/app/demo_files.hpp"
#include "client/app/demo_playback.hpp"

#include "shared/demo/demo_recorder.hpp"
#include "shared/sim/hash.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules_version.hpp"
#include "support/test_ids.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iterator>

namespace skirmish {
namespace {

using namespace test::ids;

namespace fs = std::filesystem;

struct Scripted {
    fs::path path;
    std::vector<sim::Tick> kill_ticks;
    std::vector<std::uint64_t> hashes; // the world's hash at every tick, from 0
};

// 600 ticks at 30 Hz: 1 shoots 2 whenever it can; 3 joins at tick 100 and leaves at 400.
Scripted write_scripted(const std::string& file, std::uint32_t rules_version = sim::kRulesVersion) {
    Scripted out;
    out.path = fs::temp_directory_path() / (std::to_string(::getpid()) + "-" + file);
    sim::Rules rules;
    rules.tick_rate_hz = 30;
    rules.time_limit_s = 0;
    rules.frag_limit = 0;
    demo::DemoHeader header;
    header.rules_version = rules_version;
    header.server_version = "test";
    header.match_id = 7;
    header.snapshot_rate_hz = 30;
    header.settings.map = "open";
    header.settings.max_players = 8;
    header.rules = rules;
    header.history_ticks = 128;
    header.state_interval_ticks = 30;
    header.map = *test::open_map();
    auto recorder = demo::DemoRecorder::create(out.path, header);
    EXPECT_TRUE(recorder) << recorder.error();
    sim::World world = sim::make_world(test::open_map());
    sim::PositionHistory history(128);
    auto join = [&](std::uint32_t id, const std::string& name) {
        (*recorder)->joined({world.tick, id, name, 0, 0});
        sim::add_player(world, sim::PlayerId{id}, rules);
    };
    join(1, "ada");
    join(2, "bob");
    out.hashes.push_back(sim::state_hash(world));
    for (sim::Tick t = 0; t < 600; ++t) {
        if (t == 100) join(3, "cy");
        if (t == 400) {
            (*recorder)->left(world.tick, 3);
            sim::remove_player(world, 3_player);
        }
        std::vector<demo::RecordedInput> inputs;
        for (const sim::Player& p : world.players) {
            demo::RecordedInput r;
            r.input.player = p.id;
            r.input.view_tick = t > 3 ? t - 3 : 0;
            if (sim::to_int(p.id) == 1) {
                const sim::Player* target = world.find(2_player);
                r.input.aim = sim::aim_from_radians(
                    std::atan2(target->position.y - p.position.y, target->position.x - p.position.x));
                r.input.buttons = 1;
            }
            inputs.push_back(r);
        }
        std::vector<sim::PlayerInput> plain;
        for (const auto& r : inputs) plain.push_back(r.input);
        const sim::StepEvents events = sim::step(world, plain, rules, &history);
        for (std::size_t k = 0; k < events.kills.size(); ++k) out.kill_ticks.push_back(world.tick);
        (*recorder)->stepped(t, inputs, world);
        out.hashes.push_back(sim::state_hash(world));
    }
    world.phase = sim::MatchPhase::Over; // the server ends it (as server::Match does)
    out.hashes.back() = sim::state_hash(world);
    (*recorder)->ended(world, protocol::MatchEndReason::ServerShutdown, false);
    protocol::MatchResults results;
    results.match_id = 7;
    results.reason = protocol::MatchEndReason::ServerShutdown;
    (*recorder)->finish(results, world.tick);
    return out;
}

TEST(DemoPlayback, OpensAtTheStartPausedWithItsLengthAndKills) {
    const Scripted s = write_scripted("open.skdemo");
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_TRUE(playback) << playback.error();
    EXPECT_EQ(playback->tick(), 0u);
    EXPECT_EQ(playback->end_tick(), 600u);
    EXPECT_FALSE(playback->playing());
    EXPECT_EQ(playback->mismatches(), 0u) << playback->first_mismatch();
    EXPECT_EQ(playback->ending(), demo::Ending::Complete);
    ASSERT_GE(s.kill_ticks.size(), 3u);
    ASSERT_EQ(playback->kills().size(), s.kill_ticks.size());
    for (std::size_t i = 0; i < s.kill_ticks.size(); ++i) {
        EXPECT_EQ(playback->kills()[i].tick, s.kill_ticks[i]);
        EXPECT_EQ(playback->kills()[i].killer, 1_player);
        EXPECT_EQ(playback->kills()[i].victim, 2_player);
    }
    EXPECT_GE(playback->checkpoints(), 20u); // one a second
    fs::remove(s.path);
}

TEST(DemoPlayback, SeeksToExactlyTheTickAskedBackwardsAndForwards) {
    const Scripted s = write_scripted("seek.skdemo");
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_TRUE(playback) << playback.error();
    for (sim::Tick target : {500u, 17u, 599u, 0u, 301u, 300u, 600u, 45u, 46u, 44u}) {
        const std::uint64_t before = playback->steps_simulated();
        playback->seek(target);
        EXPECT_EQ(playback->tick(), target);
        EXPECT_EQ(sim::state_hash(playback->world()), s.hashes[target]) << "at tick " << target;
        // From the checkpoint at or before it: at most a second of steps.
        EXPECT_LE(playback->steps_simulated() - before, 30u) << "seeking to " << target;
    }
    playback->seek(100000);
    EXPECT_EQ(playback->tick(), 600u);
    EXPECT_TRUE(playback->at_end());
    playback->seek_fraction(0.5);
    EXPECT_EQ(playback->tick(), 300u);
    fs::remove(s.path);
}

TEST(DemoPlayback, PlaysAtItsSpeedAndStopsAtTheEnd) {
    const Scripted s = write_scripted("speed.skdemo");
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_TRUE(playback) << playback.error();
    playback->update(1.0);
    EXPECT_EQ(playback->tick(), 0u) << "paused: the clock stands";
    playback->play();
    playback->update(0.5);
    EXPECT_EQ(playback->tick(), 15u); // half a second at 30 Hz
    playback->slower();
    playback->slower();
    EXPECT_EQ(playback->speed(), 0.25);
    playback->slower();
    EXPECT_EQ(playback->speed(), 0.25) << "0.25x is the slowest";
    playback->update(0.4);
    EXPECT_EQ(playback->tick(), 18u);
    for (int i = 0; i < 10; ++i) playback->faster();
    EXPECT_EQ(playback->speed(), 4.0) << "4x is the fastest";
    playback->update(0.25);
    EXPECT_EQ(playback->tick(), 48u);
    for (int i = 0; i < 10 && playback->playing(); ++i) playback->update(1.0);
    EXPECT_EQ(playback->tick(), 600u);
    EXPECT_TRUE(playback->at_end());
    EXPECT_FALSE(playback->playing()) << "the end pauses";
    EXPECT_EQ(sim::state_hash(playback->world()), s.hashes[600]);
    playback->play();
    EXPECT_EQ(playback->tick(), 0u) << "play at the end starts again";
    fs::remove(s.path);
}

TEST(DemoPlayback, StepsOneTickEitherWayAndPauses) {
    const Scripted s = write_scripted("step.skdemo");
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_TRUE(playback) << playback.error();
    playback->play();
    playback->update(1.0);
    ASSERT_EQ(playback->tick(), 30u);
    playback->step_forward();
    EXPECT_FALSE(playback->playing());
    EXPECT_EQ(playback->tick(), 31u);
    playback->step_back();
    playback->step_back();
    EXPECT_EQ(playback->tick(), 29u);
    EXPECT_EQ(sim::state_hash(playback->world()), s.hashes[29]);
    playback->seek(0);
    playback->step_back();
    EXPECT_EQ(playback->tick(), 0u);
    // Paused, everyone is drawn exactly where the tick has them.
    for (const sim::Player& p : playback->world().players) {
        EXPECT_EQ(playback->drawn_position(p).x, p.position.x);
        EXPECT_EQ(playback->drawn_position(p).y, p.position.y);
    }
    fs::remove(s.path);
}

TEST(DemoPlayback, ScoreboardAtAnyMomentKeepsWhoLeft) {
    const Scripted s = write_scripted("score.skdemo");
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_TRUE(playback) << playback.error();
    playback->seek(s.kill_ticks[0] - 1);
    auto rows = playback->scoreboard();
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0].frags, 0);
    playback->seek(s.kill_ticks[0]);
    rows = playback->scoreboard();
    EXPECT_EQ(rows[0].name, "ada");
    EXPECT_EQ(rows[0].frags, 1);
    EXPECT_EQ(rows.back().name, "bob");
    EXPECT_EQ(rows.back().deaths, 1);
    EXPECT_EQ(playback->recent_kills(30).size(), 1u);
    playback->seek(450);
    rows = playback->scoreboard();
    ASSERT_EQ(rows.size(), 3u);
    const auto cy = std::find_if(rows.begin(), rows.end(), [](const app::ScoreRow& r) { return r.name == "cy"; });
    ASSERT_NE(cy, rows.end());
    EXPECT_FALSE(cy->present);
    playback->seek(50);
    EXPECT_EQ(playback->scoreboard().size(), 2u) << "cy has not joined yet";
    fs::remove(s.path);
}

TEST(DemoPlayback, CameraFollowsAPlayerOrMovesFreely) {
    const Scripted s = write_scripted("camera.skdemo");
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_TRUE(playback) << playback.error();
    const app::ScreenRect area{0, 0, 800, 800};
    const app::Camera overview = playback->camera(area);
    EXPECT_FLOAT_EQ(overview.to_screen({500, 500}).x, 400);
    playback->follow_next();
    EXPECT_EQ(playback->camera_mode(), app::CameraMode::Follow);
    EXPECT_EQ(playback->followed(), 1_player);
    const sim::Player* ada = playback->world().find(1_player);
    const sim::Vec2 centre = playback->camera(area).to_screen(ada->position);
    EXPECT_NEAR(centre.x, 400, 0.01);
    EXPECT_NEAR(centre.y, 400, 0.01);
    playback->follow_next();
    EXPECT_EQ(playback->followed(), 2_player);
    playback->follow_next();
    EXPECT_EQ(playback->followed(), 1_player) << "wraps round";
    playback->free_camera();
    playback->pan({100, 0});
    EXPECT_NEAR(playback->camera(area).to_screen({ada->position.x + 100, ada->position.y}).x, 400, 0.01);
    playback->zoom_by(100);
    EXPECT_LE(playback->zoom(), 6.0);
    playback->show_overview();
    EXPECT_FLOAT_EQ(playback->camera(area).to_screen({500, 500}).x, 400);
    fs::remove(s.path);
}

TEST(DemoPlayback, RefusesADemoOfOtherRulesWithASentence) {
    const Scripted s = write_scripted("rules.skdemo", sim::kRulesVersion + 1);
    auto playback = app::DemoPlayback::open(s.path);
    ASSERT_FALSE(playback);
    EXPECT_NE(playback.error().find("rules version"), std::string::npos) << playback.error();
    fs::remove(s.path);
    auto missing = app::DemoPlayback::open("/nonexistent/x.skdemo");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("x.skdemo"), std::string::npos) << missing.error();
}

TEST(DemoPlayback, ACutOffDemoPlaysUpToWhereItStops) {
    const Scripted s = write_scripted("cut.skdemo");
    std::ifstream in(s.path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    int played = 0;
    for (const std::size_t keep : {bytes.size() / 2, bytes.size() - 3, std::size_t{7}, std::size_t{0}}) {
        std::ofstream(s.path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(keep));
        auto playback = app::DemoPlayback::open(s.path);
        if (!playback) {
            EXPECT_NE(playback.error().find("cut.skdemo cannot be played"), std::string::npos) << playback.error();
            continue; // too little is left for a header
        }
        ++played;
        EXPECT_EQ(playback->ending(), demo::Ending::Truncated) << keep << " bytes";
        EXPECT_FALSE(playback->ending_text().empty());
        EXPECT_EQ(playback->mismatches(), 0u) << playback->first_mismatch();
        playback->seek(playback->end_tick());
        EXPECT_EQ(sim::state_hash(playback->world()), s.hashes[playback->end_tick()]);
        playback->seek(playback->end_tick() / 3);
        EXPECT_EQ(sim::state_hash(playback->world()), s.hashes[playback->end_tick() / 3]);
    }
    EXPECT_EQ(played, 2) << "half the file and all but its last bytes play";
    fs::remove(s.path);
}

TEST(DemoFiles, ListsTheFolderNewestFirstAndSaysWhatIsWrongWithEach) {
    const fs::path dir = fs::temp_directory_path() / (std::to_string(::getpid()) + "-demos");
    fs::remove_all(dir);
    EXPECT_NE(app::list_demos(dir).note.find("does not exist yet"), std::string::npos);
    fs::create_directories(dir);
    EXPECT_NE(app::list_demos(dir).note.find("no .skdemo files"), std::string::npos);
    const Scripted good = write_scripted("good.skdemo");
    const Scripted future = write_scripted("future.skdemo", sim::kRulesVersion + 1);
    fs::rename(good.path, dir / "good.skdemo");
    fs::rename(future.path, dir / "future.skdemo");
    std::ofstream(dir / "junk.skdemo") << "not a demo";
    std::ofstream(dir / "notes.txt") << "not listed";
    fs::last_write_time(dir / "junk.skdemo", fs::last_write_time(dir / "good.skdemo") + std::chrono::hours(1));
    const app::DemoFolder folder = app::list_demos(dir);
    ASSERT_EQ(folder.files.size(), 3u);
    EXPECT_EQ(folder.files[0].name, "junk.skdemo") << "newest first";
    EXPECT_FALSE(folder.files[0].problem.empty());
    for (const app::DemoFile& f : folder.files) {
        if (f.name == "good.skdemo") { // the map's name, its match
            EXPECT_TRUE(f.problem.empty()) << f.problem;
            EXPECT_NE(f.summary.find("open \xc2\xb7 match 7"), std::string::npos) << f.summary;
        }
        if (f.name == "future.skdemo") {
            EXPECT_NE(f.problem.find("rules version"), std::string::npos) << f.problem;
        }
    }
    EXPECT_EQ(app::default_demo_dir("/home/ada/.local/share/skirmish/skirmish-client/"),
              fs::path("/home/ada/.local/share/skirmish/skirmish-client/demos"));
    fs::remove_all(dir);
}

TEST(DemoPlayback, PlaysTheCorpusToTheEndAndBackIdentically) {
    for (const auto& entry : fs::directory_iterator(test::source_dir() / "tests" / "data" / "demos")) {
        auto playback = app::DemoPlayback::open(entry.path());
        ASSERT_TRUE(playback) << playback.error();
        EXPECT_EQ(playback->mismatches(), 0u) << entry.path() << ": " << playback->first_mismatch();
        ASSERT_GT(playback->end_tick(), 0u);
        std::vector<std::uint64_t> hashes;
        playback->play();
        for (int i = 0; i < 100000 && playback->playing(); ++i) {
            playback->update(0.05);
        }
        EXPECT_TRUE(playback->at_end()) << entry.path();
        playback->seek(0);
        for (sim::Tick t = 0; t <= playback->end_tick(); ++t) {
            playback->seek(t);
            hashes.push_back(sim::state_hash(playback->world()));
        }
        for (sim::Tick t = playback->end_tick();; t -= std::min<sim::Tick>(t, 7)) {
            playback->seek(t);
            EXPECT_EQ(sim::state_hash(playback->world()), hashes[t]) << entry.path() << " tick " << t;
            if (t == 0) break;
        }
    }
}

} // namespace
} // namespace skirmish
