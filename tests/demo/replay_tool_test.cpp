// skirmish-replay as a person runs it, on a recorded match: info prints the
// header, players and scoreboard; verify exits 0 on a good demo and 1 naming
// the tick, player and field on an edited one, 3 on other rules, and says
// where a cut-off file ends; export --json parses and has every tick; info on
// a view recording says what it holds and how it ended.
#include "app_sdl/child_process.hpp"
#include "demo_support.hpp"
#include "shared/demo/view_format.hpp"
#include "shared/sim/rules_version.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace skirmish;
namespace fs = std::filesystem;

namespace {

// skirmish-replay's exit codes (tools/replay/commands.hpp, docs/DEMO.md).
constexpr int kExitOk = 0, kExitMismatch = 1, kExitUnreadable = 2, kExitOtherRules = 3;

struct Output {
    int status = -1;
    std::string text; // stdout and stderr
};

// Runs skirmish-replay with `args` to its end (at most 60 s).
Output replay(std::vector<std::string> args) {
    args.insert(args.begin(), SKIRMISH_REPLAY_BINARY);
    test::ChildProcess child(args);
    EXPECT_TRUE(child.started());
    Output out;
    out.status = child.wait_for_exit(std::chrono::seconds(60)).value_or(-1);
    out.text = child.output();
    return out;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

} // namespace

TEST(ReplayTool, InfoPrintsHeaderPlayersAndScoreboard) {
    const auto dir = test::demo_temp_dir("tool-info");
    const fs::path path = test::record_scripted_match(dir, {});
    const Output out = replay({"info", path.string()});
    EXPECT_EQ(out.status, kExitOk);
    const std::string rules = "rules " + std::to_string(sim::kRulesVersion);
    for (const char* expected : {"match 3 (room 5)", "2024-05-31 16:08:37 UTC", "map: wall", "tick rate 60 Hz",
                                 rules.c_str(), "friction=8", "duration: 0:10.00 (600 ticks)", "players (5):",
                                 "p1", "left 0:03.33", "ended: not enough players at 0:10.00 (by the server)",
                                 "scoreboard:", "complete"})
        EXPECT_TRUE(has(out.text, expected)) << expected << "\n" << out.text;
}

TEST(ReplayTool, VerifyAgreesOrNamesTheTickPlayerAndField) {
    const auto dir = test::demo_temp_dir("tool-verify");
    const fs::path path = test::record_scripted_match(dir, {});
    Output out = replay({"verify", path.string()});
    EXPECT_EQ(out.status, kExitOk) << out.text;
    EXPECT_TRUE(has(out.text, "re-simulated 600 ticks")) << out.text;
    EXPECT_TRUE(has(out.text, "every check agrees")) << out.text;

    const fs::path edited = dir / "edited.skdemo";
    test::rewrite_demo(path, edited, [](demo::DemoEvent& event) {
        auto* tick = std::get_if<demo::TickEvent>(&event);
        if (tick && tick->tick == 400)
            for (auto& r : tick->inputs) r.input.move_y = static_cast<std::int8_t>(-r.input.move_y);
    });
    out = replay({"verify", edited.string()});
    EXPECT_EQ(out.status, kExitMismatch) << out.text;
    EXPECT_TRUE(has(out.text, "DESYNC: first difference at tick 401")) << out.text;
    EXPECT_TRUE(has(out.text, "position.y: recorded")) << out.text;

    const fs::path other = dir / "other-rules.skdemo";
    test::rewrite_demo(path, other, [](demo::DemoEvent&) {},
                       [](demo::DemoHeader& h) { h.rules_version = sim::kRulesVersion + 7; });
    out = replay({"verify", other.string()});
    EXPECT_EQ(out.status, kExitOtherRules) << out.text;
    EXPECT_TRUE(has(out.text, "NOT VERIFIED")) << out.text;
    EXPECT_FALSE(has(out.text, "DESYNC")) << out.text;
    out = replay({"verify", other.string(), "--any-rules"});
    EXPECT_EQ(out.status, kExitOk) << out.text; // the same rules really, so it agrees

    const fs::path cut = dir / "cut.skdemo";
    const auto bytes = test::read_bytes(path);
    test::write_bytes(cut, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() * 2 / 3)});
    out = replay({"verify", cut.string()});
    EXPECT_EQ(out.status, kExitOk) << out.text;
    EXPECT_TRUE(has(out.text, "the demo is cut off: verified up to tick")) << out.text;

    test::write_bytes(dir / "not-a-demo.skdemo", {'h', 'i'});
    out = replay({"verify", (dir / "not-a-demo.skdemo").string()});
    EXPECT_EQ(out.status, kExitUnreadable);
}

