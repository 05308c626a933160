// skirmish-replay's commands on a recorded match: info prints the header,
// players and scoreboard; verify exits 0 on a good demo and 1 naming the tick,
// player and field on an edited one, 3 on other rules, and says where a
// cut-off file ends; export --json parses and has every tick.
#include "demo_support.hpp"
#include "shared/sim/rules_version.hpp"
#include "tools/replay/commands.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>

using namespace skirmish;
namespace fs = std::filesystem;

namespace {

struct Output {
    int status = 0;
    std::string text;
};

// Runs a command into a temporary file and reads back what it printed.
template <typename F>
Output capture(F&& command) {
    std::FILE* file = std::tmpfile();
    Output out;
    out.status = command(file);
    std::fflush(file);
    std::rewind(file);
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.text.append(buffer, n);
    std::fclose(file);
    return out;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

} // namespace

TEST(ReplayTool, InfoPrintsHeaderPlayersAndScoreboard) {
    const auto dir = test::demo_temp_dir("tool-info");
    const fs::path path = test::record_scripted_match(dir, {});
    const Output out = capture([&](std::FILE* f) { return replay::run_info(path, f); });
    EXPECT_EQ(out.status, replay::kExitOk);
    for (const char* expected : {"match 3 (room 5)", "2024-05-31 16:08:37 UTC", "map: wall", "tick rate 60 Hz",
                                 "rules 1", "friction=8", "duration: 0:10.00 (600 ticks)", "players (5):",
                                 "p1", "left 0:03.33", "ended: not enough players at 0:10.00 (by the server)",
                                 "scoreboard:", "complete"})
        EXPECT_TRUE(has(out.text, expected)) << expected << "\n" << out.text;
}

TEST(ReplayTool, VerifyAgreesOrNamesTheTickPlayerAndField) {
    const auto dir = test::demo_temp_dir("tool-verify");
    const fs::path path = test::record_scripted_match(dir, {});
    Output out = capture([&](std::FILE* f) { return replay::run_verify(path, false, f); });
    EXPECT_EQ(out.status, replay::kExitOk) << out.text;
    EXPECT_TRUE(has(out.text, "re-simulated 600 ticks")) << out.text;
    EXPECT_TRUE(has(out.text, "every check agrees")) << out.text;

    const fs::path edited = dir / "edited.skdemo";
    test::rewrite_demo(path, edited, [](demo::DemoEvent& event) {
        auto* tick = std::get_if<demo::TickEvent>(&event);
        if (tick && tick->tick == 400)
            for (auto& r : tick->inputs) r.input.move_y = static_cast<std::int8_t>(-r.input.move_y);
    });
    out = capture([&](std::FILE* f) { return replay::run_verify(edited, false, f); });
    EXPECT_EQ(out.status, replay::kExitMismatch) << out.text;
    EXPECT_TRUE(has(out.text, "DESYNC: first difference at tick 401")) << out.text;
    EXPECT_TRUE(has(out.text, "position.y: recorded")) << out.text;

    const fs::path other = dir / "other-rules.skdemo";
    test::rewrite_demo(path, other, [](demo::DemoEvent&) {},
                       [](demo::DemoHeader& h) { h.rules_version = sim::kRulesVersion + 7; });
    out = capture([&](std::FILE* f) { return replay::run_verify(other, false, f); });
    EXPECT_EQ(out.status, replay::kExitOtherRules) << out.text;
    EXPECT_TRUE(has(out.text, "NOT VERIFIED")) << out.text;
    EXPECT_FALSE(has(out.text, "DESYNC")) << out.text;
    out = capture([&](std::FILE* f) { return replay::run_verify(other, true, f); });
    EXPECT_EQ(out.status, replay::kExitOk) << out.text; // the same rules really, so it agrees

    const fs::path cut = dir / "cut.skdemo";
    const auto bytes = test::read_bytes(path);
    test::write_bytes(cut, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() * 2 / 3)});
    out = capture([&](std::FILE* f) { return replay::run_verify(cut, false, f); });
    EXPECT_EQ(out.status, replay::kExitOk) << out.text;
    EXPECT_TRUE(has(out.text, "the demo is cut off: verified up to tick")) << out.text;

    test::write_bytes(dir / "not-a-demo.skdemo", {'h', 'i'});
    out = capture([&](std::FILE* f) { return replay::run_verify(dir / "not-a-demo.skdemo", false, f); });
    EXPECT_EQ(out.status, replay::kExitUnreadable);
}

TEST(ReplayTool, ExportGivesEveryTickAsJson) {
    const auto dir = test::demo_temp_dir("tool-export");
    const fs::path path = test::record_scripted_match(dir, {});
    const Output out = capture([&](std::FILE* f) { return replay::run_export_json(path, 1, false, f); });
    ASSERT_EQ(out.status, replay::kExitOk);
    const auto json = nlohmann::json::parse(out.text);
    EXPECT_EQ(json["header"]["match_id"], 3);
    EXPECT_EQ(json["header"]["tick_rate_hz"], 60);
    const auto& ticks = json["ticks"];
    ASSERT_EQ(ticks.size(), 600u);
    EXPECT_EQ(ticks[0]["tick"], 1);
    EXPECT_EQ(ticks[599]["tick"], 600);
    const auto& player = ticks[100]["players"][0];
    for (const char* key : {"id", "position.x", "position.y", "velocity.x", "aim", "health", "alive", "frags", "input"})
        EXPECT_TRUE(player.contains(key)) << key;
    EXPECT_EQ(player["input"]["source"], "applied");
    std::size_t shots = 0;
    for (const auto& t : ticks) shots += t["shots"].size();
    EXPECT_GT(shots, 0u);
    EXPECT_EQ(json["ending"]["kind"], "complete");
    EXPECT_EQ(json["scoreboard"]["reason"], "not enough players");

    const Output sparse = capture([&](std::FILE* f) { return replay::run_export_json(path, 60, false, f); });
    EXPECT_EQ(nlohmann::json::parse(sparse.text)["ticks"].size(), 10u);
}
