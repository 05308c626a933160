// client/bots/report: a fleet's figures aggregated from every bot's
// histograms and counters (distributions merged, never averages of
// averages), and thresholds that say what was missed and by how much.
#include "client/bots/report.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace skirmish;

namespace {

bots::BotMetrics bot_with_rtt(double rtt_ms, int samples) {
    bots::BotMetrics m;
    for (int i = 0; i < samples; ++i) m.rtt_ms.record(rtt_ms);
    return m;
}

std::vector<const bots::BotMetrics*> all(const std::vector<bots::BotMetrics>& bots) {
    std::vector<const bots::BotMetrics*> out;
    for (const auto& b : bots) out.push_back(&b);
    return out;
}

} // namespace

TEST(Report, PercentilesComeFromTheMergedDistributionsNotAveragesOfAverages) {
    // 90 samples at 10 ms from one bot, 10 at 100 ms from another: the fleet's
    // p50 is 10 ms (an average of the two bots' medians would say 55).
    const std::vector<bots::BotMetrics> bots{bot_with_rtt(10, 90), bot_with_rtt(100, 10)};
    const bots::Report r = bots::aggregate(all(bots), 2, 30);
    EXPECT_EQ(r.bots, 2u);
    EXPECT_EQ(r.connected, 2u);
    EXPECT_EQ(r.duration_s, 30);
    EXPECT_NEAR(r.rtt_ms.p50, 10, 0.2);
    EXPECT_NEAR(r.rtt_ms.p99, 100, 2);
    EXPECT_NEAR(r.rtt_ms.max, 100, 2);
}

TEST(Report, SnapshotRatesArePerBotOverSettledTimeAndLossOverEverySnapshot) {
    std::vector<bots::BotMetrics> bots(3);
    bots[0].snapshots = 300;
    bots[0].settled_match_s = 10; // 30/s
    bots[1].snapshots = 270;
    bots[1].snapshots_lost = 30;
    bots[1].settled_match_s = 10; // 27/s
    bots[2].snapshots = 5;
    bots[2].settled_match_s = 0.5; // under a second settled: not a rate
    const bots::Report r = bots::aggregate(all(bots), 3, 10);
    EXPECT_NEAR(r.snapshots_per_s.min, 27, 0.5);
    EXPECT_NEAR(r.snapshot_loss_pct, 100.0 * 30 / 605, 1e-9);
}

TEST(Report, CountersAddUpAndBytesAndCorrectionsArePerTime) {
    std::vector<bots::BotMetrics> bots(2);
    for (auto& b : bots) {
        b.match_s = 60;
        b.matches = 2;
        b.shots = 100;
        b.hits = 25;
        b.snapshot_bytes = 10'000;
        b.snapshots_all = 100;
        b.down_bytes_per_s.record(8000);
        b.up_bytes_per_s.record(2000);
    }
    bots[0].corrections = 3;
    bots[1].corrections = 1;
    bots[1].disconnects = 1;
    const bots::Report r = bots::aggregate(all(bots), 1, 60);
    EXPECT_EQ(r.matches, 4u);
    EXPECT_EQ(r.shots, 200u);
    EXPECT_EQ(r.hits, 50u);
    EXPECT_EQ(r.disconnects, 1u);
    EXPECT_DOUBLE_EQ(r.snapshot_bytes_mean, 100);
    EXPECT_DOUBLE_EQ(r.corrections_per_min, 2.0); // 4 over two bot-minutes
    EXPECT_NEAR(r.down_bytes_per_s.mean, 8000, 1e-6);
    EXPECT_NEAR(r.up_bytes_per_s.p99, 2000, 40);
}

TEST(Report, TheServerFiguresComeFromTheLongestRunAnyBotSaw) {
    std::vector<bots::BotMetrics> bots(3);
    protocol::ServerStats older;
    older.tick_rate_hz = 60;
    older.run_ticks = 100;
    older.run_tick_ms_p99 = 9;
    older.players = 12;
    protocol::ServerStats newer = older;
    newer.run_ticks = 600;
    newer.run_tick_ms_p50 = 0.5;
    newer.run_tick_ms_p99 = 1.5;
    newer.run_tick_ms_max = 3;
    newer.overruns = 2;
    newer.players = 8;
    bots[0].server = older;
    bots[1].server = newer;
    const bots::Report r = bots::aggregate(all(bots), 3, 10);
    EXPECT_EQ(r.server.tick_rate, 60);
    EXPECT_EQ(r.server.ticks, 600u);
    EXPECT_EQ(r.server.tick_ms.p50, 0.5);
    EXPECT_EQ(r.server.tick_ms.p99, 1.5);
    EXPECT_EQ(r.server.tick_ms.max, 3);
    EXPECT_EQ(r.server.overruns, 2u);
    EXPECT_EQ(r.server.players, 12u) << "the most players any bot saw";
}

TEST(Report, KeepsAFewDistinctProblems) {
    std::vector<bots::BotMetrics> bots(9);
    for (std::size_t i = 0; i < bots.size(); ++i) bots[i].last_problem = i % 2 ? "" : "problem " + std::to_string(i / 4);
    bots[8].last_problem = "timed out";
    const bots::Report r = bots::aggregate(all(bots), 0, 1);
    EXPECT_EQ(r.problems, (std::vector<std::string>{"problem 0", "problem 1", "timed out"}));

    std::vector<bots::BotMetrics> many(20);
    for (std::size_t i = 0; i < many.size(); ++i) many[i].last_problem = "problem " + std::to_string(i);
    EXPECT_EQ(bots::aggregate(all(many), 0, 1).problems.size(), 5u);
}

