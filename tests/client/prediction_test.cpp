// client/core/prediction: the local player predicted with the very sim::step
// the server runs, rewound and replayed when the server disagrees, and the
// visible error absorbed by a smoothing offset that decays.
#include "client/core/prediction.hpp"
#include "shared/sim/quantise.hpp"
#include "support/test_maps.hpp"
#include "support/test_players.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace skirmish;

namespace {

using skirmish::test::kSelf;

// What the server runs for us: a world with our player, stepped with our inputs.
struct Server {
    sim::Rules rules;
    sim::World world = sim::make_world(test::open_map());

    Server() { test::place(world, rules, kSelf, {300, 300}); }

    void step(const sim::PlayerInput& input) {
        sim::PlayerInput in = input;
        in.player = kSelf;
        sim::step(world, std::span(&in, 1), rules);
    }
    protocol::SnapshotState snapshot() const { return protocol::capture_snapshot(world); }
    const sim::Player& self() const { return *world.find(kSelf); }
};

// A run of varied inputs: walking, turning, firing, a dash.
sim::PlayerInput input_for(sim::Tick tick) {
    sim::PlayerInput in;
    in.player = kSelf;
    in.move_x = static_cast<std::int8_t>((tick / 7) % 2 ? 127 : -90);
    in.move_y = static_cast<std::int8_t>((tick / 11) % 2 ? 60 : -127);
    in.aim = static_cast<std::uint16_t>((tick * 37) % sim::kAimSteps);
    in.buttons = static_cast<std::uint8_t>((tick % 13 == 5 ? sim::buttons::kFire : 0) |
                                           (tick % 29 == 17 ? sim::buttons::kDash : 0));
    return in;
}

client::Predictor make_predictor(const Server& server, client::PredictionOptions options = {}) {
    client::Predictor p(server.world.map, server.rules, kSelf, options);
    p.reconcile(server.snapshot()); // the first snapshot seeds the prediction
    return p;
}

} // namespace

TEST(Predictor, MatchesSimStepExactlyTickForTick) {
    Server server;
    client::Predictor predictor = make_predictor(server);
    ASSERT_TRUE(predictor.ready());
    const sim::Tick end = server.world.tick + 300;
    for (sim::Tick t = server.world.tick; t < end; ++t) {
        const sim::PlayerInput in = input_for(t);
        predictor.apply(t, in);
        server.step(in);
        ASSERT_EQ(server.world.tick, t + 1);
        ASSERT_EQ(predictor.tick(), t + 1);
        ASSERT_EQ(*predictor.predicted(), server.self()) << "after the input of tick " << t;
    }
}

TEST(Predictor, NothingToCorrectWhenTheServerAgrees) {
    Server server;
    client::Predictor predictor = make_predictor(server);
    std::vector<protocol::SnapshotState> server_states;
    for (sim::Tick t = 0; t < 20; ++t) {
        predictor.apply(server.world.tick, input_for(t));
        server.step(input_for(t));
        server_states.push_back(server.snapshot());
    }
    // Snapshots arrive a few ticks behind the prediction: all agree.
    for (std::size_t i = 0; i + 5 < server_states.size(); ++i) {
        const client::Correction c = predictor.reconcile(server_states[i]);
        EXPECT_FALSE(c.happened) << "snapshot " << server_states[i].tick;
    }
    EXPECT_EQ(predictor.smoothing_offset(), sim::Vec2{});
    EXPECT_EQ(predictor.visual_position(), predictor.predicted()->position);
}

TEST(Predictor, ReplaysTheUnackedInputsAfterACorrectionAndMatchesSimStep) {
    Server server;
    client::Predictor predictor = make_predictor(server);
    const sim::Tick start = server.world.tick;
    std::vector<sim::PlayerInput> sent;
    for (sim::Tick t = start; t < start + 30; ++t) {
        sent.push_back(input_for(t));
        predictor.apply(t, sent.back());
    }
    const sim::Player before = *predictor.predicted();

    // Our input of tick start+7 was lost; the server repeated the one before
    // (what its input buffer does), which walked the other way, so from there
    // on it disagrees.
    ASSERT_NE(sent[6].move_x, sent[7].move_x);
    for (sim::Tick t = start; t < start + 12; ++t) {
        const std::size_t i = t - start;
        server.step(i == 7 ? sent[6] : sent[i]);
    }
    const protocol::SnapshotState snapshot = server.snapshot(); // tick start + 12
    const client::Correction c = predictor.reconcile(snapshot);
    EXPECT_TRUE(c.happened);
    EXPECT_GT(c.distance, 0.0f);

    // The expected result: the server's state at start+12, then our inputs
    // for start+12 .. start+29 replayed with sim::step.
    sim::World replay = sim::make_world(server.world.map);
    replay.tick = snapshot.tick;
    replay.players = snapshot.players;
    for (sim::Tick t = snapshot.tick; t < start + 30; ++t) {
        sim::PlayerInput in = sent[t - start];
        sim::step(replay, std::span(&in, 1), server.rules);
    }
    EXPECT_EQ(predictor.tick(), start + 30);
    EXPECT_EQ(*predictor.predicted(), *replay.find(kSelf));
    EXPECT_FLOAT_EQ(c.distance, sim::length(replay.find(kSelf)->position - before.position));
    // What we now predict for a replayed tick is the replayed state.
    EXPECT_EQ(predictor.predicted_at(start + 30), *replay.find(kSelf));
}

