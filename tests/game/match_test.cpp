// A match's snapshots: delta against the newest acknowledged snapshot, with
// each fallback to a full snapshot, all decoding to exactly the world.
#include "server/game/match.hpp"
#include "shared/sim/quantise.hpp"
#include "support/test_maps.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace skirmish;
using server::FullReason;
using server::Match;
using namespace skirmish::test::ids;

namespace {

struct Client {
    std::map<sim::Tick, protocol::SnapshotState> held;
    protocol::DecodedSnapshot receive(const std::vector<std::uint8_t>& bytes, int rate) {
        auto decoded = protocol::decode_snapshot(
            bytes,
            [this](sim::Tick t) -> const protocol::SnapshotState* {
                auto it = held.find(t);
                return it == held.end() ? nullptr : &it->second;
            },
            rate);
        EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : protocol::name(decoded.error()));
        if (!decoded) return {};
        held[decoded->state.tick] = decoded->state;
        return *decoded;
    }
};

Match make_match() {
    server::MatchOrder order;
    order.match_id = 1_match;
    order.settings.frag_limit = 50;
    sim::Rules rules;
    rules.frag_limit = 0;
    rules.time_limit_s = 0;
    Match match(order, test::open_map(), rules);
    match.add_player(1_player, "a");
    match.add_player(2_player, "b");
    return match;
}

void run(Match& match, int ticks) {
    for (int i = 0; i < ticks; ++i) {
        protocol::TickInput in;
        in.tick = match.world().tick;
        in.input.move_x = static_cast<std::int8_t>((i % 50) < 25 ? 127 : -127);
        in.input.aim = static_cast<std::uint16_t>(i * 37 % 4096);
        match.offer_input(1_player, in);
        match.step();
    }
}

std::uint64_t full(const Match& m, FullReason r) { return m.snapshot_counters().full[static_cast<int>(r)]; }

} // namespace

TEST(MatchSnapshots, FullWhenNothingAcknowledged) {
    Match match = make_match();
    run(match, 5);
    Client client;
    const auto got = client.receive(match.snapshot_for(1_player, true), 60);
    EXPECT_EQ(got.header.baseline_tick, 0u);
    EXPECT_EQ(full(match, FullReason::NothingAcked), 1u);
    EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
}

TEST(MatchSnapshots, DeltaAgainstTheNewestAcknowledgedSnapshot) {
    Match match = make_match();
    Client client;
    run(match, 2);
    const auto first = client.receive(match.snapshot_for(1_player, true), 60);
    match.acknowledge(1_player, first.state.tick);
    for (int i = 0; i < 50; ++i) {
        run(match, 2);
        const auto got = client.receive(match.snapshot_for(1_player, true), 60);
        EXPECT_NE(got.header.baseline_tick, 0u);
        EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
        match.acknowledge(1_player, got.state.tick);
    }
    EXPECT_EQ(match.snapshot_counters().deltas, 50u);
}

