// Snapshots decode back to exactly the server's quantised state, full and
// delta, with entities changing, appearing and disappearing.
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/protocol/bitstream.hpp"
#include "shared/sim/hash.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/step.hpp"
#include "shared/util/rng.hpp"

#include "schemas/game_generated.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>

using namespace skirmish;
using namespace skirmish::protocol;
using sim::PlayerId;

namespace {

std::shared_ptr<const sim::Map> test_map() {
    auto map = std::make_shared<sim::Map>();
    map->name = "t";
    map->width = 1600;
    map->height = 960;
    map->walls = {{700, 400, 100, 100}, {200, 200, 300, 20}};
    for (int i = 0; i < 16; ++i) map->spawns.push_back({100.0f + 90.0f * static_cast<float>(i), i % 2 ? 100.0f : 860.0f});
    return map;
}

// A match of random players, stepping; snapshots kept by tick like a client does.
struct Match {
    sim::Rules rules;
    sim::World world = sim::make_world(test_map());
    sim::PositionHistory history;
    util::Rng rng{77};

    Match() {
        rules.frag_limit = 0;
        rules.time_limit_s = 0;
        for (std::uint32_t id : {3u, 9u, 10u, 11u, 40u, 1000u, 70000u, 4000000000u}) sim::add_player(world, PlayerId{id}, rules);
    }
    void advance(int ticks) {
        for (int t = 0; t < ticks; ++t) {
            std::vector<sim::PlayerInput> inputs;
            for (const auto& p : world.players) {
                sim::PlayerInput in{p.id};
                in.move_x = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
                in.move_y = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
                in.aim = static_cast<std::uint16_t>(rng.below(4096));
                in.buttons = static_cast<std::uint8_t>(rng.below(4));
                inputs.push_back(in);
            }
            sim::step(world, inputs, rules, &history);
        }
    }
};

DecodedSnapshot round_trip(const SnapshotState& now, const SnapshotState* baseline, int rate,
                           std::size_t* size = nullptr) {
    SnapshotHeader header;
    header.server_tick = now.tick;
    header.baseline_tick = baseline ? baseline->tick : 0;
    header.last_input_tick = now.tick > 3 ? now.tick - 3 : 0;
    header.input_lead = -2;
    header.inputs_held_through = now.tick + 1;
    const auto bytes = encode_snapshot(header, now, baseline, rate);
    if (size) *size = bytes.size();
    auto decoded = decode_snapshot(
        bytes, [&](sim::Tick t) { return baseline && baseline->tick == t ? baseline : nullptr; }, rate);
    EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : name(decoded.error()));
    if (!decoded) return {};
    EXPECT_EQ(decoded->header.server_tick, header.server_tick);
    EXPECT_EQ(decoded->header.baseline_tick, header.baseline_tick);
    EXPECT_EQ(decoded->header.last_input_tick, header.last_input_tick);
    EXPECT_EQ(decoded->header.input_lead, header.input_lead);
    EXPECT_EQ(decoded->header.inputs_held_through, header.inputs_held_through);
    return std::move(decoded).value();
}

} // namespace

TEST(SnapshotCodec, FullSnapshotDecodesToExactlyTheServerState) {
    Match m;
    m.advance(30);
    const SnapshotState now = capture_snapshot(m.world);
    EXPECT_EQ(round_trip(now, nullptr, m.rules.tick_rate_hz).state, now);
}

TEST(SnapshotCodec, DeltasDecodeExactlyOverAThousandTicksAtSeveralRates) {
    for (int rate : {10, 30, 60, 128}) {
        Match m;
        m.rules.tick_rate_hz = rate;
        std::map<sim::Tick, SnapshotState> client; // what the client has decoded
        m.advance(1);
        client[m.world.tick] = round_trip(capture_snapshot(m.world), nullptr, rate).state;
        sim::Tick acked = m.world.tick;
        for (int i = 0; i < 500; ++i) {
            m.advance(1 + static_cast<int>(m.rng.below(3)));
            if (i == 200) sim::remove_player(m.world, PlayerId{10});
            if (i == 300) sim::add_player(m.world, PlayerId{12}, m.rules);
            if (i == 301) sim::add_player(m.world, PlayerId{2}, m.rules);
            const SnapshotState now = capture_snapshot(m.world);
            const SnapshotState decoded = round_trip(now, &client.at(acked), rate).state;
            ASSERT_EQ(decoded, now) << "rate " << rate << " step " << i;
            client[now.tick] = decoded;
            // Sometimes the ack lags (the baseline is several snapshots old).
            if (m.rng.chance(0.7)) acked = now.tick;
        }
    }
}

