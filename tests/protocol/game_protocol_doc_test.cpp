// docs/PROTOCOL.md's game-port tables (constants, field table) say what the
// code does: every row is compared with the code, in both directions.
#include "server/game/game_server.hpp"
#include "client/core/game_client.hpp"
#include "shared/net/challenge.hpp"
#include "shared/net/enet_datagram.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules.hpp"
#include "support/doc_tables.hpp"

#include "schemas/game_generated.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

using namespace skirmish;
using namespace skirmish::test;

namespace {

std::map<std::string, std::string> game_constants() {
    const server::GameConfig game;
    const net::HostConfig host;
    const client::ClientOptions client;
    const auto s = [](auto v) { return std::to_string(v); };
    const auto hex = [](Skirmish::Game::FrameKind kind) { return fmt::format("0x{:02X}", static_cast<unsigned>(kind)); };
    return {
        {"game.envelope_identifier", "SKGM"},
        {"game.input_frame_kind", hex(Skirmish::Game::FrameKind::InputPacket)},
        {"game.snapshot_frame_kind", hex(Skirmish::Game::FrameKind::Snapshot)},
        {"game.snapshot_frame_header_bytes", s(protocol::kSnapshotFrameHeaderBytes)},
        {"game.channels", s(net::kChannelCount)},
        {"game.unreliable_channel", s(net::kUnreliableChannel)},
        {"game.reliable_channel", s(net::kReliableChannel)},
        {"game.max_inputs_per_packet", s(protocol::kMaxInputsPerPacket)},
        {"game.max_input_packet_bytes", s(protocol::kMaxInputPacketBytes)},
        {"game.max_snapshot_bytes", s(protocol::kMaxSnapshotBytes)},
        {"game.max_snapshot_entities", s(protocol::kMaxSnapshotEntities)},
        {"game.max_baseline_age_ticks", s(protocol::kMaxBaselineAgeTicks)},
        {"game.snapshot_history_ticks", s(server::Match::kSnapshotRing)},
        {"game.max_input_lead_ticks", s(protocol::kMaxInputLeadTicks)},
        {"game.max_held_distance_ticks", s(protocol::kMaxHeldDistanceTicks)},
        {"game.max_control_bytes", s(protocol::kMaxControlBytes)},
        {"game.max_token_bytes", s(protocol::kMaxTokenBytes)},
        {"game.max_control_text_bytes", s(protocol::kMaxControlTextBytes)},
        {"game.control_verifier_max_depth", s(protocol::kControlVerifierMaxDepth)},
        {"game.control_verifier_max_tables", s(protocol::kControlVerifierMaxTables)},
        {"game.input_ack_golomb_k", s(protocol::kInputAckGolombK)},
        {"game.input_view_golomb_k", s(protocol::kInputViewGolombK)},
        {"game.input_gap_golomb_k", s(protocol::kInputGapGolombK)},
        {"game.input_view_change_golomb_k", s(protocol::kInputViewChangeGolombK)},
        {"game.input_aim_golomb_k", s(protocol::kInputAimGolombK)},
        {"game.header_golomb_k", s(protocol::kSnapshotHeaderGolombK)},
        {"game.count_golomb_k", s(protocol::kSnapshotCountGolombK)},
        {"game.skip_golomb_k", s(protocol::kSnapshotSkipGolombK)},
        {"game.id_golomb_k", s(protocol::kSnapshotIdGolombK)},
        {"game.field_count_golomb_k", s(protocol::kSnapshotFieldCountGolombK)},
        {"game.position_scale", s(static_cast<int>(sim::kPositionScale))},
        {"game.velocity_scale", s(static_cast<int>(sim::kVelocityScale))},
        {"game.aim_steps", s(sim::kAimSteps)},
        {"game.min_tick_rate_hz", s(sim::kMinTickRateHz)},
        {"game.max_tick_rate_hz", s(sim::kMaxTickRateHz)},
        {"game.default_tick_rate_hz", s(game.tick_rate_hz)},
        {"game.default_snapshot_rate_hz", s(game.snapshot_rate_hz)},
        {"game.token_deadline_ms", s(game.token_deadline.count())},
        {"game.default_max_rewind_ms", s(game.max_rewind_ms)},
        {"game.max_interp_ms", s(game.max_interp_ms)},
        {"game.input_window_ticks", s(64)}, // InputBuffer's default window, checked below
        {"game.max_input_packets_per_tick", s(game.max_input_packets_per_tick)},
        {"game.silence_timeout_ms", s(net::kDefaultSilenceTimeoutMs)},
        {"game.reliable_timeout_ms", s(net::kDefaultReliableTimeoutMs)},
        {"game.client_ping_interval_ms", s(client.ping_interval.count())},
        {"game.match_linger_ms", s(game.match_linger.count())},
        {"game.admission_magic", fmt::format("{:02X}{:02X}{:02X}{:02X}", net::kAdmissionMagic[0],
                                             net::kAdmissionMagic[1], net::kAdmissionMagic[2], net::kAdmissionMagic[3])},
        {"game.hello_type", s(net::kHelloType)},
        {"game.challenge_type", s(net::kChallengeType)},
        {"game.hello_bytes", s(net::kHelloBytes)},
        {"game.challenge_bytes", s(net::kChallengeBytes)},
        {"game.client_nonce_bytes", s(net::kClientNonceBytes)},
        {"game.session_key_bytes", s(net::kSessionKeyBytes)},
        {"game.hello_interval_ms", s(host.hello_interval.count())},
        {"game.cookie_epoch_s", s(game.admission.epoch.count())},
        {"game.default_challenges_per_address_burst", s(static_cast<int>(game.admission.challenges_per_address_burst))},
        {"game.default_challenges_per_address_per_second",
         s(static_cast<int>(game.admission.challenges_per_address_per_second))},
        {"game.default_challenges_burst", s(static_cast<int>(game.admission.challenges_burst))},
        {"game.default_challenges_per_second", s(static_cast<int>(game.admission.challenges_per_second))},
        {"game.max_commands_per_datagram", s(net::kMaxCommandsPerDatagram)},
        {"game.max_reliable_ahead", s(net::kMaxReliableAhead)},
        {"game.min_fragment_bytes", s(net::kMinFragmentBytes)},
        {"game.pinned_throttle_interval_ms", s(net::kPinnedThrottleInterval)},
    };
}

} // namespace

