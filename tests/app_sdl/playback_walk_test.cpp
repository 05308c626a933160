// tests/app_sdl/playback_walk_test.cpp
//
// Demos in the real skirmish-client under Xvfb, walked with real X input
// events (xdotool): the connect screen's Demos list plays a corpus demo to
// its end at 4x and the timeline seeks back, the arrow keys step a tick;
// --demo refuses a demo of other rules with a sentence. And a real match:
// the client's --record-view beside the server's --record-dir demo of it
// aligns tick by tick (inputs, snapshots), its shots are compared, and the
// playback of both shows the first shot compared.
#include "desktop.hpp"

#include "client/app/shot_comparison.hpp"
#include "server/game/game_config.hpp"
#include "shared/demo/demo_recorder.hpp"
#include "shared/sim/rules_version.hpp"
#include "support/source_dir.hpp"

#include <gtest/gtest.h>

namespace skirmish::test {
namespace {

namespace fs = std::filesystem;

class PlaybackWalk : public ::testing::Test {
protected:
    void SetUp() override {
        if (!desk_.skipped().empty()) GTEST_SKIP() << desk_.skipped();
        ASSERT_TRUE(on_path("xdotool")) << "xdotool is not installed: install the xdotool package (scripts/test does)";
    }

    static bool demo_at(const Json& n, const std::function<bool(const Json&)>& test) {
        return n.contains("demo") && test(n["demo"]);
    }

    Desktop desk_;
};

TEST_F(PlaybackWalk, PlaysADemoFromTheListToItsEndAndSeeksBack) {
    const fs::path dir = desk_.home() / "my-demos";
    fs::create_directories(dir);
    fs::copy_file(source_dir() / "tests" / "data" / "demos" / "bots-30hz.skdemo", dir / "bots-30hz.skdemo");
    desk_.start_client({"--demo-dir", dir.string()});
    ASSERT_TRUE(desk_.wait_screen("connect"));
    desk_.click("Demos", "button");
    ASSERT_TRUE(desk_.wait_screen("demos"));
    std::optional<Json> row;
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) {
        return Desktop::shows_text(f, "bots-30hz.skdemo") && (row = Desktop::widget(f, "", "list_row")).has_value();
    }, 15s, "the demo listed"));
    desk_.click_at(centre(*row));
    desk_.click("Play", "button");
    ASSERT_TRUE(desk_.wait_screen("playback"));
    std::uint64_t end = 0;
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) {
        return demo_at(n, [&](const Json& d) {
            end = d["end_tick"].get<std::uint64_t>();
            return d["tick"] == 0 && !d["playing"].get<bool>();
        });
    }, 15s, "the demo at its start, paused"));
    ASSERT_GT(end, 60u);

    desk_.click("Faster", "button");
    desk_.click("Faster", "button");
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) { return demo_at(n, [](const Json& d) { return d["speed"] == 4.0; }); },
                               10s, "4x"));
    desk_.key("space");
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) {
        return demo_at(n, [&](const Json& d) { return d["tick"] == end && !d["playing"].get<bool>(); });
    }, 60s, "the end of the demo"));

    // Back along the timeline to a quarter of the way.
    std::optional<Json> timeline;
    ASSERT_TRUE(desk_.wait_ui([&](const Json& f) { return (timeline = Desktop::widget(f, "timeline", "track")).has_value(); }));
    const auto& r = (*timeline)["rect"];
    desk_.click_at({r[0].get<int>() + r[2].get<int>() / 4, r[1].get<int>() + r[3].get<int>() / 2});
    std::uint64_t at = 0;
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) {
        return demo_at(n, [&](const Json& d) {
            at = d["tick"].get<std::uint64_t>();
            return at > end / 5 && at < end * 3 / 10;
        });
    }, 10s, "a seek back to a quarter"));
    desk_.key("Left");
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) { return demo_at(n, [&](const Json& d) { return d["tick"] == at - 1; }); },
                               10s, "one tick back"));
    desk_.key("Right");
    desk_.key("Right");
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) { return demo_at(n, [&](const Json& d) { return d["tick"] == at + 1; }); },
                               10s, "two ticks forward"));
    desk_.key("f");
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) { return demo_at(n, [](const Json& d) { return d["camera"] == "follow"; }); },
                               10s, "following a player"));
    desk_.key_down("Tab");
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "Scoreboard at"); }, 10s, "the scoreboard"));
    desk_.key_up("Tab");
    desk_.key("Escape");
    ASSERT_TRUE(desk_.wait_screen("demos"));
    EXPECT_TRUE(desk_.client().running());
}