TEST(MatchSpectators, ASpectatorGetsDeltasOfTheWholeWorldAndItsInputsReachNothing) {
    Match match = make_match();
    EXPECT_EQ(match.settings().spectator_slots, 4) << "the default seats";
    ASSERT_TRUE(match.add_spectator(9_player, "friend"));
    EXPECT_FALSE(match.add_spectator(9_player, "friend")) << "already watching";
    EXPECT_FALSE(match.add_spectator(1_player, "a")) << "a player cannot also watch";
    EXPECT_EQ(match.spectator_count(), 1u);
    EXPECT_EQ(match.player_count(), 2u);
    EXPECT_EQ(match.player_name(9_player), "friend");
    Client watcher;
    match.step(); // no player has sent an input: nobody moves from here on but by the spectator's
    match.step();
    const auto first = watcher.receive(match.snapshot_for(9_player, true), 60);
    EXPECT_EQ(first.header.baseline_tick, 0u);
    EXPECT_EQ(first.header.last_input_tick, 0u) << "a spectator's header has no input figures";
    EXPECT_EQ(first.state.players.size(), 2u) << "the players, and no entity for the spectator";
    match.acknowledge(9_player, first.state.tick);
    const sim::World before = match.world();
    for (int i = 0; i < 20; ++i) {
        // Whatever it sends for the ticks being stepped goes nowhere.
        protocol::TickInput in;
        in.tick = match.world().tick;
        in.input.move_x = 127;
        in.input.buttons = sim::buttons::kFire | sim::buttons::kDash;
        match.offer_input(9_player, in);
        match.step();
    }
    EXPECT_EQ(match.world().players.size(), 2u);
    EXPECT_EQ(match.world().find(9_player), nullptr);
    EXPECT_EQ(match.input_counters(9_player), nullptr);
    for (const sim::Player& p : match.world().players) {
        const sim::Player* was = before.find(p.id);
        ASSERT_NE(was, nullptr);
        EXPECT_EQ(p.position, was->position) << "nobody moved: only the spectator sent inputs";
    }
    const auto later = watcher.receive(match.snapshot_for(9_player, true), 60);
    EXPECT_EQ(later.header.baseline_tick, first.state.tick) << "its acknowledgement is its baseline";
    EXPECT_EQ(later.state, protocol::capture_snapshot(match.world()));
    match.remove_spectator(9_player);
    EXPECT_EQ(match.spectator_count(), 0u);
    EXPECT_TRUE(match.snapshot_for(9_player, true).empty()) << "gone: nothing more";
    EXPECT_EQ(match.results().scores.size(), 2u) << "a spectator is on no scoreboard";
}

TEST(MatchSpectators, ASpectatorDecodesSnapshotsOfAMatchOlderThanTheHeldDistance) {
    Match match = make_match();
    ASSERT_TRUE(match.add_spectator(9_player, "friend"));
    for (sim::Tick t = 0; t < static_cast<sim::Tick>(protocol::kMaxHeldDistanceTicks) + 100; ++t) match.step();
    Client watcher;
    const auto got = watcher.receive(match.snapshot_for(9_player, true), 60);
    EXPECT_EQ(got.state, protocol::capture_snapshot(match.world())) << "a header the decoder takes at any age";
    EXPECT_EQ(got.header.inputs_held_through, match.world().tick);
}

TEST(MatchSpectators, TheSeatsAreTheSettings) {
    server::MatchOrder order;
    order.match_id = 1_match;
    order.settings.spectator_slots = 1;
    Match match(order, test::open_map(), sim::Rules{});
    EXPECT_FALSE(match.spectators_full());
    ASSERT_TRUE(match.add_spectator(9_player, "friend"));
    EXPECT_TRUE(match.spectators_full());
}

TEST(MatchSnapshots, FallsBackToFullWhenTheAckNamesASnapshotNeverSent) {
    Match match = make_match();
    Client client;
    run(match, 2);
    client.receive(match.snapshot_for(1_player, true), 60);
    run(match, 3);
    match.acknowledge(1_player, match.world().tick - 1); // simulated, but no snapshot was sent for it
    const auto got = client.receive(match.snapshot_for(1_player, true), 60);
    EXPECT_EQ(got.header.baseline_tick, 0u);
    EXPECT_EQ(full(match, FullReason::AckUnknown), 1u);
    EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
}

TEST(MatchSnapshots, FallsBackToFullWhenTheBaselineIsTooOld) {
    Match match = make_match();
    Client client;
    run(match, 2);
    const auto first = client.receive(match.snapshot_for(1_player, true), 60);
    match.acknowledge(1_player, first.state.tick);
    run(match, static_cast<int>(protocol::kMaxBaselineAgeTicks) + 1);
    const auto got = client.receive(match.snapshot_for(1_player, true), 60);
    EXPECT_EQ(got.header.baseline_tick, 0u);
    EXPECT_EQ(full(match, FullReason::AckTooOld), 1u);
    EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
}

TEST(MatchSnapshots, FallsBackToFullWhenTheBaselineWasEvicted) {
    // The server keeps 64 sent snapshots; an ack older than those is unknown
    // even if it is not yet "too old".
    Match match = make_match();
    Client client;
    run(match, 1);
    const auto first = client.receive(match.snapshot_for(1_player, true), 60);
    for (int i = 0; i < 70; ++i) {
        run(match, 1);
        match.snapshot_for(2_player, true); // snapshots for the other player fill the ring
    }
    match.acknowledge(1_player, first.state.tick);
    const auto got = client.receive(match.snapshot_for(1_player, true), 60);
    EXPECT_EQ(got.header.baseline_tick, 0u);
    EXPECT_GE(full(match, FullReason::AckUnknown), 1u);
    EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
}

