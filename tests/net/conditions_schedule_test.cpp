// tests/net/conditions_schedule_test.cpp
//
// The conditions schedule: what a file says (settings, per-direction ones
// winning, comments), which step is in force when (cycling after the last),
// and errors that name the line and what is wrong, for every bad input.
#include "shared/net/conditions_schedule.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using skirmish::net::ConditionerConfig;
using skirmish::net::ConditionsSchedule;
using skirmish::net::LinkConditions;
using skirmish::net::Outages;
using namespace std::chrono_literals;

ConditionsSchedule parsed(std::string_view text) {
    auto schedule = ConditionsSchedule::parse(text);
    EXPECT_TRUE(schedule.has_value()) << (schedule.has_value() ? "" : schedule.error());
    return schedule.has_value() ? schedule.value() : ConditionsSchedule{};
}

std::string error_of(std::string_view text) {
    auto schedule = ConditionsSchedule::parse(text);
    EXPECT_FALSE(schedule.has_value()) << "accepted: " << text;
    return schedule.has_value() ? std::string() : schedule.error();
}

} // namespace

TEST(ConditionsSchedule, ReadsOneStepPerLineWithCommentsAndBlankLines) {
    const auto schedule = parsed("# soak profiles\n"
                                 "\n"
                                 "60 latency-ms=25 jitter-ms=10 loss-pct=1 dup-pct=1 reorder-pct=2   # 50 ms RTT\n"
                                 "  30\tlatency-ms=125 down-loss-pct=10\r\n"
                                 "0.5\n");
    ASSERT_EQ(schedule.steps().size(), 3u);
    const LinkConditions first{.latency_ms = 25, .jitter_ms = 10, .loss_pct = 1, .dup_pct = 1, .reorder_pct = 2};
    EXPECT_EQ(schedule.steps()[0].up, first);
    EXPECT_EQ(schedule.steps()[0].down, first);
    EXPECT_EQ(schedule.steps()[0].seconds, 60.0);
    EXPECT_EQ(schedule.steps()[0].line, 3u);
    EXPECT_EQ(schedule.steps()[1].up, (LinkConditions{.latency_ms = 125}));
    EXPECT_EQ(schedule.steps()[1].down, (LinkConditions{.latency_ms = 125, .loss_pct = 10}));
    EXPECT_EQ(schedule.steps()[2].up, LinkConditions{}) << "a step starts from a clean link";
    EXPECT_EQ(schedule.cycle(), 90'500ms);
}

TEST(ConditionsSchedule, APerDirectionSettingWinsWhateverTheOrder) {
    const auto schedule = parsed("10 up-latency-ms=5 latency-ms=50\n10 latency-ms=50 up-latency-ms=5\n");
    for (const auto& step : schedule.steps()) {
        EXPECT_EQ(step.up.latency_ms, 5.0);
        EXPECT_EQ(step.down.latency_ms, 50.0);
    }
}

TEST(ConditionsSchedule, StepsFollowEachOtherAndTheScheduleRepeats) {
    const auto schedule = parsed("10 latency-ms=1\n5 latency-ms=2\n15 latency-ms=3\n");
    EXPECT_EQ(schedule.step_at(-1s), 0u);
    EXPECT_EQ(schedule.step_at(0s), 0u);
    EXPECT_EQ(schedule.step_at(9999ms), 0u);
    EXPECT_EQ(schedule.step_at(10s), 1u);
    EXPECT_EQ(schedule.step_at(14999ms), 1u);
    EXPECT_EQ(schedule.step_at(15s), 2u);
    EXPECT_EQ(schedule.step_at(29999ms), 2u);
    EXPECT_EQ(schedule.step_at(30s), 0u) << "again from the first";
    EXPECT_EQ(schedule.step_at(30s * 1000 + 12s), 1u);
}

TEST(ConditionsSchedule, ApplyKeepsTheSeedLimitsAndOutagesOfTheBase) {
    const auto schedule = parsed("10 latency-ms=25 loss-pct=3\n");
    ConditionerConfig base;
    base.seed = 77;
    base.limits.max_packets = 10;
    base.outages = Outages{.length_ms = 500, .every_s = 20};
    base.up.latency_ms = 999;
    const ConditionerConfig config = schedule.apply(0, base);
    EXPECT_EQ(config.up, (LinkConditions{.latency_ms = 25, .loss_pct = 3}));
    EXPECT_EQ(config.down, config.up);
    EXPECT_EQ(config.seed, 77u);
    EXPECT_EQ(config.limits.max_packets, 10u);
    EXPECT_EQ(config.outages, base.outages);
    EXPECT_EQ(schedule.apply(5, base), base) << "no such step: the base unchanged";
}

TEST(ConditionsSchedule, ErrorsNameTheLineAndWhatIsWrong) {
    EXPECT_EQ(error_of(""), "the schedule has no steps: write one per line, e.g. \"60 latency-ms=25 jitter-ms=10 loss-pct=1\"");
    EXPECT_EQ(error_of("# only a comment\n"), error_of(""));
    EXPECT_EQ(error_of("10 latency-ms=5\nlatency-ms=5\n"),
              "line 2: a step starts with how many seconds it lasts (more than 0, at most 86400), got 'latency-ms=5'");
    EXPECT_EQ(error_of("0 loss-pct=1"), "line 1: a step starts with how many seconds it lasts (more than 0, at most 86400), got '0'");
    EXPECT_EQ(error_of("10 loss-pct=101"), "line 1: loss-pct must be a number between 0 and 100 %, got '101'");
    EXPECT_EQ(error_of("10 up-latency-ms=-1"), "line 1: up-latency-ms must be a number between 0 and 10000 ms, got '-1'");
    EXPECT_EQ(error_of("10 latency=5"),
              "line 1: unknown setting 'latency'; the settings are latency-ms, jitter-ms, loss-pct, dup-pct, "
              "reorder-pct (each also with up- or down- in front)");
    EXPECT_EQ(error_of("10 loss-pct"), "line 1: 'loss-pct' is not SETTING=VALUE (e.g. loss-pct=5)");
    EXPECT_NE(error_of("10 loss-pct=nan").find("must be a number"), std::string::npos);
    EXPECT_NE(error_of("10 loss-pct=5x").find("must be a number"), std::string::npos);
    EXPECT_NE(error_of("inf").find("how many seconds"), std::string::npos);
    EXPECT_NE(error_of("100000").find("how many seconds"), std::string::npos);
}

TEST(ConditionsSchedule, SizeAndStepCountAreCapped) {
    std::string many;
    for (std::size_t i = 0; i <= skirmish::net::kMaxScheduleSteps; ++i) many += "1\n";
    EXPECT_NE(error_of(many).find("at most 1000 steps"), std::string::npos);
    const std::string huge(skirmish::net::kMaxScheduleBytes + 1, '#');
    EXPECT_NE(error_of(huge).find("at most 262144 bytes"), std::string::npos);
}

TEST(ConditionsSchedule, AnEmptyScheduleAlwaysAnswersStepZero) {
    const ConditionsSchedule none;
    EXPECT_EQ(none.step_at(5s), 0u);
    EXPECT_EQ(none.apply(0, ConditionerConfig{}), ConditionerConfig{});
}