TEST(SnapshotCodec, AnIdleWorldCostsAlmostNothing) {
    Match m;
    m.advance(10);
    for (auto& p : m.world.players) p.velocity = {};
    const SnapshotState before = capture_snapshot(m.world);
    SnapshotState after = before;
    after.tick += 2;
    std::size_t delta_size = 0, full_size = 0;
    EXPECT_EQ(round_trip(after, &before, 60, &delta_size).state, after);
    round_trip(after, nullptr, 60, &full_size);
    EXPECT_LT(delta_size, full_size / 4);
    EXPECT_LE(delta_size, 40u); // the FlatBuffer envelope and header only
}

TEST(SnapshotCodec, RunningStraightCostsNoPositionBits) {
    Match m;
    m.advance(10);
    SnapshotState before = capture_snapshot(m.world);
    for (auto& p : before.players) p.velocity = {280, -140};
    SnapshotState after = before;
    after.tick += 2;
    for (auto& p : after.players) {
        p.position.x += 280.0f * 2 / 60;  // exactly what the baseline's velocity predicts, on the grid
        p.position.y += -140.0f * 2 / 60;
        p.position = {sim::quantise(p.position.x, sim::kPositionScale), sim::quantise(p.position.y, sim::kPositionScale)};
    }
    const auto stream = encode_entity_stream(after, &before, 60);
    EXPECT_EQ(round_trip(after, &before, 60).state, after);
    EXPECT_EQ(stream.bits, 3u); // phase bit, "nothing touched", "nothing new"
}

TEST(SnapshotCodec, DeltaAgainstABaselineTheClientDoesNotHoldIsRejected) {
    Match m;
    m.advance(5);
    const SnapshotState base = capture_snapshot(m.world);
    m.advance(2);
    const SnapshotState now = capture_snapshot(m.world);
    const auto bytes = encode_snapshot({now.tick, base.tick, now.tick, 0}, now, &base, 60);
    auto decoded = decode_snapshot(bytes, [](sim::Tick) { return nullptr; }, 60);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error(), DecodeError::UnknownBaseline);
}

TEST(SnapshotCodec, PeekReadsTheHeaderOnly) {
    Match m;
    m.advance(3);
    const SnapshotState now = capture_snapshot(m.world);
    const auto bytes = encode_snapshot({now.tick, 0, 2, 5}, now, nullptr, 60);
    auto header = peek_snapshot_header(bytes);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->server_tick, now.tick);
    EXPECT_EQ(header->baseline_tick, 0u);
    EXPECT_EQ(header->last_input_tick, 2u);
    EXPECT_EQ(header->input_lead, 5);
}

TEST(SnapshotCodec, MatchOverPhaseTravels) {
    Match m;
    m.world.phase = sim::MatchPhase::Over;
    const SnapshotState now = capture_snapshot(m.world);
    EXPECT_EQ(round_trip(now, nullptr, 60).state.phase, sim::MatchPhase::Over);
}