TEST(MatchSnapshots, DeltaOffSendsOnlyFullSnapshots) {
    Match match = make_match();
    Client client;
    for (int i = 0; i < 10; ++i) {
        run(match, 2);
        const auto got = client.receive(match.snapshot_for(1_player, false), 60);
        EXPECT_EQ(got.header.baseline_tick, 0u);
        match.acknowledge(1_player, got.state.tick);
    }
    EXPECT_EQ(full(match, FullReason::DeltaOff), 10u);
    EXPECT_EQ(match.snapshot_counters().deltas, 0u);
}

TEST(MatchSnapshots, TellEachPlayerWhichOfItsInputsWasApplied) {
    Match match = make_match();
    protocol::TickInput in;
    in.tick = 0;
    match.offer_input(2_player, in);
    in.tick = 1;
    match.offer_input(2_player, in);
    match.step();
    match.step();
    match.step(); // tick 2 had no input: repeated
    Client client;
    const auto got = client.receive(match.snapshot_for(2_player, true), 60);
    EXPECT_EQ(got.header.last_input_tick, 1u);
}

TEST(MatchSnapshots, ANewcomerToAMatchOlderThanTheLeadLimitDecodesItsSnapshots) {
    // Before its first input arrives a player's input lead is minus the
    // match's age; past kMaxInputLeadTicks (about 13 minutes at 128 Hz) that
    // was a header no decoder accepts, and the newcomer saw an empty arena.
    Match match = make_match();
    run(match, static_cast<int>(protocol::kMaxInputLeadTicks) + 10);
    match.add_player(3_player, "late");
    Client client;
    const auto got = client.receive(match.snapshot_for(3_player, true), 60);
    EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
    EXPECT_EQ(got.header.input_lead, -protocol::kMaxInputLeadTicks);
    EXPECT_EQ(got.header.last_input_tick, 0u) << "no input of its own applied yet";
    EXPECT_EQ(got.header.inputs_held_through, match.world().tick - 1);
}

TEST(MatchSnapshots, AfterTheEndTheFinalSnapshotIsRepeatedUntilAcknowledged) {
    Match match = make_match();
    Client client;
    run(match, 2);
    match.acknowledge(1_player, client.receive(match.snapshot_for(1_player, true), 60).state.tick);
    run(match, 2);
    match.end(protocol::MatchEndReason::TimeLimit); // the server steps it no more: its tick stands still
    const sim::Tick final_tick = match.world().tick;
    for (int repeat = 0; repeat < 3; ++repeat) { // lost, lost, arrives
        const auto got = client.receive(match.snapshot_for(1_player, true), 60);
        EXPECT_EQ(got.state.tick, final_tick);
        EXPECT_EQ(got.state.phase, sim::MatchPhase::Over);
        EXPECT_EQ(got.state, protocol::capture_snapshot(match.world()));
        EXPECT_LT(got.header.baseline_tick, final_tick) << "a delta against the tick itself would read as full and empty";
    }
    match.acknowledge(1_player, final_tick);
    EXPECT_TRUE(match.snapshot_for(1_player, true).empty())
        << "the client holds the final snapshot: nothing more to send";
    EXPECT_FALSE(match.snapshot_for(2_player, true).empty()) << "the other player has acknowledged nothing";
}

TEST(MatchResults, ScoreboardIncludesPlayersWhoLeft) {
    Match match = make_match();
    match.add_player(3_player, "c");
    match.remove_player(2_player);
    const auto results = match.results();
    ASSERT_EQ(results.scores.size(), 3u);
    match.add_player(2_player, "b"); // came back: one entry again
    EXPECT_EQ(match.results().scores.size(), 3u);
}

