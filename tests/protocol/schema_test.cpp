// The schemas round-trip, carry their file identifiers, and agree with the
// protocol version constant that the rest of the code uses.
#include "shared/protocol/version.hpp"

#include "schemas/game_generated.h"
#include "schemas/lobby_generated.h"
#include "schemas/map_generated.h"

#include <gtest/gtest.h>

namespace lobby = Skirmish::Lobby;
namespace game = Skirmish::Game;

TEST(Schema, ProtocolVersionConstantMatchesTheSchema) {
    EXPECT_EQ(skirmish::protocol::kProtocolVersion, static_cast<std::uint32_t>(Skirmish::ProtocolVersion::Current));
}

TEST(Schema, FileIdentifiers) {
    EXPECT_STREQ(lobby::EnvelopeIdentifier(), "SKLB");
    EXPECT_STREQ(game::EnvelopeIdentifier(), "SKGM");
    EXPECT_STREQ(Skirmish::Map::MapIdentifier(), "SKMP");
}

TEST(Schema, LobbyHelloRoundTrips) {
    flatbuffers::FlatBufferBuilder fbb;
    auto hello = lobby::CreateHelloDirect(fbb, skirmish::protocol::kProtocolVersion, "alice");
    lobby::FinishEnvelopeBuffer(fbb, lobby::CreateEnvelope(fbb, lobby::Message::Hello, hello.Union()));
    flatbuffers::Verifier verifier(fbb.GetBufferPointer(), fbb.GetSize());
    ASSERT_TRUE(lobby::VerifyEnvelopeBuffer(verifier));
    const auto* env = lobby::GetEnvelope(fbb.GetBufferPointer());
    ASSERT_EQ(env->message_type(), lobby::Message::Hello);
    EXPECT_EQ(env->message_as_Hello()->name()->str(), "alice");
    EXPECT_EQ(env->message_as_Hello()->protocol_version(), skirmish::protocol::kProtocolVersion);
}

TEST(Schema, LobbyMatchStartRoundTripsThroughTheObjectApi) {
    lobby::MatchStartT start;
    start.game_address = "127.0.0.1";
    start.port = 7777;
    start.connect_token = {1, 2, 3, 4, 5};
    start.match_id = 9;
    start.room_id = 3;
    start.settings = std::make_unique<Skirmish::MatchSettingsT>();
    start.settings->map = "arena";
    start.settings->frag_limit = 15;
    lobby::EnvelopeT env;
    env.message.Set(std::move(start));
    flatbuffers::FlatBufferBuilder fbb;
    lobby::FinishEnvelopeBuffer(fbb, lobby::Envelope::Pack(fbb, &env));
    flatbuffers::Verifier verifier(fbb.GetBufferPointer(), fbb.GetSize());
    ASSERT_TRUE(lobby::VerifyEnvelopeBuffer(verifier));
    auto back = lobby::UnPackEnvelope(fbb.GetBufferPointer());
    const auto* got = back->message.AsMatchStart();
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->port, 7777);
    EXPECT_EQ(got->connect_token, (std::vector<std::uint8_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(got->settings->map, "arena");
    EXPECT_EQ(got->settings->frag_limit, 15);
    EXPECT_EQ(got->settings->max_players, 8); // schema default
    EXPECT_TRUE(got->settings->join_in_progress);
}

TEST(Schema, GameInputPacketRoundTrips) {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<game::Input> inputs = {game::Input(101, 95, 1024, 127, -127, 3, 128), game::Input(100, 94, 1000, 0, 0, 0, 0)};
    fbb.Finish(game::CreateInputPacketDirect(fbb, 90, &inputs), "SKGI");
    flatbuffers::Verifier verifier(fbb.GetBufferPointer(), fbb.GetSize());
    ASSERT_TRUE(verifier.VerifyBuffer<game::InputPacket>("SKGI"));
    const auto* packet = flatbuffers::GetRoot<game::InputPacket>(fbb.GetBufferPointer());
    EXPECT_EQ(packet->ack_snapshot_tick(), 90u);
    ASSERT_EQ(packet->inputs()->size(), 2u);
    EXPECT_EQ(packet->inputs()->Get(0)->tick(), 101u);
    EXPECT_EQ(packet->inputs()->Get(0)->move_y(), -127);
    EXPECT_EQ(packet->inputs()->Get(0)->view_fraction(), 128);
}

TEST(Schema, GameEnvelopeRoundTripsEveryControlMessage) {
    const auto round_trip = [](auto build, game::Message expected) {
        flatbuffers::FlatBufferBuilder fbb;
        auto offset = build(fbb);
        game::FinishEnvelopeBuffer(fbb, game::CreateEnvelope(fbb, expected, offset.Union()));
        flatbuffers::Verifier verifier(fbb.GetBufferPointer(), fbb.GetSize());
        EXPECT_TRUE(game::VerifyEnvelopeBuffer(verifier));
        EXPECT_EQ(game::GetEnvelope(fbb.GetBufferPointer())->message_type(), expected);
    };
    round_trip([](auto& b) { return game::CreateKill(b, 5, 1, 2); }, game::Message::Kill);
    round_trip([](auto& b) { return game::CreateServerStats(b, 60, 0.1f, 0.5f, 1.0f, 0, 8, 1); },
               game::Message::ServerStats);
    round_trip([](auto& b) { return game::CreateRejectedDirect(b, game::RejectReason::TokenExpired, "expired"); },
               game::Message::Rejected);
}

TEST(Schema, AWrongIdentifierFailsVerification) {
    flatbuffers::FlatBufferBuilder fbb;
    auto hello = lobby::CreateHelloDirect(fbb, 1, "bob");
    lobby::FinishEnvelopeBuffer(fbb, lobby::CreateEnvelope(fbb, lobby::Message::Hello, hello.Union()));
    flatbuffers::Verifier verifier(fbb.GetBufferPointer(), fbb.GetSize());
    EXPECT_FALSE(game::VerifyEnvelopeBuffer(verifier));
}
