// docs/PROTOCOL.md stays honest: its constants table, its message-tag and
// error-code tables and its byte example are compared with the code.
// Rows whose names start with protocol., lobby. or token. are checked here;
// other prefixes (game.) belong to the game port's own checks.
#include "server/lobby/lobby_config.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/lobby_framing.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/protocol/version.hpp"
#include "skirmish/version.hpp"

#include "schemas/lobby_generated.h"

#include "support/doc_tables.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace skirmish;
using namespace skirmish::test;
namespace pl = protocol::lobby;

namespace {

template <typename T>
std::string str(T value) {
    if constexpr (std::is_floating_point_v<T>) {
        std::ostringstream out;
        out << value;
        return out.str();
    } else {
        return std::to_string(value);
    }
}

std::map<std::string, std::string> code_constants() {
    const server::LobbyLimits limits;
    return {
        {"protocol.version", str(protocol::kProtocolVersion)},
        {"lobby.file_identifier", std::string(pl::kFileIdentifier)},
        {"lobby.frame_header_bytes", str(net::kLobbyFrameHeaderBytes)},
        {"lobby.max_frame_bytes", str(net::kMaxLobbyFrameBytes)},
        {"lobby.max_name_bytes", str(protocol::kMaxNameBytes)},
        {"lobby.max_room_name_bytes", str(protocol::kMaxRoomNameBytes)},
        {"lobby.max_map_name_bytes", str(pl::kMaxMapNameBytes)},
        {"lobby.max_chat_bytes", str(pl::kMaxChatBytes)},
        {"lobby.max_error_text_bytes", str(pl::kMaxErrorTextBytes)},
        {"lobby.max_server_name_bytes", str(pl::kMaxServerNameBytes)},
        {"lobby.max_address_bytes", str(pl::kMaxAddressBytes)},
        {"lobby.max_admin_password_bytes", str(pl::kMaxAdminPasswordBytes)},
        {"lobby.max_admin_command_bytes", str(pl::kMaxAdminCommandBytes)},
        {"lobby.max_admin_reply_bytes", str(pl::kMaxAdminReplyBytes)},
        {"lobby.max_password_bytes", str(pl::kMaxPasswordBytes)},
        {"lobby.reconnect_secret_bytes", str(pl::kReconnectSecretBytes)},
        {"lobby.max_motd_lines", str(pl::kMaxMotdLines)},
        {"lobby.max_motd_line_bytes", str(pl::kMaxMotdLineBytes)},
        {"lobby.max_maps", str(pl::kMaxMaps)},
        {"lobby.max_listed_rooms", str(pl::kMaxListedRooms)},
        {"lobby.max_stats_page", str(pl::kMaxStatsPage)},
        {"lobby.max_matches_page", str(pl::kMaxMatchesPage)},
        {"lobby.max_connect_token_bytes", str(pl::kMaxConnectTokenBytes)},
        {"lobby.min_room_players", str(protocol::kMinRoomPlayers)},
        {"lobby.max_room_players", str(protocol::kMaxRoomPlayers)},
        {"lobby.max_spectator_slots", str(protocol::kMaxSpectatorSlots)},
        {"lobby.max_room_members", str(protocol::kMaxRoomMembers)},
        {"lobby.min_frag_limit", str(protocol::kMinFragLimit)},
        {"lobby.max_frag_limit", str(protocol::kMaxFragLimit)},
        {"lobby.min_time_limit_s", str(protocol::kMinTimeLimitS)},
        {"lobby.max_time_limit_s", str(protocol::kMaxTimeLimitS)},
        {"lobby.verifier_max_depth", str(pl::kVerifierMaxDepth)},
        {"lobby.verifier_max_tables", str(pl::kVerifierMaxTables)},
        {"lobby.last_message_tag", str(static_cast<int>(Skirmish::Lobby::Message::MAX))},
        {"lobby.last_error_code", str(static_cast<int>(Skirmish::Lobby::ErrorCode::MAX))},
        {"lobby.default_handshake_timeout_ms", str(limits.handshake_timeout.count())},
        {"lobby.default_idle_timeout_ms", str(limits.idle_timeout.count())},
        {"lobby.default_frame_timeout_ms", str(limits.frame_timeout.count())},
        {"lobby.default_max_output_bytes", str(limits.max_output_bytes)},
        {"lobby.default_socket_send_buffer_bytes", str(limits.socket_send_buffer_bytes)},
        {"lobby.default_max_connections", str(limits.max_connections)},
        {"lobby.default_max_connections_per_address", str(limits.max_connections_per_address)},
        {"lobby.default_max_handshakes", str(limits.max_handshakes)},
        {"lobby.default_max_handshakes_per_address", str(limits.max_handshakes_per_address)},
        {"lobby.default_chat_burst", str(limits.chat_burst)},
        {"lobby.default_chat_per_second", str(limits.chat_per_second)},
        {"lobby.default_message_burst", str(limits.message_burst)},
        {"lobby.default_messages_per_second", str(limits.messages_per_second)},
        {"token.format_version", str(static_cast<int>(net::kTokenFormatVersion))},
        {"token.bytes", str(net::kConnectTokenBytes)},
        {"token.nonce_bytes", str(net::kTokenNonceBytes)},
        {"token.mac_bytes", str(net::kTokenMacBytes)},
        {"token.plaintext_bytes", str(net::kTokenPlaintextBytes)},
        {"token.key_bytes", str(std::tuple_size_v<net::TokenKey>)},
        {"token.max_name_bytes", str(net::kTokenMaxNameBytes)},
        {"token.ad_tag", std::string(net::kTokenAdTag.begin(), net::kTokenAdTag.end())},
        {"token.default_lifetime_ms", str(net::kDefaultTokenLifetimeMs)},
    };
}

bool checked_here(const std::string& name) {
    return name.starts_with("protocol.") || name.starts_with("lobby.") || name.starts_with("token.");
}

} // namespace