TEST(GameProtocolDoc, ConstantsTableMatchesTheCode) {
    const std::string doc = read_protocol_doc();
    std::map<std::string, std::string> documented;
    for (const auto& line :
         lines_between(doc, "<!-- skirmish-game-constants: begin -->", "<!-- skirmish-game-constants: end -->")) {
        const auto row = cells(line);
        if (row.size() >= 2 && row[0].starts_with("game.")) documented[row[0]] = row[1];
    }
    const auto code = game_constants();
    for (const auto& [name, value] : code) {
        auto it = documented.find(name);
        if (it == documented.end()) ADD_FAILURE() << name << " = " << value << " is missing from docs/PROTOCOL.md";
        else EXPECT_EQ(it->second, value) << name;
    }
    for (const auto& [name, value] : documented)
        EXPECT_TRUE(code.count(name)) << name << " is documented but not checked by this test";
}

TEST(GameProtocolDoc, TheServerTheClientAndTheHostStartFromOnePeerTimeout) {
    const server::GameConfig game;
    const net::HostConfig host;
    const client::ClientOptions client;
    for (const auto& [silence_ms, reliable_ms] : {std::pair{game.silence_timeout_ms, game.reliable_timeout_ms},
                                                  std::pair{host.silence_timeout_ms, host.reliable_timeout_ms},
                                                  std::pair{client.silence_timeout_ms, client.reliable_timeout_ms}}) {
        EXPECT_EQ(silence_ms, net::kDefaultSilenceTimeoutMs);
        EXPECT_EQ(reliable_ms, net::kDefaultReliableTimeoutMs);
    }
}

TEST(GameProtocolDoc, InputWindowIsTheDocumentedOne) {
    server::InputBuffer buffer;
    protocol::TickInput far;
    far.tick = 64;
    buffer.offer(far, 0);
    EXPECT_EQ(buffer.counters().too_early, 1u);
    far.tick = 63;
    buffer.offer(far, 0);
    EXPECT_EQ(buffer.counters().received, 1u);
}

TEST(GameProtocolDoc, FieldTableMatchesTheCodec) {
    const std::string doc = read_protocol_doc();
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : lines_between(doc, "<!-- skirmish-fields: begin -->", "<!-- skirmish-fields: end -->")) {
        const auto row = cells(line);
        if (row.size() == 6 && !row[0].empty() && std::isdigit(static_cast<unsigned char>(row[0][0]))) rows.push_back(row);
    }
    const auto fields = protocol::describe_fields();
    ASSERT_EQ(rows.size(), fields.size()) << "the field table in docs/PROTOCOL.md lists a different number of fields";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        EXPECT_EQ(rows[i][0], std::to_string(i));
        EXPECT_EQ(rows[i][1], fields[i].name) << "row " << i;
        EXPECT_EQ(rows[i][2], fields[i].coding) << fields[i].name;
        EXPECT_EQ(rows[i][3], std::to_string(fields[i].golomb_k)) << fields[i].name;
        EXPECT_EQ(rows[i][4], std::to_string(fields[i].min)) << fields[i].name;
        EXPECT_EQ(rows[i][5], std::to_string(fields[i].max)) << fields[i].name;
    }
}

TEST(GameProtocolDoc, ControlMessageTagsMatchTheSchema) {
    // The control table's tag column follows the union order in game.fbs.
    const std::string doc = read_protocol_doc();
    const auto lines = lines_between(doc, "### Control messages", "### Game port constants");
    std::map<std::string, int> tags;
    for (const auto& line : lines) {
        const auto row = cells(line);
        if (row.size() == 4 && !row[0].empty() && std::isdigit(static_cast<unsigned char>(row[0][0])))
            tags[row[1]] = std::stoi(row[0]);
    }
    EXPECT_EQ(tags.size(), static_cast<std::size_t>(Skirmish::Game::Message::MAX));
    for (int tag = 1; tag <= static_cast<int>(Skirmish::Game::Message::MAX); ++tag) {
        const std::string name = Skirmish::Game::EnumNameMessage(static_cast<Skirmish::Game::Message>(tag));
        EXPECT_EQ(tags[name], tag) << name;
    }
}
