// A real server::Match records its demo; the replay re-simulates it bit for
// bit, finds an edited input or hash at its tick (naming player and field),
// verifies a file cut off mid-match up to where it ends, and refuses to call
// a demo of other rules a desync.
#include "demo_support.hpp"
#include "shared/demo/replay.hpp"
#include "shared/sim/rules_version.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
namespace fs = std::filesystem;

namespace {

demo::VerifyReport verify_file(const fs::path& path) {
    auto reader = demo::DemoReader::open(path);
    EXPECT_TRUE(reader) << (reader ? "" : reader.error());
    return demo::verify(*reader);
}

} // namespace

class MatchDemo : public ::testing::TestWithParam<int> {};

TEST_P(MatchDemo, ReSimulatesBitForBit) {
    const auto dir = test::demo_temp_dir("bit-for-bit-" + std::to_string(GetParam()));
    test::ScriptOptions options;
    options.tick_rate = GetParam();
    options.ticks = 12 * GetParam();
    protocol::MatchResults results;
    const fs::path path = test::record_scripted_match(dir, options, &results);
    EXPECT_EQ(path.filename().string(), "3-20240531T160837Z.skdemo");

    const demo::VerifyReport report = verify_file(path);
    EXPECT_EQ(report.mismatches, 0u) << (report.first ? report.first->text : "");
    EXPECT_EQ(report.steps, static_cast<std::uint64_t>(options.ticks));
    EXPECT_GE(report.checks, 12u);
    EXPECT_EQ(report.ending, demo::Ending::Complete) << report.ending_text;
    ASSERT_TRUE(report.results);
    EXPECT_EQ(report.results->scores, results.scores);
    EXPECT_EQ(report.results->reason, protocol::MatchEndReason::NotEnoughPlayers);
    int frags = 0;
    for (const auto& s : results.scores) frags += s.frags;
    EXPECT_GT(frags, 0) << "the script should fight";
}

INSTANTIATE_TEST_SUITE_P(TickRates, MatchDemo, ::testing::Values(30, 60, 128));

TEST(MatchDemoEnd, AMatchTheRulesEndIsCheckedToEndThereToo) {
    const auto dir = test::demo_temp_dir("frag-limit");
    test::ScriptOptions options;
    options.frag_limit = 3;
    options.ticks = 60 * 60;
    protocol::MatchResults results;
    const fs::path path = test::record_scripted_match(dir, options, &results);
    EXPECT_EQ(results.reason, protocol::MatchEndReason::FragLimit);
    const demo::VerifyReport report = verify_file(path);
    EXPECT_EQ(report.mismatches, 0u) << (report.first ? report.first->text : "");
    EXPECT_EQ(report.ending, demo::Ending::Complete);
    ASSERT_TRUE(report.results);
    EXPECT_EQ(report.results->reason, protocol::MatchEndReason::FragLimit);
    EXPECT_LT(report.steps, 3600u);
}

TEST(MatchDemoRecording, EverySourceOfInputIsRecorded) {
    const auto dir = test::demo_temp_dir("sources");
    const fs::path path = test::record_scripted_match(dir, {});
    auto reader = demo::DemoReader::open(path).value();
    std::map<demo::InputSource, int> seen;
    int joins = 0, leaves = 0;
    while (auto event = reader.next()) {
        if (auto* tick = std::get_if<demo::TickEvent>(&*event))
            for (const auto& r : tick->inputs) ++seen[r.source];
        joins += std::holds_alternative<demo::JoinEvent>(*event);
        leaves += std::holds_alternative<demo::LeaveEvent>(*event);
    }
    EXPECT_GT(seen[demo::InputSource::Applied], 0);
    EXPECT_GT(seen[demo::InputSource::Repeated], 0); // player 2 skips ticks
    EXPECT_GT(seen[demo::InputSource::Missing], 0);  // player 4 never sends
    EXPECT_EQ(joins, 5);
    EXPECT_EQ(leaves, 1);
}

TEST(MatchDemoCorruption, AnEditedInputIsFoundAtItsTickWithPlayerAndField) {
    const auto dir = test::demo_temp_dir("edited-input");
    const fs::path path = test::record_scripted_match(dir, {});
    const fs::path copy = dir / "edited-input.skdemo";
    test::rewrite_demo(path, copy, [](demo::DemoEvent& event) {
        auto* tick = std::get_if<demo::TickEvent>(&event);
        if (!tick || tick->tick != 70) return; // player 2 is alive and running left then
        for (auto& r : tick->inputs)
            if (r.input.player == sim::PlayerId{2}) r.input.move_x = static_cast<std::int8_t>(-r.input.move_x - 1);
    });
    EXPECT_EQ(verify_file(path).mismatches, 0u);
    const demo::VerifyReport report = verify_file(copy);
    ASSERT_TRUE(report.first);
    EXPECT_EQ(report.first->tick, 71u) << report.first->text; // the world after the step of tick 70
    EXPECT_EQ(report.first->state_tick, 120u);
    EXPECT_EQ(report.first->last_agreed_tick, 60u);
    ASSERT_TRUE(report.first->player);
    EXPECT_EQ(*report.first->player, 2u);
    ASSERT_FALSE(report.first->fields.empty());
    EXPECT_EQ(report.first->fields.front().field, "position.x") << report.first->text;
    EXPECT_NE(report.first->text.find("player 2 (p2)"), std::string::npos) << report.first->text;
    EXPECT_NE(report.first->text.find("position.x: recorded"), std::string::npos) << report.first->text;
}