TEST(PlaybackCli, RefusesADemoOfOtherRulesWithASentence) {
    TempDir dir;
    demo::DemoHeader header;
    header.rules_version = sim::kRulesVersion + 1;
    header.server_version = "future";
    header.history_ticks = 64;
    header.state_interval_ticks = 60;
    header.map.name = "open";
    header.map.width = 400;
    header.map.height = 400;
    header.map.spawns = {{100, 100}};
    {
        auto recorder = demo::DemoRecorder::create(dir.path() / "future.skdemo", header);
        ASSERT_TRUE(recorder) << recorder.error();
        (*recorder)->finish({}, 0);
    }
    std::ofstream(dir.path() / "junk.skdemo") << "not a demo at all";
    for (const auto& [file, expected] : {std::pair<std::string, std::string>{"future.skdemo", "rules version"},
                                         {"junk.skdemo", "junk.skdemo cannot be played"}}) {
        ChildProcess client({SKIRMISH_CLIENT_BINARY, "--demo", (dir.path() / file).string()},
                            {"SDL_VIDEODRIVER=dummy", "ASAN_OPTIONS=detect_leaks=0"});
        EXPECT_EQ(client.wait_for_exit(30s), 1) << client.output();
        EXPECT_NE(client.output().find(expected), std::string::npos) << client.output();
    }
}

// Waits until the file reads to its end, closed (the scoreboard or End record written).
template <typename Reader>
bool wait_complete(const fs::path& file, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto reader = Reader::open(file)) {
            while (reader->next()) {
            }
            if (reader->ending() == demo::Ending::Complete) return true;
        }
        std::this_thread::sleep_for(50ms); // polling interval, not synchronisation
    }
    return false;
}

TEST_F(PlaybackWalk, AViewRecordingAlignsWithTheServersDemoTickByTick) {
    const fs::path demos = desk_.home() / "server-demos";
    desk_.start_server({"--record-dir", demos.string(), "--room-time-limit-s", "30"});
    const fs::path view = desk_.home() / "viewer.skview";
    desk_.start_client({"--connect", desk_.endpoint(), "--quick-play", "--name", "viewer", "--record-view",
                        view.string()});
    ASSERT_TRUE(desk_.wait_screen("room", 20s));
    desk_.start_bots(2, 8);
    ASSERT_TRUE(desk_.wait_screen("match", 30s));
    ASSERT_TRUE(desk_.wait_net([](const Json& n) { return n["players_seen"] == 3; }, 15s, "three players"));
    // Fire at the middle of the arena for a while, the button held (the rifle fires five times a second).
    for (int i = 0; i < 4; ++i) {
        desk_.mouse_down_at({560 + i * 60, 300 + (i % 2) * 120});
        ASSERT_FALSE(desk_.wait_ui([](const Json& f) { return f["screen"] != "match"; }, 700ms));
        desk_.mouse_up();
    }
    ASSERT_TRUE(desk_.wait_screen("scoreboard", 40s));
    ASSERT_TRUE(wait_complete<demo::ViewReader>(view, 20s)) << "the view recording was not closed";
    std::optional<fs::path> demo_file;
    for (const auto& e : fs::directory_iterator(demos)) demo_file = e.path();
    ASSERT_TRUE(demo_file) << "no demo recorded";
    ASSERT_TRUE(wait_complete<demo::DemoReader>(*demo_file, 20s)) << "the demo was not closed";

    auto compared = app::compare_view_files(*demo_file, view);
    ASSERT_TRUE(compared) << compared.error();
    const app::ViewAlignment& a = compared->alignment;
    SCOPED_TRACE(app::describe(*compared));
    EXPECT_GT(a.inputs, 200u); // several seconds at the server's tick rate
    EXPECT_EQ(a.inputs_different, 0u) << a.first_difference;
    EXPECT_EQ(a.inputs_applied + a.inputs_repeated + a.inputs_missing, a.inputs);
    EXPECT_GT(a.inputs_applied * 10, a.inputs * 9) << "nearly every input applied as sent";
    EXPECT_GT(a.snapshots, 50u);
    EXPECT_EQ(a.snapshots_equal, a.snapshots) << a.first_difference;
    ASSERT_FALSE(compared->shots.empty()) << "the clicks fired no shot";
    // Never beyond the server's cap (the rewind and the interpolation it
    // compensates on top): a loaded machine lengthens the client's lead, so
    // rewinds of 420 ms happen here, within the 450 ms cap.
    const server::GameConfig game;
    for (const app::ComparedShot& s : compared->shots) {
        if (!s.server_fired || !s.client_fired) continue;
        EXPECT_GT(s.rewind_ms, 0.0) << "tick " << s.tick << ": the server rewinds to the client's view";
        EXPECT_LE(s.rewind_ms, game.max_rewind_ms + game.max_interp_ms + 1.0) << "tick " << s.tick;
    }

    // Both played back: paused on the first shot compared.
    desk_.start_client({"--demo", demo_file->string(), "--view", view.string(), "--demo-tick",
                        std::to_string(compared->shots.front().tick + 1)});
    ASSERT_TRUE(desk_.wait_ui([](const Json& f) { return Desktop::shows_text(f, "Shot 1 of"); }, 20s,
                              "the first shot compared"));
    ASSERT_TRUE(desk_.wait_net([&](const Json& n) {
        return demo_at(n, [&](const Json& d) { return d["shots"] == compared->shots.size(); });
    }, 10s, "the shots counted"));
}

} // namespace
} // namespace skirmish::test