TEST(Report, ThresholdsSayWhatWasMissedAndByHowMuch) {
    bots::Report r;
    r.connected = 6;
    r.disconnects = 2;
    r.snapshots_per_s.min = 24.5;
    r.snapshot_loss_pct = 3;
    r.down_bytes_per_s.mean = 9000;
    r.rtt_ms.p99 = 80;
    r.server.tick_ms.p99 = 4;
    bots::Thresholds t;
    t.min_connected = 6;
    t.max_rtt_p99_ms = 100;
    EXPECT_TRUE(bots::check(r, t).empty());
    t.max_disconnects = 0;
    t.min_snapshot_rate = 29;
    t.max_snapshot_loss_pct = 1;
    t.max_down_bytes_per_s = 8000;
    t.max_server_tick_p99_ms = 2;
    const auto missed = bots::check(r, t);
    ASSERT_EQ(missed.size(), 5u);
    EXPECT_EQ(missed[0], "2 disconnects, more than --max-disconnects 0");
    EXPECT_EQ(missed[1], "slowest bot got 24.5 snapshots/s, under --min-snapshot-rate 29.0");
    EXPECT_EQ(missed[2], "snapshot loss 3.00 % is over --max-snapshot-loss-pct 1.00");
    EXPECT_EQ(missed[3], "downstream 9000 B/s per bot is over --max-down-bytes-per-s 8000");
    EXPECT_EQ(missed[4], "server tick p99 4.000 ms is over --max-server-tick-p99-ms 2.000");
}

TEST(Report, HitAgreementAddsUpOverBotsAndIsConfirmedOverSeen) {
    std::vector<bots::BotMetrics> bots(2);
    bots[0].hit_agreement.shots = 50;
    bots[0].hit_agreement.client_hits = 40;
    bots[0].hit_agreement.confirmed_client_hits = 39;
    bots[0].hit_agreement.target_died_first = 1;
    bots[0].hit_agreement.phantom_hits = 2;
    bots[1].hit_agreement.shots = 50;
    bots[1].hit_agreement.client_hits = 60;
    bots[1].hit_agreement.confirmed_client_hits = 60;
    bots[1].hit_agreement.unresolved = 3;
    const bots::Report r = bots::aggregate(all(bots), 2, 10);
    EXPECT_EQ(r.hit_agreement.client_hits, 100u);
    EXPECT_EQ(r.hit_agreement.confirmed_client_hits, 99u);
    EXPECT_EQ(r.hit_agreement.phantom_hits, 2u);
    EXPECT_EQ(r.hit_agreement.target_died_first, 1u);
    EXPECT_EQ(r.hit_agreement.unresolved, 3u);
    EXPECT_DOUBLE_EQ(r.hit_agreement.agreement_pct(), 99.0);
}

TEST(Report, CorrectionSizesMergeAndSmoothnessIsOverFramesAndTime) {
    std::vector<bots::BotMetrics> bots(2);
    for (int i = 1; i <= 99; ++i) bots[0].correction_units.record(1.0);
    bots[1].correction_units.record(50.0);
    bots[0].corrections = 60;
    bots[0].corrections_by_players = 15;
    bots[1].corrections = 40;
    bots[1].corrections_by_players = 35;
    bots[0].smoothness = {.frames = 900, .extrapolated_frames = 9, .long_extrapolations = 1, .snaps = 2, .seconds = 30};
    bots[1].smoothness = {.frames = 100, .extrapolated_frames = 1, .long_extrapolations = 0, .snaps = 1, .seconds = 30};
    const bots::Report r = bots::aggregate(all(bots), 2, 30);
    EXPECT_NEAR(r.correction_units.mean, (99.0 + 50.0) / 100.0, 1e-9);
    EXPECT_NEAR(r.correction_units.p99, 1.0, 0.05) << "99 of 100 are 1 unit";
    EXPECT_NEAR(r.correction_units.max, 50.0, 1e-9);
    EXPECT_DOUBLE_EQ(r.corrections_by_players_pct, 50.0);
    EXPECT_DOUBLE_EQ(r.extrapolated_pct, 1.0);
    EXPECT_EQ(r.extrapolations_over_100ms, 1u);
    EXPECT_DOUBLE_EQ(r.snaps_per_min, 3.0);
}

TEST(Report, InputsAppliedAddUpOverMatchesAndBotsAndLeaveOutTicksBeforeTheFirst) {
    std::vector<bots::BotMetrics> bots(2);
    // Two matches of one bot, one of the other, as their last ServerStats said.
    bots[0].inputs.add({.applied = 5000, .repeated = 1, .before_first = 40, .late = 1, .too_early = 0, .redundant = 900});
    bots[0].inputs.add({.applied = 2000, .repeated = 0, .before_first = 35, .late = 0, .too_early = 2, .redundant = 300});
    bots[1].inputs.add({.applied = 2998, .repeated = 1, .before_first = 50, .late = 3, .too_early = 0, .redundant = 800});
    const bots::Report r = bots::aggregate(all(bots), 2, 60);
    EXPECT_EQ(r.inputs.applied, 9998u);
    EXPECT_EQ(r.inputs.repeated, 2u);
    EXPECT_EQ(r.inputs.before_first, 125u);
    EXPECT_EQ(r.inputs.late, 4u);
    EXPECT_EQ(r.inputs.too_early, 2u);
    EXPECT_EQ(r.inputs.redundant, 2000u);
    EXPECT_EQ(r.inputs.matches, 3u);
    // Ticks before a player's first input had nothing to repeat: not counted against it.
    EXPECT_DOUBLE_EQ(r.inputs.applied_pct(), 99.98);
    EXPECT_TRUE(std::isnan(bots::Report{}.inputs.applied_pct())) << "nothing counted: no share";
}
