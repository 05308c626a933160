// Golden lobby frames (tests/data/lobby_*.hex, described in tests/data/README.md):
// one per message of schemas/lobby.fbs, as it travels on the TCP stream (the
// 4-byte little-endian length, then the Envelope), produced by our encoder and
// framing from fixed values and read back through the frame decoder.
// SKIRMISH_WRITE_GOLDEN=1 rewrites them (only when the format changes on purpose).
#include "shared/net/lobby_framing.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/version.hpp"
#include "support/golden.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
namespace pl = protocol::lobby;

namespace {

using test::check_golden;

const protocol::MatchSettings kDuel{"duel", 4, 10, 120, true};

std::vector<std::uint8_t> framed(const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> out;
    EXPECT_TRUE(net::append_frame(out, payload).has_value());
    return out;
}

// The one payload a stream of exactly one frame holds.
std::vector<std::uint8_t> unframed(const std::vector<std::uint8_t>& stream) {
    net::FrameDecoder decoder;
    decoder.feed(stream);
    auto frame = decoder.next();
    EXPECT_TRUE(frame.has_value() && frame->has_value()) << "not one whole frame";
    if (!frame.has_value() || !frame->has_value()) return {};
    const auto span = *frame.value();
    std::vector<std::uint8_t> payload(span.begin(), span.end());
    auto rest = decoder.next();
    EXPECT_TRUE(rest.has_value() && !rest->has_value()) << "bytes after the frame";
    return payload;
}

protocol::MatchResults lobby_results() {
    protocol::MatchResults r;
    r.match_id = 3;
    r.room_id = 5;
    r.reason = protocol::MatchEndReason::FragLimit;
    r.duration_s = 95.5f;
    r.scores = {{7, "alice", 10, 2}, {12, "bob", 2, 10}};
    return r;
}

pl::RoomState room_state() {
    pl::RoomState s;
    s.room_id = 5;
    s.name = "duel room";
    s.settings = kDuel;
    s.host_id = 7;
    s.phase = pl::RoomPhase::Waiting;
    s.members = {{7, "alice", true, false}, {12, "bob", false, false}};
    s.last_results = lobby_results();
    return s;
}

pl::MatchStart match_start() {
    pl::MatchStart m;
    m.game_address = "";
    m.port = 7777;
    m.connect_token.resize(94);
    for (std::size_t i = 0; i < m.connect_token.size(); ++i) m.connect_token[i] = static_cast<std::uint8_t>(i);
    m.match_id = 3;
    m.room_id = 5;
    m.settings = kDuel;
    m.in_progress = true;
    return m;
}

} // namespace

TEST(GoldenVectors, EveryLobbyClientMessageFramed) {
    const std::vector<std::pair<std::string, pl::ClientMessage>> messages = {
        {"lobby_hello.hex", pl::Hello{protocol::kProtocolVersion, "alice", "letmein"}},
        {"lobby_list_rooms.hex", pl::ListRooms{}},
        {"lobby_create_room.hex", pl::CreateRoom{"duel room", kDuel}},
        {"lobby_join_room.hex", pl::JoinRoom{5}},
        {"lobby_leave_room.hex", pl::LeaveRoom{}},
        {"lobby_quick_play.hex", pl::QuickPlay{6}},
        {"lobby_chat.hex", pl::Chat{"gl hf"}},
        {"lobby_set_ready.hex", pl::SetReady{true}},
        {"lobby_start_match.hex", pl::StartMatch{}},
        {"lobby_ping.hex", pl::Ping{0x0123456789abcdefULL}},
        {"lobby_get_stats.hex", pl::GetStats{0, 10, "alice"}},
        {"lobby_get_recent_matches.hex", pl::GetRecentMatches{20, 5}},
        {"lobby_admin_command.hex", pl::AdminCommand{"correct horse", "ban griefer 30m spamming"}},
    };
    ASSERT_EQ(messages.size(), std::variant_size_v<pl::ClientMessage>);
    for (std::size_t i = 0; i < messages.size(); ++i) EXPECT_EQ(messages[i].second.index(), i) << messages[i].first;
    for (const auto& [file, message] : messages) {
        const auto stream = framed(pl::encode_client_message(message));
        check_golden(file, stream);
        auto back = pl::decode_client_message(unframed(stream));
        ASSERT_TRUE(back.has_value()) << file;
        EXPECT_EQ(back.value(), message) << file;
    }
}