TEST(Predictor, SmoothingHidesTheJumpAndDecaysIt) {
    Server server;
    client::Predictor predictor = make_predictor(server);
    const sim::Tick start = server.world.tick;
    for (sim::Tick t = start; t < start + 10; ++t) predictor.apply(t, input_for(t));
    const sim::Vec2 shown_before = predictor.visual_position();

    // The server had us somewhere else (pushed 20 units): a correction.
    server.world.find(kSelf)->position += sim::Vec2{20, 0};
    for (sim::Tick t = start; t < start + 5; ++t) server.step(input_for(t));
    const client::Correction c = predictor.reconcile(server.snapshot());
    ASSERT_TRUE(c.happened);
    ASSERT_GT(c.distance, 10.0f);
    // At once, what is shown has not moved: the offset absorbs the whole jump.
    EXPECT_NEAR(predictor.visual_position().x, shown_before.x, 1e-3);
    EXPECT_NEAR(predictor.visual_position().y, shown_before.y, 1e-3);

    // It decays exponentially (time constant 0.1 s) and then is gone.
    float previous = sim::length(predictor.smoothing_offset());
    predictor.decay(0.1);
    EXPECT_NEAR(sim::length(predictor.smoothing_offset()), previous * std::exp(-1.0f), previous * 1e-3f);
    for (int frame = 0; frame < 60; ++frame) {
        predictor.decay(1.0 / 60);
        const float now = sim::length(predictor.smoothing_offset());
        EXPECT_LE(now, previous);
        previous = now;
    }
    EXPECT_EQ(predictor.smoothing_offset(), sim::Vec2{});
    EXPECT_EQ(predictor.visual_position(), predictor.predicted()->position);
}

TEST(Predictor, CorrectionsSnapWithoutSmoothingOrForATeleport) {
    for (const bool teleport : {false, true}) {
        Server server;
        client::PredictionOptions options;
        options.smoothing = teleport; // a teleport snaps even with smoothing on
        client::Predictor predictor = make_predictor(server, options);
        const sim::Tick start = server.world.tick;
        for (sim::Tick t = start; t < start + 10; ++t) predictor.apply(t, input_for(t));
        server.world.find(kSelf)->position += sim::Vec2{teleport ? 400.0f : 20.0f, 0};
        for (sim::Tick t = start; t < start + 5; ++t) server.step(input_for(t));
        const client::Correction c = predictor.reconcile(server.snapshot());
        ASSERT_TRUE(c.happened);
        EXPECT_EQ(teleport, c.distance >= options.teleport_distance);
        EXPECT_EQ(predictor.smoothing_offset(), sim::Vec2{}) << (teleport ? "teleport" : "smoothing off");
        EXPECT_EQ(predictor.visual_position(), predictor.predicted()->position);
    }
}

TEST(Predictor, ASnapshotAheadOfThePredictionIsTakenAsItIs) {
    Server server;
    client::Predictor predictor = make_predictor(server);
    for (sim::Tick t = 0; t < 8; ++t) server.step(input_for(t));
    // Nothing predicted yet for these ticks (the input clock starts behind).
    predictor.reconcile(server.snapshot());
    EXPECT_EQ(predictor.tick(), server.world.tick);
    EXPECT_EQ(*predictor.predicted(), server.self());
}

TEST(Predictor, ACorrectionWithAnotherPlayerTouchingUsIsTheirs) {
    for (const bool touching : {false, true}) {
        Server server;
        client::Predictor predictor = make_predictor(server);
        const sim::Tick start = server.world.tick;
        for (sim::Tick t = start; t < start + 10; ++t) predictor.apply(t, input_for(t));
        server.world.find(kSelf)->position += sim::Vec2{20, 0}; // the server had us elsewhere
        for (sim::Tick t = start; t < start + 5; ++t) server.step(input_for(t));
        protocol::SnapshotState snapshot = server.snapshot();
        sim::Player other;
        other.id = sim::PlayerId{2};
        other.alive = true;
        const float apart = touching ? 2 * server.rules.player_radius + 1 : 2 * server.rules.player_radius + 60;
        other.position = server.self().position + sim::Vec2{0, apart};
        snapshot.players.push_back(other);
        const client::Correction c = predictor.reconcile(snapshot);
        ASSERT_TRUE(c.happened);
        EXPECT_EQ(c.by_players, touching);
    }
}