TEST(MatchResults, APlayerBackUnderANewIdKeepsOneRowAndTheirScore) {
    Match match = make_match();
    match.world_for_test().find(2_player)->frags = 4;
    match.remove_player(2_player);
    match.add_player(9_player, "b"); // the same person through a new lobby session
    const auto results = match.results();
    ASSERT_EQ(results.scores.size(), 2u);
    const auto b = std::find_if(results.scores.begin(), results.scores.end(),
                                [](const protocol::PlayerScore& s) { return s.name == "b"; });
    ASSERT_NE(b, results.scores.end());
    EXPECT_EQ(b->player_id, 9u);
    EXPECT_EQ(b->frags, 4);
}

TEST(MatchResults, TheReasonIsTheOneTheStepGave) {
    server::MatchOrder order;
    order.match_id = 3_match;
    order.room_id = 4_room;
    sim::Rules rules;
    rules.frag_limit = 2;
    rules.time_limit_s = 1;
    Match by_time(order, test::open_map(), rules);
    by_time.add_player(1_player, "a");
    for (int i = 0; i < rules.tick_rate_hz && !by_time.over(); ++i) by_time.step();
    ASSERT_TRUE(by_time.over());
    EXPECT_EQ(by_time.results().reason, protocol::MatchEndReason::TimeLimit);

    Match by_frags(order, test::open_map(), rules);
    by_frags.add_player(1_player, "a");
    by_frags.world_for_test().find(1_player)->frags = 2;
    const sim::StepEvents events = by_frags.step();
    EXPECT_EQ(events.match_over, sim::EndReason::FragLimit);
    EXPECT_EQ(by_frags.results().reason, protocol::MatchEndReason::FragLimit);
    // A later end() does not overwrite why it ended.
    by_frags.end(protocol::MatchEndReason::ServerShutdown);
    EXPECT_EQ(by_frags.results().reason, protocol::MatchEndReason::FragLimit);
}

TEST(MatchShots, TheShooterIsToldWhereTheServerCheckedItsTarget) {
    for (const bool lag_compensation : {true, false}) {
        server::MatchOrder order;
        order.match_id = 1_match;
        order.settings.frag_limit = 50;
        sim::Rules rules;
        rules.frag_limit = 0;
        rules.time_limit_s = 0;
        rules.lag_compensation = lag_compensation;
        Match match(order, test::open_map(), rules);
        match.add_player(1_player, "shooter");
        match.add_player(2_player, "target");
        const auto target_at = [&] { return match.world().find(2_player)->position; };
        const auto walk = [&] {
            protocol::TickInput in;
            in.tick = match.world().tick;
            in.input.move_y = 127;
            match.offer_input(2_player, in);
        };
        std::map<sim::Tick, sim::Vec2> seen; // where the target was at the start of each tick
        for (int i = 0; i < 40; ++i) {
            seen[match.world().tick] = target_at();
            walk();
            match.step();
            EXPECT_TRUE(match.judged().empty());
        }
        const sim::Tick tick = match.world().tick;
        const sim::Tick view = tick - 8; // the shooter saw the target 8 ticks ago
        const sim::Vec2 from = match.world().find(1_player)->position;
        const sim::Vec2 to = seen.at(view) - from;
        constexpr double kTurn = 6.283185307179586;
        protocol::TickInput shot;
        shot.tick = tick;
        shot.input.buttons = sim::buttons::kFire;
        shot.input.aim = static_cast<std::uint16_t>(
            static_cast<std::uint32_t>(std::lround(std::atan2(to.y, to.x) / kTurn * 4096.0 + 4096.0)) % sim::kAimSteps);
        shot.input.view_tick = view;
        match.offer_input(1_player, shot);
        walk();
        match.step();
        ASSERT_EQ(match.judged().size(), 1u) << "lag compensation " << lag_compensation;
        const auto& [shooter, judged] = match.judged().front();
        EXPECT_EQ(shooter, 1_player);
        EXPECT_EQ(judged.tick, tick);
        EXPECT_EQ(judged.target_id, 2u);
        if (lag_compensation) {
            EXPECT_EQ(judged.target, seen.at(view)) << "rewound to the shooter's view";
            EXPECT_EQ(judged.rewind_ticks, 8);
        } else {
            EXPECT_EQ(judged.target, target_at()) << "where it was at the step";
            EXPECT_EQ(judged.rewind_ticks, 0);
        }
    }
}