// A demo from before spawn protection (rules version 1, file format 1,
// docs/DEMO.md "Format 1"): this build reads it but will not call it verified.
TEST(ReplayTool, ADemoOfFormatOneReadsButIsNotVerifiedUnderNewRules) {
    const fs::path old = test::source_dir() / "tests" / "data" / "demo_format_1" / "bots-30hz.skdemo";
    Output out = replay({"info", old.string()});
    EXPECT_EQ(out.status, kExitOk) << out.text;
    for (const char* expected : {"rules 1;", "spawn_protection_s=0 ", "players (4):", "scoreboard:", "complete"})
        EXPECT_TRUE(has(out.text, expected)) << expected << "\n" << out.text;

    out = replay({"verify", old.string()});
    EXPECT_EQ(out.status, kExitOtherRules) << out.text;
    EXPECT_TRUE(has(out.text, "NOT VERIFIED: this demo was recorded with rules version 1")) << out.text;
    // The state hash now covers protected_until_tick: the old step hashes
    // differ from the first step, which is the rule change, not a desync.
    out = replay({"verify", old.string(), "--any-rules"});
    EXPECT_EQ(out.status, kExitMismatch) << out.text;
    EXPECT_TRUE(has(out.text, "first difference at tick 1 ")) << out.text;

    out = replay({"export", old.string(), "--json"});
    EXPECT_EQ(out.status, kExitOtherRules) << out.text;
    out = replay({"export", old.string(), "--json", "--any-rules"});
    EXPECT_EQ(out.status, kExitMismatch) << out.text; // the same difference, in "ending"
    const auto json = nlohmann::json::parse(out.text);
    EXPECT_EQ(json["ending"]["first_mismatch"]["tick"], 1);
    EXPECT_EQ(json["header"]["rules_version"], 1);
    EXPECT_EQ(json["header"]["rules"]["spawn_protection_s"], 0.0);
    EXPECT_TRUE(json["ticks"][0]["players"][0].contains("protected_until_tick"));
}

TEST(ReplayTool, ExportGivesEveryTickAsJson) {
    const auto dir = test::demo_temp_dir("tool-export");
    const fs::path path = test::record_scripted_match(dir, {});
    const Output out = replay({"export", path.string(), "--json", "--every", "1"});
    ASSERT_EQ(out.status, kExitOk);
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

    const Output sparse = replay({"export", path.string(), "--json", "--every", "60"});
    EXPECT_EQ(nlohmann::json::parse(sparse.text)["ticks"].size(), 10u);
}

TEST(ReplayTool, InfoOnAViewRecordingSaysWhatItHoldsAndHowItEnded) {
    const auto dir = test::demo_temp_dir("tool-view-info");
    const fs::path path = dir / "12-5-bot-0005.skview";
    {
        const demo::ViewHeader header{2, 1, "0.1.0", 12, 5, "bot-0005", 60, 30, "arena", 1717171717000};
        auto recorder = demo::ViewRecorder::create(path, header).value();
        protocol::SnapshotState state;
        state.tick = 40;
        state.players.resize(2);
        recorder->record(demo::ViewSnapshot{1000, {40, 0, 38, 2, 41}, state});
        state.tick = 42;
        recorder->record(demo::ViewSnapshot{34000, {42, 40, 40, 2, 43}, state});
        demo::ViewInput input;
        input.time_us = 35000;
        input.tick = 44;
        input.predicted = sim::Player{};
        recorder->record(input);
        input.tick = 45;
        input.shot = true;
        input.targets = {{7, {100, 200}, true}};
        recorder->record(input);
        recorder->record(demo::ViewFrame{36000, 44.5, 41.25, {{5, {1, 2}, true, true}, {7, {100, 200}, true, false}}});
        recorder->finish({2'500'000, protocol::MatchEndReason::TimeLimit, "the match is over"});
    }
    const Output out = replay({"info", path.string()});
    EXPECT_EQ(out.status, kExitOk) << out.text;
    for (const char* expected : {"view of match 12 by player 5 (bot-0005)", "2024-05-31 16:08:37 UTC", "map: arena",
                                 "recorded: 2.50 s", "snapshots: 2 (1 full), ticks 40..42",
                                 "inputs: 2 (2 with the predicted own state), ticks 44..45; shots: 1", "frames: 1",
                                 "ended: the match ended (time limit)", "file: complete"})
        EXPECT_TRUE(has(out.text, expected)) << expected << "\n" << out.text;

    const auto bytes = test::read_bytes(path);
    const fs::path cut = dir / "cut.skview";
    test::write_bytes(cut, {bytes.begin(), bytes.end() - 3});
    const Output cut_out = replay({"info", cut.string()});
    EXPECT_EQ(cut_out.status, kExitOk) << cut_out.text;
    EXPECT_TRUE(has(cut_out.text, "file: the file is cut off")) << cut_out.text;
}
