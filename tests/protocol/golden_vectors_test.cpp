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

// --- every control message (channel 1, one Envelope each) -----------------------

namespace {

protocol::Accepted accepted() {
    protocol::Accepted m;
    m.player_id = 7;
    m.match_id = 3;
    m.server_tick = 1234;
    m.tick_rate_hz = 60;
    m.snapshot_rate_hz = 30;
    m.settings = {"duel", 4, 10, 120, true};
    m.map.name = "duel";
    m.map.width = 512;
    m.map.height = 384;
    m.map.walls = {{240.0f, 96.0f, 32.0f, 192.0f}};
    m.map.spawns = {{64.0f, 192.0f}, {448.0f, 192.0f}};
    return m;
}

protocol::MatchResults results() {
    protocol::MatchResults r;
    r.match_id = 3;
    r.room_id = 5;
    r.reason = protocol::MatchEndReason::TimeLimit;
    r.duration_s = 300.0f;
    r.scores = {{7, "alice", 12, 3}, {12, "bob", 3, 12}};
    return r;
}

protocol::ServerStats server_stats() {
    protocol::ServerStats s;
    s.tick_rate_hz = 60;
    s.tick_ms_p50 = 0.25f;
    s.tick_ms_p99 = 0.75f;
    s.tick_ms_max = 1.5f;
    s.overruns = 2;
    s.players = 9;
    s.matches = 2;
    s.run_tick_ms_p50 = 0.25f;
    s.run_tick_ms_p99 = 1.0f;
    s.run_tick_ms_max = 4.5f;
    s.run_ticks = 123456;
    s.pings = {{7, 48}, {12, 130}};
    s.inputs = {.applied = 17940, .repeated = 3, .before_first = 12, .late = 2, .too_early = 1, .redundant = 5210};
    return s;
}

} // namespace

TEST(GoldenVectors, EveryServerControlMessage) {
    const std::vector<std::pair<std::string, protocol::ServerControl>> messages = {
        {"control_accepted.hex", accepted()},
        {"control_rejected.hex",
         protocol::Rejected{protocol::RejectReason::TokenExpired, "your connect token expired: join the room again"}},
        {"control_player_joined.hex", protocol::PlayerJoined{12, "bob"}},
        {"control_player_left.hex", protocol::PlayerLeft{12, protocol::LeaveReason::TimedOut}},
        {"control_kill.hex", protocol::KillFeed{2000, 7, 12}},
        {"control_match_over.hex", protocol::MatchOver{18000, results()}},
        {"control_server_stats.hex", server_stats()},
        {"control_server_shutdown.hex", protocol::ServerShutdown{"the server is restarting: reconnect in a minute"}},
        {"control_shot_judged.hex", protocol::ShotJudged{2000, 7, {412.5f, 96.25f}, 9, true}},
    };
    // One vector per message kind of the union, none left out.
    ASSERT_EQ(messages.size(), std::variant_size_v<protocol::ServerControl>);
    for (std::size_t i = 0; i < messages.size(); ++i) EXPECT_EQ(messages[i].second.index(), i) << messages[i].first;
    const float radius = sim::Rules{}.player_radius;
    for (const auto& [file, message] : messages) {
        const auto bytes = protocol::encode_control(message);
        check_golden(file, bytes);
        auto back = protocol::decode_server_control(bytes, radius);
        ASSERT_TRUE(back.has_value()) << file;
        EXPECT_EQ(back.value(), message) << file;
    }
}

TEST(GoldenVectors, EveryClientControlMessage) {
    // connect.hex (above) holds Connect; Leave is the other one.
    const protocol::ClientControl leave = protocol::LeaveRequest{};
    const auto bytes = protocol::encode_control(leave);
    check_golden("control_leave.hex", bytes);
    EXPECT_EQ(protocol::decode_client_control(bytes).value(), leave);
}