TEST(MatchDemoCorruption, AnEditedHashIsFoundAtItsTick) {
    const auto dir = test::demo_temp_dir("edited-hash");
    const fs::path path = test::record_scripted_match(dir, {});
    const fs::path state_copy = dir / "edited-state-hash.skdemo";
    test::rewrite_demo(path, state_copy, [](demo::DemoEvent& event) {
        if (auto* state = std::get_if<demo::StateCheck>(&event); state && state->tick == 180) state->hash ^= 1;
    });
    demo::VerifyReport report = verify_file(state_copy);
    ASSERT_TRUE(report.first);
    EXPECT_EQ(report.mismatches, 1u);
    EXPECT_EQ(report.first->tick, 180u);
    EXPECT_FALSE(report.first->player);
    EXPECT_NE(report.first->text.find("does not fit the recorded state"), std::string::npos) << report.first->text;

    const fs::path step_copy = dir / "edited-step-hash.skdemo";
    test::rewrite_demo(path, step_copy, [](demo::DemoEvent& event) {
        if (auto* tick = std::get_if<demo::TickEvent>(&event); tick && tick->tick == 250) tick->step_hash ^= 0x8000;
    });
    report = verify_file(step_copy);
    ASSERT_TRUE(report.first);
    EXPECT_EQ(report.mismatches, 1u);
    EXPECT_EQ(report.first->tick, 251u);
    EXPECT_EQ(report.first->state_tick, 300u);
    EXPECT_NE(report.first->text.find("agrees again"), std::string::npos) << report.first->text;
}

TEST(MatchDemoCrash, AFileCutOffMidMatchVerifiesUpToItsEnd) {
    const auto dir = test::demo_temp_dir("crash");
    const fs::path crash_copy = dir / "copied-mid-match.skdemo.part";
    test::ScriptOptions options;
    options.ticks = 600;
    // What a crash at tick 333 leaves on disk: the file as it is then.
    options.after_step = [&](const server::Match& match) {
        if (match.world().tick == 333) fs::copy_file(match.recorder()->path(), crash_copy);
    };
    const fs::path path = test::record_scripted_match(dir, options);
    demo::VerifyReport report = verify_file(crash_copy);
    EXPECT_EQ(report.mismatches, 0u) << (report.first ? report.first->text : "");
    EXPECT_EQ(report.ending, demo::Ending::Truncated) << report.ending_text;
    // Flushed once a second of match time: at most a second (60 ticks) lost.
    EXPECT_GE(report.last_tick, 333u - 60u);
    EXPECT_LE(report.last_tick, 333u);
    EXPECT_NE(report.ending_text.find("cut off"), std::string::npos) << report.ending_text;

    // Cut anywhere in the second half of the finished file: still verifies.
    const auto bytes = test::read_bytes(path);
    for (std::size_t cut = bytes.size() / 2; cut < bytes.size(); cut += bytes.size() / 23) {
        const fs::path cut_path = dir / ("cut-" + std::to_string(cut) + ".skdemo");
        test::write_bytes(cut_path, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)});
        report = verify_file(cut_path);
        EXPECT_EQ(report.mismatches, 0u) << "cut at " << cut << ": " << (report.first ? report.first->text : "");
        EXPECT_EQ(report.ending, demo::Ending::Truncated) << "cut at " << cut;
        EXPECT_GT(report.last_tick, 0u);
    }
}

TEST(MatchDemoRules, ADemoOfOtherRulesSaysSoInsteadOfADesync) {
    const auto dir = test::demo_temp_dir("other-rules");
    const fs::path path = test::record_scripted_match(dir, {});
    EXPECT_TRUE(demo::rules_difference(demo::DemoReader::open(path)->header()).empty());
    const fs::path copy = dir / "other-rules.skdemo";
    test::rewrite_demo(path, copy, [](demo::DemoEvent&) {},
                       [](demo::DemoHeader& h) { h.rules_version = sim::kRulesVersion + 1; });
    const std::string text = demo::rules_difference(demo::DemoReader::open(copy)->header());
    EXPECT_NE(text.find("rules version " + std::to_string(sim::kRulesVersion + 1)), std::string::npos) << text;
    EXPECT_NE(text.find("not a desync"), std::string::npos) << text;
}