// A player who joins a match that has run for minutes has had no input
// applied yet (last_input_tick 0) while the server holds its inputs through
// about server_tick: the header must still decode (it once did not after
// 1,024 ticks, and a late joiner saw an empty arena).
TEST(SnapshotCodec, HeaderOfALateJoinerWithNoInputAppliedDecodes) {
    protocol::SnapshotState state;
    for (const sim::Tick tick : {sim::Tick{1'100}, sim::Tick{60 * 60 * 30}, sim::Tick{4'000'000'000u}}) {
        state.tick = tick;
        SnapshotHeader header{tick, 0, 0, 0, tick - 1};
        auto back = peek_snapshot_header(encode_snapshot(header, state, nullptr, 60));
        ASSERT_TRUE(back.has_value()) << "tick " << tick << ": " << name(back.error());
        EXPECT_EQ(back->last_input_tick, 0u);
        EXPECT_EQ(back->inputs_held_through, tick - 1);
        // Inputs held ahead of the simulation (the buffer window) travel too.
        header.inputs_held_through = tick + 60;
        back = peek_snapshot_header(encode_snapshot(header, state, nullptr, 60));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(back->inputs_held_through, tick + 60);
    }
}

// Near tick 2^32 the held tick is computed without wrapping, and is never
// reported below last_input_tick.
TEST(SnapshotCodec, InputsHeldThroughNeverWrapsNorFallsBelowTheLastInput) {
    protocol::SnapshotState state;
    const sim::Tick top = std::numeric_limits<sim::Tick>::max();
    state.tick = top - 10;
    auto back = peek_snapshot_header(encode_snapshot({top - 10, 0, top - 12, 0, top - 2}, state, nullptr, 60));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->inputs_held_through, top - 2);
    // The last tick there is.
    back = peek_snapshot_header(encode_snapshot({top - 10, 0, top - 12, 0, top}, state, nullptr, 60));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->inputs_held_through, top);
    // A server that says it holds less than it applied is read as holding what it applied.
    back = peek_snapshot_header(encode_snapshot({5000, 0, 4990, 0, 4000}, state, nullptr, 60));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->inputs_held_through, 4990u);
}

// A header whose last_input_tick lies far ahead of server_tick makes
// inputs_held_through (at least last_input_tick) too far from server_tick for
// the encoder to write back. The decoder refuses it rather than take a header
// its own encoder cannot reproduce (found by tests/fuzz/snapshot's round trip).
TEST(SnapshotCodec, AHeaderIsTakenOnlyIfTheEncoderCanWriteItBack) {
    const auto datagram = [](std::int64_t last_input_ahead, std::int64_t held_delta) {
        std::vector<std::uint8_t> payload;
        protocol::BitWriter w(payload);
        w.write_golomb(0, protocol::kSnapshotHeaderGolombK);                  // full snapshot
        w.write_signed_golomb(-last_input_ahead, protocol::kSnapshotHeaderGolombK); // server_tick - last_input_tick
        w.write_signed_golomb(0, protocol::kSnapshotHeaderGolombK);           // input lead
        w.write_signed_golomb(held_delta, protocol::kSnapshotHeaderGolombK);  // held - server_tick
        w.write_bits(0, 1);                                                   // running
        w.write_golomb(0, protocol::kSnapshotCountGolombK);                   // no touched entities
        w.write_golomb(0, protocol::kSnapshotCountGolombK);                   // no new ones
        w.finish();
        std::vector<std::uint8_t> frame = {'S', 100, 0, 0, 0}; // kind, server_tick 100
        frame.insert(frame.end(), payload.begin(), payload.end());
        return frame;
    };
    const auto limit = protocol::kMaxHeldDistanceTicks;
    for (const std::int64_t ahead : {std::int64_t{0}, std::int64_t{10}, limit, limit + 1, std::int64_t{5000}}) {
        auto first = peek_snapshot_header(datagram(ahead, 0));
        if (!first) {
            EXPECT_GT(ahead, limit) << "refused a header the encoder can write";
            continue;
        }
        EXPECT_LE(ahead, limit) << "took a header the encoder cannot write back";
        protocol::SnapshotState state;
        state.tick = 100;
        auto again = peek_snapshot_header(encode_snapshot(*first, state, nullptr, 60));
        ASSERT_TRUE(again.has_value()) << "ahead " << ahead << ": " << name(again.error());
        EXPECT_EQ(again->inputs_held_through, first->inputs_held_through);
        EXPECT_EQ(again->last_input_tick, first->last_input_tick);
    }
}