TEST(GoldenVectors, EveryLobbyServerMessageFramed) {
    pl::RoomSummary waiting{5, "duel room", kDuel, 2, pl::RoomPhase::Waiting};
    pl::RoomSummary running{9, "Quick play 9", protocol::MatchSettings{}, 8, pl::RoomPhase::InMatch};
    const std::vector<std::pair<std::string, pl::ServerMessage>> messages = {
        {"lobby_welcome.hex",
         pl::Welcome{7, "skirmish test server", protocol::kProtocolVersion, {"arena", "duel"}, 60, 30, 60,
                     {"welcome to the test server", "be nice"}}},
        {"lobby_error.hex", pl::Error{pl::ErrorCode::RoomFull, "room 5 is full (4 of 4): pick another room",
                                      pl::MessageKind::JoinRoom}},
        {"lobby_room_list.hex", pl::RoomList{{waiting, running}, 3}},
        {"lobby_room_state.hex", room_state()},
        {"lobby_left_room.hex", pl::LeftRoom{5}},
        {"lobby_chat_message.hex", pl::ChatMessage{5, 12, "bob", "gl hf"}},
        {"lobby_match_start.hex", match_start()},
        {"lobby_match_ended.hex", pl::MatchEnded{lobby_results()}},
        {"lobby_pong.hex", pl::Pong{0x0123456789abcdefULL}},
        {"lobby_stats.hex",
         pl::Stats{true, {{"alice", 1, 12, 7, 140, 60, 900, 410}, {"bob", 2, 9, 2, 75, 98, 1200, 300}}, 14}},
        {"lobby_recent_matches.hex",
         pl::RecentMatches{true,
                           {{42, "duel", protocol::MatchEndReason::FragLimit, 1764633600, 95.5f,
                             {{"alice", 10, 2, 31, 12, true}, {"bob", 2, 10, 40, 6, false}}}},
                           57}},
        {"lobby_admin_reply.hex", pl::AdminReply{true, "banned griefer until 2026-12-02 08:30:00 UTC (in 30 min)\n"
                                                       "removed griefer (192.168.1.20)"}},
    };
    ASSERT_EQ(messages.size(), std::variant_size_v<pl::ServerMessage>);
    for (std::size_t i = 0; i < messages.size(); ++i) EXPECT_EQ(messages[i].second.index(), i) << messages[i].first;
    for (const auto& [file, message] : messages) {
        const auto stream = framed(pl::encode_server_message(message));
        check_golden(file, stream);
        auto back = pl::decode_server_message(unframed(stream));
        ASSERT_TRUE(back.has_value()) << file;
        EXPECT_EQ(back.value(), message) << file;
    }
}

TEST(GoldenVectors, TheReconnectFields) {
    // A Hello back into a running match, and the MatchStart that gave its
    // secret (docs/PROTOCOL.md, "Reconnect"). Without them, both messages are
    // the bytes they were before the fields (lobby_hello.hex, lobby_match_start.hex).
    std::vector<std::uint8_t> secret(pl::kReconnectSecretBytes);
    for (std::size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<std::uint8_t>(0xa0 + i);
    const pl::ClientMessage hello = pl::Hello{protocol::kProtocolVersion, "alice", "", 3, secret};
    const auto hello_stream = framed(pl::encode_client_message(hello));
    check_golden("lobby_hello_reconnect.hex", hello_stream);
    auto hello_back = pl::decode_client_message(unframed(hello_stream));
    ASSERT_TRUE(hello_back.has_value());
    EXPECT_EQ(hello_back.value(), hello);
    pl::MatchStart start = match_start();
    start.reconnect_secret = secret;
    const pl::ServerMessage start_message = start;
    const auto start_stream = framed(pl::encode_server_message(start_message));
    check_golden("lobby_match_start_reconnect.hex", start_stream);
    auto start_back = pl::decode_server_message(unframed(start_stream));
    ASSERT_TRUE(start_back.has_value());
    EXPECT_EQ(start_back.value(), start_message);
}

TEST(GoldenVectors, ARoomWithoutLagCompensation) {
    // The room setting travels in MatchSettings: absent (the older vectors,
    // and every room that keeps the default) it is on; here it is off.
    protocol::MatchSettings off = kDuel;
    off.lag_compensation = false;
    const pl::ClientMessage message = pl::CreateRoom{"duel room", off};
    const auto stream = framed(pl::encode_client_message(message));
    check_golden("lobby_create_room_no_lag_compensation.hex", stream);
    auto back = pl::decode_client_message(unframed(stream));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back.value(), message);
    EXPECT_FALSE(std::get<pl::CreateRoom>(back.value()).settings.lag_compensation);
    EXPECT_TRUE(kDuel.lag_compensation);
}