TEST(Predictor, BeingKilledIsACorrectionOtherPlayersCaused) {
    Server server;
    client::Predictor predictor = make_predictor(server);
    const sim::Tick start = server.world.tick;
    for (sim::Tick t = start; t < start + 10; ++t) predictor.apply(t, input_for(t));
    for (sim::Tick t = start; t < start + 5; ++t) server.step(input_for(t));
    sim::Player& self = *server.world.find(kSelf);
    self.alive = false;
    self.velocity = {};
    const client::Correction c = predictor.reconcile(server.snapshot());
    ASSERT_TRUE(c.happened);
    EXPECT_TRUE(c.by_players);
}

TEST(Predictor, ARespawnIsTheServersToPlace) {
    // Dead, the prediction waits where it died: the spawn the server picks
    // depends on players it does not hold. The snapshot that shows us back
    // puts us there, and prediction goes on from it.
    Server server;
    client::Predictor predictor = make_predictor(server);
    sim::Player& self = *server.world.find(kSelf);
    self.alive = false;
    self.health = 0;
    self.respawn_tick = server.world.tick + 5;
    predictor.reconcile(server.snapshot());
    const sim::Vec2 died_at = predictor.predicted()->position;
    const sim::Tick start = server.world.tick;
    for (sim::Tick t = start; t < start + 20; ++t) predictor.apply(t, input_for(t));
    EXPECT_FALSE(predictor.predicted()->alive) << "no respawn predicted";
    EXPECT_EQ(predictor.predicted()->position, died_at);

    // The server respawns us (at a spawn of its choice) and we walk from there.
    for (sim::Tick t = start; t < start + 10; ++t) server.step(input_for(t));
    ASSERT_TRUE(server.self().alive);
    predictor.reconcile(server.snapshot());
    sim::World replay = server.world;
    for (sim::Tick t = start + 10; t < start + 20; ++t) {
        sim::PlayerInput in = input_for(t);
        in.player = kSelf;
        sim::step(replay, std::span(&in, 1), server.rules);
    }
    EXPECT_EQ(*predictor.predicted(), *replay.find(kSelf));
}

TEST(Predictor, ANudgeIsCorrectedByTheNextSnapshotSmoothedOrSnapped) {
    for (const bool smoothing : {true, false}) {
        Server server;
        client::PredictionOptions options;
        options.smoothing = smoothing;
        client::Predictor predictor = make_predictor(server, options);
        sim::PlayerInput idle;
        idle.player = kSelf;
        // Five ticks ahead of the server, as a client at some latency is.
        for (int i = 0; i < 5; ++i) predictor.apply(predictor.tick(), idle);
        const sim::Vec2 before = predictor.predicted()->position;
        const float moved = predictor.nudge({40, 0});
        EXPECT_FLOAT_EQ(moved, 40.0f);
        EXPECT_FLOAT_EQ(predictor.predicted()->position.x, before.x + 40);
        // The visible player jumps with it: a desync is seen, not hidden.
        EXPECT_FLOAT_EQ(predictor.visual_position().x, before.x + 40);
        for (int i = 0; i < 5; ++i) predictor.apply(predictor.tick(), idle);

        // Snapshots of ticks predicted before the nudge agree...
        for (int i = 0; i < 5; ++i) server.step(idle);
        EXPECT_FALSE(predictor.reconcile(server.snapshot()).happened);
        // ...the first one after it does not, and the server's word wins.
        server.step(idle);
        const client::Correction c = predictor.reconcile(server.snapshot());
        EXPECT_TRUE(c.happened) << "smoothing " << smoothing;
        EXPECT_NEAR(c.distance, 40.0f, 0.2f);
        EXPECT_NEAR(predictor.predicted()->position.x, before.x, 0.2f);
        if (smoothing) EXPECT_NEAR(predictor.visual_position().x, before.x + 40, 0.2f) << "blends from where it was";
        else EXPECT_NEAR(predictor.visual_position().x, before.x, 0.2f) << "snaps";
    }
}

TEST(Predictor, ANudgeStopsAtAWallAndNeedsAState) {
    Server server;
    client::Predictor empty(server.world.map, server.rules, kSelf, {});
    EXPECT_EQ(empty.nudge({40, 0}), 0.0f) << "nothing predicted yet";
    client::Predictor predictor = make_predictor(server);
    // Far further than the open map is wide: it stops inside the arena.
    const float moved = predictor.nudge({100000, 0});
    EXPECT_GT(moved, 0.0f);
    EXPECT_LE(predictor.predicted()->position.x, server.world.map->width - server.rules.player_radius + 0.2f);
}
