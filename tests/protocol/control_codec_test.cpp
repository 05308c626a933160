#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/text_rules.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace skirmish;
using namespace skirmish::protocol;

namespace {

sim::Map small_map() {
    sim::Map m;
    m.name = "small";
    m.width = 512;
    m.height = 512;
    m.walls = {{100, 100, 50, 50}};
    m.spawns = {{30, 30}, {480, 480}};
    return m;
}

void expect_round_trip(const ServerControl& message) {
    auto back = decode_server_control(encode_control(message), 14.0f);
    ASSERT_TRUE(back.has_value()) << name(back.error());
    EXPECT_EQ(*back, message);
}

} // namespace

TEST(ControlCodec, EveryServerMessageRoundTrips) {
    Accepted accepted;
    accepted.player_id = 7;
    accepted.match_id = 3;
    accepted.server_tick = 999;
    accepted.tick_rate_hz = 60;
    accepted.snapshot_rate_hz = 30;
    accepted.settings.map = "small";
    accepted.settings.frag_limit = 5;
    accepted.map = small_map();
    expect_round_trip(accepted);
    expect_round_trip(Rejected{RejectReason::TokenReused, "that token was already used"});
    expect_round_trip(PlayerJoined{5, "bot-5"});
    expect_round_trip(PlayerLeft{5, LeaveReason::TimedOut});
    expect_round_trip(KillFeed{100, 1, 2});
    MatchResults results;
    results.match_id = 3;
    results.room_id = 1;
    results.reason = MatchEndReason::TimeLimit;
    results.duration_s = 300;
    results.scores = {{1, "a", 10, 2}, {2, "b", 3, 9}};
    expect_round_trip(MatchOver{5000, results});
    expect_round_trip(ServerStats{60, 0.1f, 0.4f, 1.5f, 2, 256, 32, 0.12f, 0.5f, 2.5f, 3600, {{7, 42}, {9, 65535}},
                                  InputFigures{4000000000u, 1, 30, 2, 3, 4294967295u}});
    expect_round_trip(ServerShutdown{"server is shutting down"});
}

TEST(ControlCodec, ClientMessagesRoundTrip) {
    const ClientControl connect = ConnectRequest{1, {1, 2, 3}};
    auto back = decode_client_control(encode_control(connect));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, connect);
    auto leave = decode_client_control(encode_control(ClientControl{LeaveRequest{}}));
    ASSERT_TRUE(leave.has_value());
    EXPECT_TRUE(std::holds_alternative<LeaveRequest>(*leave));
}

TEST(ControlCodec, EachSideRejectsTheOthersMessages) {
    EXPECT_EQ(decode_client_control(encode_control(ServerControl{KillFeed{1, 2, 3}})).error(),
              DecodeError::UnknownMessage);
    EXPECT_EQ(decode_server_control(encode_control(ClientControl{LeaveRequest{}}), 14.0f).error(),
              DecodeError::UnknownMessage);
}

TEST(ControlCodec, RejectsAnEmptyOrHugeToken) {
    EXPECT_EQ(decode_client_control(encode_control(ClientControl{ConnectRequest{1, {}}})).error(), DecodeError::BadField);
    EXPECT_EQ(decode_client_control(encode_control(ClientControl{ConnectRequest{1, std::vector<std::uint8_t>(1000, 1)}}))
                  .error(),
              DecodeError::BadField);
}

TEST(ControlCodec, RejectsAnAcceptedWithABrokenMap) {
    Accepted accepted;
    accepted.tick_rate_hz = 60;
    accepted.snapshot_rate_hz = 30;
    accepted.map = small_map();
    accepted.map.spawns.clear();
    EXPECT_EQ(decode_server_control(encode_control(ServerControl{accepted}), 14.0f).error(), DecodeError::BadField);
    accepted.map = small_map();
    accepted.tick_rate_hz = 500;
    EXPECT_EQ(decode_server_control(encode_control(ServerControl{accepted}), 14.0f).error(), DecodeError::BadField);
}

TEST(ControlCodec, AcceptsTickRatesExactlyWithinTheSimsBounds) {
    Accepted accepted;
    accepted.map = small_map();
    accepted.snapshot_rate_hz = 1;
    for (const int rate : {sim::kMinTickRateHz, sim::kMaxTickRateHz}) {
        accepted.tick_rate_hz = static_cast<std::uint16_t>(rate);
        EXPECT_TRUE(decode_server_control(encode_control(ServerControl{accepted}), 14.0f).has_value()) << rate;
    }
    for (const int rate : {sim::kMinTickRateHz - 1, sim::kMaxTickRateHz + 1}) {
        accepted.tick_rate_hz = static_cast<std::uint16_t>(rate);
        EXPECT_EQ(decode_server_control(encode_control(ServerControl{accepted}), 14.0f).error(), DecodeError::BadField)
            << rate;
    }
}

