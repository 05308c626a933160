// Golden byte vectors (tests/data/*.hex, described in tests/data/README.md):
// what our encoders produce for fixed inputs, byte for byte, and that they
// decode back. A client in another language decodes these to check itself.
// SKIRMISH_WRITE_GOLDEN=1 rewrites them (only when the format changes on purpose).
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/protocol/version.hpp"
#include "shared/sim/quantise.hpp"
#include "support/golden.hpp"

#include <gtest/gtest.h>

using namespace skirmish;

namespace {

using test::check_golden;

sim::Player player(std::uint32_t id, float x, float y, float vx, float vy, std::uint16_t aim, std::int16_t health) {
    sim::Player p;
    p.id = sim::PlayerId{id};
    p.position = {x, y};
    p.velocity = {vx, vy};
    p.aim = aim;
    p.health = health;
    p.alive = health > 0;
    return p;
}

// Tick 100: three players (ids 3, 7, 12). Tick 102: 3 ran on at its
// velocity (predicted: costs nothing), 7 turned and fired, 12 left, 20 joined.
protocol::SnapshotState state_100() {
    protocol::SnapshotState s;
    s.tick = 100;
    s.players = {player(3, 100.0f, 200.0f, 280.0f, 0.0f, 0, 100), player(7, 800.5f, 400.25f, 0.0f, -140.0f, 1024, 75),
                 player(12, 50.0f, 50.0f, 0.0f, 0.0f, 2048, 100)};
    return s;
}

protocol::SnapshotState state_102() {
    protocol::SnapshotState s = state_100();
    s.tick = 102;
    s.players[0].position.x = 100.0f + 280.0f * 2.0f / 60.0f;
    s.players[0].position.x = sim::quantise(s.players[0].position.x, sim::kPositionScale);
    s.players[1].aim = 1100;
    s.players[1].velocity = {35.5f, -120.25f};
    s.players[1].position = {801.0f, 395.625f};
    s.players[1].next_fire_tick = 113;
    s.players.erase(s.players.begin() + 2);
    s.players.push_back(player(20, 1500.0f, 900.0f, 0.0f, 0.0f, 3000, 100));
    return s;
}

} // namespace

TEST(GoldenVectors, FullSnapshot) {
    const auto bytes = protocol::encode_snapshot({100, 0, 99, 2, 101}, state_100(), nullptr, 60);
    check_golden("snapshot_full_tick100.hex", bytes);
    auto back = protocol::decode_snapshot(bytes, nullptr, 60);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->state, state_100());
}

TEST(GoldenVectors, DeltaSnapshot) {
    const protocol::SnapshotState base = state_100();
    const auto bytes = protocol::encode_snapshot({102, 100, 101, 3, 104}, state_102(), &base, 60);
    check_golden("snapshot_delta_tick102.hex", bytes);
    auto back = protocol::decode_snapshot(bytes, [&](sim::Tick t) { return t == 100 ? &base : nullptr; }, 60);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->state, state_102());
    EXPECT_EQ(back->header.baseline_tick, 100u);
    EXPECT_EQ(back->header.last_input_tick, 101u);
    EXPECT_EQ(back->header.input_lead, 3);
    EXPECT_EQ(back->header.inputs_held_through, 104u);
}

TEST(GoldenVectors, InputPacket) {
    protocol::InputPacket packet;
    packet.ack_snapshot_tick = 98;
    for (sim::Tick t = 104; t > 101; --t) {
        protocol::TickInput in;
        in.tick = t;
        in.input.move_x = 127;
        in.input.move_y = static_cast<std::int8_t>(-64);
        in.input.aim = 1024;
        in.input.buttons = t == 104 ? 1 : 0;
        in.input.view_tick = 96;
        in.input.view_fraction = 128;
        packet.inputs.push_back(in);
    }
    const auto bytes = protocol::encode_input_packet(packet);
    check_golden("input_packet.hex", bytes);
    EXPECT_EQ(protocol::decode_input_packet(bytes).value(), packet);
}

TEST(GoldenVectors, Connect) {
    std::vector<std::uint8_t> token(94);
    for (std::size_t i = 0; i < token.size(); ++i) token[i] = static_cast<std::uint8_t>(i);
    const protocol::ClientControl message = protocol::ConnectRequest{protocol::kProtocolVersion, token};
    const auto bytes = protocol::encode_control(message);
    check_golden("connect.hex", bytes);
    EXPECT_EQ(protocol::decode_client_control(bytes).value(), message);
}