TEST(ProtocolDoc, ConstantsTableMatchesTheCode) {
    const std::string doc = read_protocol_doc();
    std::map<std::string, std::string> documented;
    for (const auto& line : lines_between(doc, "<!-- skirmish-constants: begin -->", "<!-- skirmish-constants: end -->")) {
        const auto row = cells(line);
        if (row.size() < 2 || row[0] == "Constant" || row[0].starts_with("---")) continue;
        EXPECT_TRUE(documented.emplace(row[0], row[1]).second) << row[0] << " is listed twice";
    }
    const auto code = code_constants();
    for (const auto& [name, value] : code) {
        const auto it = documented.find(name);
        if (it == documented.end()) {
            ADD_FAILURE() << name << " = " << value << " is missing from the constants table in docs/PROTOCOL.md";
            continue;
        }
        EXPECT_EQ(it->second, value) << name << ": docs/PROTOCOL.md says " << it->second << ", the code " << value;
    }
    for (const auto& [name, value] : documented) {
        if (checked_here(name) && !code.contains(name))
            ADD_FAILURE() << name << " is documented but not checked: add it to code_constants() in "
                          << "tests/protocol/protocol_doc_test.cpp";
    }
}

TEST(ProtocolDoc, MessageTagTableMatchesTheSchema) {
    const std::string doc = read_protocol_doc();
    std::set<int> seen;
    for (const auto& line : lines_between(doc, "## Lobby messages", "### Shared tables")) {
        const auto row = cells(line);
        if (row.size() < 3 || row[0].empty() || !std::isdigit(static_cast<unsigned char>(row[0][0]))) continue;
        const int tag = std::stoi(row[0]);
        seen.insert(tag);
        EXPECT_EQ(row[1], pl::name(static_cast<pl::MessageKind>(tag))) << "tag " << tag;
    }
    for (int tag = 1; tag <= static_cast<int>(Skirmish::Lobby::Message::MAX); ++tag)
        EXPECT_TRUE(seen.contains(tag)) << "message tag " << tag << " is not documented";
}

TEST(ProtocolDoc, ErrorCodeTableMatchesTheSchemaAndWhatCloses) {
    const std::string doc = read_protocol_doc();
    std::set<int> seen;
    for (const auto& line : lines_between(doc, "## Lobby error codes", "## Limits")) {
        const auto row = cells(line);
        if (row.size() < 5 || row[0].empty() || !std::isdigit(static_cast<unsigned char>(row[0][0]))) continue;
        const int code = std::stoi(row[0]);
        seen.insert(code);
        const auto error = static_cast<pl::ErrorCode>(code);
        EXPECT_EQ(row[1], pl::name(error)) << "code " << code;
        if (code != 0) {
            EXPECT_EQ(row.back() == "yes", pl::closes_connection(error)) << row[1];
        }
    }
    for (int code = 0; code <= static_cast<int>(Skirmish::Lobby::ErrorCode::MAX); ++code)
        EXPECT_TRUE(seen.contains(code)) << "error code " << code << " is not documented";
}

TEST(ProtocolDoc, TheHelloFrameExampleDecodesAndIsWhatWeWrite) {
    const std::string doc = read_protocol_doc();
    const auto marker = doc.find("<!-- skirmish-example: lobby-hello-frame -->");
    ASSERT_NE(marker, std::string::npos);
    const auto open = doc.find("```", marker);
    const auto close = doc.find("```", open + 3);
    ASSERT_TRUE(open != std::string::npos && close != std::string::npos);
    std::istringstream hex(doc.substr(open + 3, close - open - 3));
    std::vector<std::uint8_t> bytes;
    for (std::string byte; hex >> byte;) bytes.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));

    net::FrameDecoder decoder;
    decoder.feed(bytes);
    auto frame = decoder.next();
    ASSERT_TRUE(frame.has_value() && frame.value().has_value());
    auto message = pl::decode_client_message(*frame.value());
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(std::get<pl::Hello>(*message), (pl::Hello{1, "alice"}));
    EXPECT_FALSE(decoder.mid_frame());

    std::vector<std::uint8_t> ours;
    ASSERT_TRUE(net::append_frame(ours, pl::encode_client_message(pl::Hello{1, "alice"})));
    EXPECT_EQ(ours, bytes) << "the encoder's output changed: update the example in docs/PROTOCOL.md";
}
