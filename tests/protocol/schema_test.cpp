// The schemas round-trip, carry their file identifiers, and agree with the
// protocol version constant that the rest of the code uses.
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
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

// Channel 0's two kinds are lean frames (docs/PROTOCOL.md, "Inputs" and
// "Snapshots"); the schema names them, and the codecs write exactly that byte.
TEST(Schema, GameFrameKindsAreTheBytesTheCodecsWrite) {
    EXPECT_EQ(static_cast<std::uint8_t>(game::FrameKind::InputPacket), 'I');
    EXPECT_EQ(static_cast<std::uint8_t>(game::FrameKind::Snapshot), 'S');
    const auto input = skirmish::protocol::encode_input_packet({});
    ASSERT_FALSE(input.empty());
    EXPECT_EQ(input[0], static_cast<std::uint8_t>(game::FrameKind::InputPacket));
    skirmish::protocol::SnapshotState state;
    state.tick = 7;
    const auto snapshot = skirmish::protocol::encode_snapshot({7, 0, 0, 0, 7}, state, nullptr, 60);
    ASSERT_FALSE(snapshot.empty());
    EXPECT_EQ(snapshot[0], static_cast<std::uint8_t>(game::FrameKind::Snapshot));
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