TEST(ControlCodec, PlayerJoinedNamesFollowThePlayerNameRule) {
    // kPlayerNameText is the one name rule: the lobby refuses these names in
    // Hello, and a client refuses them from the game port too.
    const auto hello_takes = [](const std::string& name) {
        return protocol::lobby::decode_client_message(protocol::lobby::encode_client_message(protocol::lobby::Hello{kProtocolVersion, name})).has_value();
    };
    for (const std::string& bad : {std::string(), std::string("   "), std::string("tab\there"),
                                   std::string("\xC3\x28"), std::string(kMaxNameBytes + 1, 'x')}) {
        ASSERT_FALSE(is_valid_text(bad, kPlayerNameText)) << bad;
        EXPECT_FALSE(hello_takes(bad)) << bad;
        EXPECT_EQ(decode_server_control(encode_control(PlayerJoined{5, bad}), 14.0f).error(), DecodeError::BadField)
            << bad;
    }
    for (const std::string& good : {std::string("bot-5"), std::string("Zoë"), std::string(kMaxNameBytes, 'x')}) {
        ASSERT_TRUE(is_valid_text(good, kPlayerNameText)) << good;
        EXPECT_TRUE(hello_takes(good)) << good;
        expect_round_trip(PlayerJoined{5, good});
    }
}

TEST(ControlCodec, ServerStatsCarryAtMostSixtyFourPings) {
    ServerStats stats;
    for (std::uint32_t i = 1; i <= 100; ++i) stats.pings.push_back({i, static_cast<std::uint16_t>(i * 3)});
    auto back = decode_server_control(encode_control(ServerControl{stats}), 14.0f);
    ASSERT_TRUE(back.has_value());
    const auto& decoded = std::get<ServerStats>(*back);
    ASSERT_EQ(decoded.pings.size(), kMaxPings);
    EXPECT_EQ(decoded.pings.back().player_id, 64u);
    EXPECT_EQ(decoded.pings.back().ping_ms, 192);
}

TEST(ControlCodec, ServerStatsWithoutInputCountsStillDecode) {
    // A ServerStats as protocol 4 sent it before the input counts were added at
    // the end of its table (the golden vector of then): it decodes, the counts 0.
    const std::vector<std::uint8_t> before = {
        0x10, 0x00, 0x00, 0x00, 0x53, 0x4b, 0x47, 0x4d, 0x08, 0x00, 0x0c, 0x00, 0x07, 0x00, 0x08, 0x00, 0x08, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x20, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x3c, 0x00, 0x06, 0x00, 0x08, 0x00,
        0x0c, 0x00, 0x10, 0x00, 0x14, 0x00, 0x18, 0x00, 0x1c, 0x00, 0x20, 0x00, 0x24, 0x00, 0x28, 0x00, 0x30, 0x00,
        0x2c, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x80, 0x3e, 0x00, 0x00, 0x40, 0x3f,
        0x00, 0x00, 0xc0, 0x3f, 0x02, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0x3e, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x90, 0x40, 0x10, 0x00, 0x00, 0x00, 0x40, 0xe2, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x30, 0x00,
        0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x82, 0x00, 0x00, 0x00};
    auto back = decode_server_control(before, 14.0f);
    ASSERT_TRUE(back.has_value()) << name(back.error());
    const auto& stats = std::get<ServerStats>(*back);
    EXPECT_EQ(stats.run_ticks, 123456u);
    ASSERT_EQ(stats.pings.size(), 2u);
    EXPECT_EQ(stats.pings[1].ping_ms, 130);
    EXPECT_EQ(stats.inputs, InputFigures{});
}

TEST(ControlCodec, ShotJudgedRoundTripsAndRefusesWhatCannotBeDrawn) {
    expect_round_trip(ShotJudged{2000, 7, {412.5f, 96.25f}, 9, true});
    expect_round_trip(ShotJudged{1, 2, {-kMaxJudgedCoordinate, kMaxJudgedCoordinate}, kMaxJudgedRewindTicks, false});
    const auto refused = [](ShotJudged m) {
        auto r = decode_server_control(encode_control(m), 14.0f);
        return !r.has_value() && r.error() == DecodeError::BadField;
    };
    EXPECT_TRUE(refused({1, 2, {std::numeric_limits<float>::quiet_NaN(), 0}, 0, false}));
    EXPECT_TRUE(refused({1, 2, {0, std::numeric_limits<float>::infinity()}, 0, false}));
    EXPECT_TRUE(refused({1, 2, {kMaxJudgedCoordinate * 2, 0}, 0, false}));
    EXPECT_TRUE(refused({1, 2, {0, 0}, static_cast<std::uint16_t>(kMaxJudgedRewindTicks + 1), false}));
    // A client never sends it: the server refuses it as a client message.
    EXPECT_FALSE(decode_client_control(encode_control(ShotJudged{1, 2, {0, 0}, 0, false})).has_value());
}
