// The lobby codec: every message round-trips, and anything else (truncated,
// wrong identifier, random bytes, the other direction's messages, fields out of
// range) is a DecodeFailure, never a crash.
#include "shared/protocol/lobby_codec.hpp"

#include "shared/protocol/version.hpp"
#include "shared/util/rng.hpp"

#include "schemas/lobby_generated.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>

using namespace skirmish::protocol;
using namespace skirmish::protocol::lobby;

namespace {

using Bytes = std::vector<std::uint8_t>;

MatchSettings settings_on(std::string map) {
    MatchSettings s;
    s.map = std::move(map);
    s.max_players = 4;
    s.frag_limit = 15;
    s.time_limit_s = 120;
    s.join_in_progress = false;
    s.lag_compensation = false;
    return s;
}

MatchResults some_results() {
    MatchResults r;
    r.match_id = 12;
    r.room_id = 3;
    r.reason = MatchEndReason::TimeLimit;
    r.duration_s = 120.5f;
    r.scores = {{1, "alice", 5, 1}, {2, "bob", 1, 5}};
    return r;
}

std::vector<ClientMessage> every_client_message() {
    return {Hello{kProtocolVersion, "alice"}, Hello{kProtocolVersion, "bob", "friday night"}, ListRooms{}, CreateRoom{"Friday night", settings_on("courtyard")},
            JoinRoom{42}, LeaveRoom{}, QuickPlay{4}, Chat{"hello, world ✓"}, SetReady{true}, SetReady{false},
            StartMatch{}, Ping{0xFEDCBA9876543210ULL}, GetStats{0, 10, ""}, GetStats{3, 1, "alice"},
            GetRecentMatches{20, 5}, AdminCommand{"correct horse", "ban griefer 30m spamming"},
            AdminCommand{"", "players"}};
}

std::vector<ServerMessage> every_server_message() {
    RoomState state{7, "room", settings_on("arena"), 1, RoomPhase::InMatch,
                    {{1, "alice", true, true}, {2, "bob", false, false}}, some_results()};
    RoomState fresh = state;
    fresh.last_results.reset();
    fresh.phase = RoomPhase::Waiting;
    return {Welcome{9, "LAN party", kProtocolVersion, {"arena", "courtyard"}, 60, 30, 60},
            Welcome{9, "LAN party", kProtocolVersion, {"arena"}, 60, 30, 60, {"Welcome!", "", "Be nice."}},
            Error{ErrorCode::RoomFull, "room 7 is full: pick another or use quick play", MessageKind::JoinRoom},
            RoomList{{{7, "room", settings_on("arena"), 2, RoomPhase::Waiting},
                      {8, "other", MatchSettings{}, 16, RoomPhase::InMatch}},
                     2},
            state,
            fresh,
            LeftRoom{7},
            ChatMessage{7, 1, "alice", "gg"},
            MatchStart{"", 7777, Bytes(94, 0xAB), 12, 7, settings_on("arena"), true},
            MatchEnded{some_results()},
            Pong{5},
            Stats{},
            Stats{true, {{"alice", 1, 12, 7, 140, 60, 900, 410}, {"bob", 2, 9, 2, 75, 98, 1200, 300}}, 14},
            AdminReply{true, "2 players: id, name, address, room, match\n1 alice 10.0.0.2 7 3\n"},
            AdminReply{false, "wrong admin password"},
            AdminReply{true, ""},
            RecentMatches{},
            RecentMatches{true,
                          {{42, "arena", MatchEndReason::FragLimit, 1764633600, 95.5f,
                            {{"alice", 10, 2, 31, 12, true}, {"bob", -1, 10, 40, 6, false}}},
                           {41, "courtyard", MatchEndReason::ServerShutdown, 1764633000, 12.0f, {}}},
                          57}};
}

template <typename Build>
Bytes envelope(Build build) {
    flatbuffers::FlatBufferBuilder b;
    const auto [type, offset] = build(b);
    Skirmish::Lobby::FinishEnvelopeBuffer(b, Skirmish::Lobby::CreateEnvelope(b, type, offset));
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

LobbyDecodeError client_error(const Bytes& bytes) {
    auto r = decode_client_message(bytes);
    EXPECT_FALSE(r.has_value());
    return r ? LobbyDecodeError::Empty : r.error().error;
}

Bytes create_room_with(std::uint8_t max_players, std::uint16_t frags, std::uint16_t time_s, const char* map,
                       const char* room = "room") {
    return envelope([&](flatbuffers::FlatBufferBuilder& b) {
        const auto name = b.CreateString(room);
        const auto settings = Skirmish::CreateMatchSettingsDirect(b, map, max_players, frags, time_s, true);
        return std::pair{Skirmish::Lobby::Message::CreateRoom,
                         Skirmish::Lobby::CreateCreateRoom(b, name, settings).Union()};
    });
}

} // namespace

// --- round trips -------------------------------------------------------------------------

TEST(LobbyCodec, EveryClientMessageRoundTrips) {
    for (const auto& m : every_client_message()) {
        const Bytes bytes = encode_client_message(m);
        auto back = decode_client_message(bytes);
        ASSERT_TRUE(back.has_value()) << name(kind_of(m)) << ": " << name(back.error().error);
        EXPECT_EQ(*back, m) << name(kind_of(m));
    }
}

TEST(LobbyCodec, EveryServerMessageRoundTrips) {
    for (const auto& m : every_server_message()) {
        const Bytes bytes = encode_server_message(m);
        auto back = decode_server_message(bytes);
        ASSERT_TRUE(back.has_value()) << name(kind_of(m)) << ": " << name(back.error().error);
        EXPECT_EQ(*back, m) << name(kind_of(m));
    }
}

TEST(LobbyCodec, CarriesTheLobbyIdentifier) {
    const Bytes bytes = encode_client_message(Hello{kProtocolVersion, "a"});
    ASSERT_GE(bytes.size(), 8u);
    EXPECT_EQ(std::string(bytes.begin() + 4, bytes.begin() + 8), kFileIdentifier);
}

TEST(LobbyCodec, DecodesFromAnUnalignedBuffer) {
    const Bytes bytes = encode_server_message(Pong{0x0102030405060708ULL});
    Bytes shifted(bytes.size() + 3);
    std::memcpy(shifted.data() + 3, bytes.data(), bytes.size());
    auto back = decode_server_message(std::span(shifted).subspan(3));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(std::get<Pong>(*back).nonce, 0x0102030405060708ULL);
}

TEST(LobbyCodec, KindsMatchTheUnionTags) {
    EXPECT_EQ(kind_of(ClientMessage{Hello{}}), MessageKind::Hello);
    EXPECT_EQ(kind_of(ClientMessage{Ping{}}), MessageKind::Ping);
    EXPECT_EQ(kind_of(ServerMessage{LeftRoom{}}), MessageKind::LeftRoom);
    EXPECT_EQ(name(MessageKind::QuickPlay), "QuickPlay");
    EXPECT_EQ(name(ErrorCode::RoomFull), "RoomFull");
    EXPECT_EQ(name(static_cast<ErrorCode>(999)), "unknown");
}

TEST(LobbyCodec, ErrorCodesFromANewerServerAreKept) {
    const ServerMessage newer = Error{static_cast<ErrorCode>(500), "new", static_cast<MessageKind>(99)};
    auto back = decode_server_message(encode_server_message(newer));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, newer);
    EXPECT_EQ(name(std::get<Error>(*back).code), "unknown");
    EXPECT_FALSE(closes_connection(std::get<Error>(*back).code));
}

TEST(LobbyCodec, ErrorCodesThatCloseTheConnection) {
    EXPECT_TRUE(closes_connection(ErrorCode::BadFrame));
    EXPECT_TRUE(closes_connection(ErrorCode::Timeout));
    EXPECT_TRUE(closes_connection(ErrorCode::WrongProtocolVersion));
    EXPECT_FALSE(closes_connection(ErrorCode::NameTaken));
    EXPECT_FALSE(closes_connection(ErrorCode::RateLimited));
}

// --- garbage ------------------------------------------------------------------------------

TEST(LobbyCodecGarbage, EmptyAndTruncated) {
    EXPECT_EQ(client_error({}), LobbyDecodeError::Empty);
    const ClientMessage message = CreateRoom{"room", settings_on("arena")};
    const Bytes bytes = encode_client_message(message);
    int refused = 0;
    for (std::size_t n = 1; n < bytes.size(); ++n) {
        auto r = decode_client_message(std::span(bytes).first(n));
        // Cutting only trailing alignment padding leaves the same message;
        // any other cut is refused.
        if (r) {
            EXPECT_EQ(*r, message) << "truncated to " << n;
        }
        refused += !r.has_value();
    }
    EXPECT_GE(refused, static_cast<int>(bytes.size()) - 8);
}

TEST(LobbyCodecGarbage, WrongIdentifier) {
    Bytes bytes = encode_client_message(Hello{kProtocolVersion, "alice"});
    std::memcpy(bytes.data() + 4, "SKGM", 4);
    EXPECT_EQ(client_error(bytes), LobbyDecodeError::WrongIdentifier);
}

TEST(LobbyCodecGarbage, OversizedBuffersOfJunk) {
    Bytes big(70'000, 0xFF);
    std::memcpy(big.data() + 4, "SKLB", 4);
    EXPECT_EQ(client_error(big), LobbyDecodeError::NotVerified);
}

TEST(LobbyCodecGarbage, RandomBytesNeverDecodeOrCrash) {
    skirmish::util::Rng rng(7);
    int decoded = 0;
    for (int i = 0; i < 3000; ++i) {
        Bytes bytes(1 + rng.below(200));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.next_u32());
        if (i % 2 == 0 && bytes.size() >= 8) std::memcpy(bytes.data() + 4, "SKLB", 4);
        decoded += decode_client_message(bytes).has_value();
        decoded += decode_server_message(bytes).has_value();
    }
    EXPECT_LE(decoded, 5); // an accidental valid empty-table message is possible, never a crash
}

TEST(LobbyCodecGarbage, BitFlipsOfValidMessagesNeverCrash) {
    skirmish::util::Rng rng(11);
    for (const auto& m : every_server_message()) {
        const Bytes good = encode_server_message(m);
        for (int i = 0; i < 200; ++i) {
            Bytes bad = good;
            bad[rng.below(static_cast<std::uint32_t>(bad.size()))] ^= static_cast<std::uint8_t>(1u << rng.below(8));
            (void)decode_server_message(bad);
            (void)decode_client_message(bad);
        }
    }
}

// Each value travels under the schema's tag of the same name (the list in
// detail/lobby_messages.hpp): written out here by hand, in the variants' order.
TEST(LobbyCodec, EachValueIsTheSchemasMessageOfItsName) {
    const std::vector<std::string_view> client = {"Hello",      "ListRooms", "CreateRoom", "JoinRoom", "LeaveRoom",
                                                  "QuickPlay",  "Chat",      "SetReady",   "StartMatch", "Ping",
                                                  "GetStats",   "GetRecentMatches", "AdminCommand"};
    const std::vector<std::string_view> server = {"Welcome",    "Error",      "RoomList", "RoomState",
                                                  "LeftRoom",   "ChatMessage", "MatchStart", "MatchEnded",
                                                  "Pong",       "Stats",      "RecentMatches", "AdminReply"};
    ASSERT_EQ(client.size(), std::variant_size_v<ClientMessage>);
    ASSERT_EQ(server.size(), std::variant_size_v<ServerMessage>);
    std::set<std::size_t> seen_client, seen_server;
    for (const auto& m : every_client_message()) {
        EXPECT_EQ(name(kind_of(m)), client[m.index()]);
        auto decoded = decode_client_message(encode_client_message(m));
        ASSERT_TRUE(decoded.has_value()) << client[m.index()];
        EXPECT_EQ(decoded->index(), m.index());
        seen_client.insert(m.index());
    }
    for (const auto& m : every_server_message()) {
        EXPECT_EQ(name(kind_of(m)), server[m.index()]);
        seen_server.insert(m.index());
    }
    EXPECT_EQ(seen_client.size(), client.size()) << "every_client_message() holds every kind";
    EXPECT_EQ(seen_server.size(), server.size()) << "every_server_message() holds every kind";
}

TEST(LobbyCodecGarbage, EachSideRefusesTheOtherSidesMessages) {
    for (const auto& m : every_server_message()) {
        auto r = decode_client_message(encode_server_message(m));
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().error, LobbyDecodeError::UnknownMessage);
        EXPECT_EQ(r.error().kind, kind_of(m));
    }
    for (const auto& m : every_client_message()) {
        auto r = decode_server_message(encode_client_message(m));
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().error, LobbyDecodeError::UnknownMessage);
    }
}

TEST(LobbyCodecGarbage, AnEnvelopeWithoutAMessage) {
    const Bytes bytes = envelope([](flatbuffers::FlatBufferBuilder&) {
        return std::pair{Skirmish::Lobby::Message::NONE, flatbuffers::Offset<void>()};
    });
    EXPECT_EQ(client_error(bytes), LobbyDecodeError::UnknownMessage);
}

TEST(LobbyCodecGarbage, AnUnknownUnionTagFromANewerSchema) {
    const Bytes bytes = envelope([](flatbuffers::FlatBufferBuilder& b) {
        return std::pair{static_cast<Skirmish::Lobby::Message>(200), Skirmish::Lobby::CreateLeaveRoom(b).Union()};
    });
    auto r = decode_client_message(bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().error, LobbyDecodeError::UnknownMessage);
    EXPECT_EQ(r.error().kind, MessageKind::None);
}

// --- field ranges ------------------------------------------------------------------------

TEST(LobbyCodecRanges, PlayerNames) {
    const auto hello = [](std::string name) { return encode_client_message(Hello{kProtocolVersion, std::move(name)}); };
    EXPECT_TRUE(decode_client_message(hello(std::string(24, 'x'))).has_value());
    EXPECT_TRUE(decode_client_message(hello("Zoë")).has_value());
    EXPECT_EQ(client_error(hello("")), LobbyDecodeError::BadName);
    EXPECT_EQ(client_error(hello(std::string(25, 'x'))), LobbyDecodeError::BadName);
    EXPECT_EQ(client_error(hello("bad\nname")), LobbyDecodeError::BadName);
    EXPECT_EQ(client_error(hello(std::string("nul\0name", 8))), LobbyDecodeError::BadName);
    EXPECT_EQ(client_error(hello("del\x7f")), LobbyDecodeError::BadName);
    EXPECT_EQ(client_error(hello("c1\xc2\x85")), LobbyDecodeError::BadName);          // U+0085
    EXPECT_EQ(client_error(hello("bidi\xe2\x80\xae")), LobbyDecodeError::BadName);    // U+202E
    EXPECT_EQ(client_error(hello("\xff\xfe")), LobbyDecodeError::BadName);            // not UTF-8
    EXPECT_EQ(client_error(hello("\xc0\x80")), LobbyDecodeError::BadName);            // overlong
    EXPECT_EQ(client_error(hello("   ")), LobbyDecodeError::BadName);
    auto r = decode_client_message(hello(""));
    EXPECT_EQ(r.error().kind, MessageKind::Hello);
}

TEST(LobbyCodecRanges, RoomNamesAndSettings) {
    EXPECT_TRUE(decode_client_message(create_room_with(16, 100, 3600, "arena")).has_value());
    EXPECT_TRUE(decode_client_message(create_room_with(2, 1, 30, "arena")).has_value());
    EXPECT_EQ(client_error(create_room_with(1, 20, 300, "arena")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(17, 20, 300, "arena")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 0, 300, "arena")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 101, 300, "arena")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 20, 29, "arena")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 20, 3601, "arena")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 20, 300, "")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 20, 300, "a\tb")), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(create_room_with(8, 20, 300, "arena", "")), LobbyDecodeError::BadRoomName);
    const std::string long_name(33, 'r');
    EXPECT_EQ(client_error(create_room_with(8, 20, 300, "arena", long_name.c_str())), LobbyDecodeError::BadRoomName);
    EXPECT_EQ(client_error(encode_client_message(QuickPlay{1})), LobbyDecodeError::BadSettings);
    EXPECT_EQ(client_error(encode_client_message(QuickPlay{17})), LobbyDecodeError::BadSettings);
}

TEST(LobbyCodecRanges, BadSettingsCarryTheValidatorsWords) {
    const auto detail = [](const std::vector<std::uint8_t>& bytes) {
        auto r = decode_client_message(bytes);
        EXPECT_FALSE(r.has_value());
        return r ? std::string() : r.error().detail;
    };
    MatchSettings frags;
    frags.frag_limit = 101;
    EXPECT_EQ(detail(create_room_with(8, 101, 300, "arena")), validate_settings(frags).error());
    MatchSettings time;
    time.time_limit_s = 29;
    EXPECT_EQ(detail(create_room_with(8, 20, 29, "arena")), validate_settings(time).error());
    MatchSettings small;
    small.max_players = 17;
    EXPECT_EQ(detail(encode_client_message(QuickPlay{17})), validate_settings(small).error());
    MatchSettings map;
    map.map = "a\tb";
    EXPECT_EQ(detail(create_room_with(8, 20, 300, "a\tb")), validate_settings(map).error());
}

TEST(LobbyCodecRanges, PasswordsAndTheMessageOfTheDay) {
    EXPECT_TRUE(decode_client_message(encode_client_message(Hello{kProtocolVersion, "a", std::string(64, 'p')}))
                    .has_value());
    EXPECT_EQ(client_error(encode_client_message(Hello{kProtocolVersion, "a", std::string(65, 'p')})),
              LobbyDecodeError::OutOfRange);
    // (A Hello without a password is the bytes of a Hello from before the field:
    // the example frame in docs/PROTOCOL.md, ProtocolDoc.TheHelloFrameExampleDecodesAndIsWhatWeWrite.)
    const auto server_error = [](const ServerMessage& m) {
        auto r = decode_server_message(encode_server_message(m));
        return r ? LobbyDecodeError::Empty : r.error().error;
    };
    Welcome w{9, "s", kProtocolVersion, {"arena"}, 60, 30, 60, std::vector<std::string>(kMaxMotdLines, "line")};
    EXPECT_EQ(server_error(w), LobbyDecodeError::Empty) << "8 lines decode";
    w.motd.push_back("one too many");
    EXPECT_EQ(server_error(w), LobbyDecodeError::OutOfRange);
    w.motd = {std::string(kMaxMotdLineBytes + 1, 'x')};
    EXPECT_EQ(server_error(w), LobbyDecodeError::BadText);
}

TEST(LobbyCodecRanges, ReconnectSecretsAreWholeAndNameTheirMatch) {
    const std::vector<std::uint8_t> secret(kReconnectSecretBytes, 0xab);
    Hello hello{kProtocolVersion, "a", "", 7, secret};
    auto back = decode_client_message(encode_client_message(hello));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(std::get<Hello>(back.value()), hello);
    hello.reconnect_secret.pop_back();
    EXPECT_EQ(client_error(encode_client_message(hello)), LobbyDecodeError::OutOfRange) << "31 bytes";
    hello.reconnect_secret.assign(kReconnectSecretBytes + 1, 1);
    EXPECT_EQ(client_error(encode_client_message(hello)), LobbyDecodeError::OutOfRange) << "33 bytes";
    EXPECT_EQ(client_error(encode_client_message(Hello{kProtocolVersion, "a", "", 0, secret})),
              LobbyDecodeError::OutOfRange) << "a secret without its match";
    EXPECT_EQ(client_error(encode_client_message(Hello{kProtocolVersion, "a", "", 7, {}})), LobbyDecodeError::OutOfRange)
        << "a match without its secret";
    const auto server_error = [](const ServerMessage& m) {
        auto r = decode_server_message(encode_server_message(m));
        return r ? LobbyDecodeError::Empty : r.error().error;
    };
    MatchStart start;
    start.connect_token.assign(94, 1);
    start.match_id = 3;
    start.room_id = 5;
    start.reconnect_secret = secret;
    EXPECT_EQ(server_error(start), LobbyDecodeError::Empty);
    start.reconnect_secret.pop_back();
    EXPECT_EQ(server_error(start), LobbyDecodeError::OutOfRange);
    start.reconnect_secret.clear();
    EXPECT_EQ(server_error(start), LobbyDecodeError::Empty) << "a MatchStart without a secret (an older server)";
    EXPECT_FALSE(closes_connection(ErrorCode::ReconnectRefused));
    EXPECT_FALSE(closes_connection(ErrorCode::ReconnectExpired));
    EXPECT_TRUE(closes_connection(ErrorCode::Replaced));
}

TEST(LobbyCodecRanges, ChatText) {
    EXPECT_TRUE(decode_client_message(encode_client_message(Chat{std::string(200, 'c')})).has_value());
    EXPECT_EQ(client_error(encode_client_message(Chat{std::string(201, 'c')})), LobbyDecodeError::ChatTooLong);
    EXPECT_EQ(client_error(encode_client_message(Chat{""})), LobbyDecodeError::BadText);
    EXPECT_EQ(client_error(encode_client_message(Chat{"\xff"})), LobbyDecodeError::BadText);
    // Control characters pass the codec; the server removes them.
    EXPECT_TRUE(decode_client_message(encode_client_message(Chat{"a\x01" "b"})).has_value());
}

TEST(LobbyCodecRanges, ServerMessagesAreCheckedToo) {
    const auto server_error = [](const ServerMessage& m) {
        auto r = decode_server_message(encode_server_message(m));
        return r ? LobbyDecodeError::Empty : r.error().error;
    };
    EXPECT_EQ(server_error(Error{ErrorCode::RoomFull, std::string(513, 'x'), MessageKind::None}),
              LobbyDecodeError::BadText);
    EXPECT_EQ(server_error(MatchStart{"", 1, {}, 1, 1, MatchSettings{}, false}), LobbyDecodeError::OutOfRange);
    EXPECT_EQ(server_error(MatchStart{"", 1, Bytes(300, 1), 1, 1, MatchSettings{}, false}),
              LobbyDecodeError::OutOfRange);
    RoomState crowded{1, "r", MatchSettings{}, 1, RoomPhase::Waiting, {}, std::nullopt};
    crowded.members.assign(kMaxRoomMembers, Member{1, "m", false, false});
    EXPECT_EQ(server_error(crowded), LobbyDecodeError::Empty) << "16 players and 8 spectators fit";
    crowded.members.push_back(Member{1, "m", false, false, true});
    EXPECT_EQ(server_error(crowded), LobbyDecodeError::OutOfRange);
    RoomList watched{{RoomSummary{1, "r", MatchSettings{}, 1, RoomPhase::Waiting,
                                    static_cast<std::uint8_t>(kMaxSpectatorSlots + 1)}},
                       1};
    EXPECT_EQ(server_error(watched), LobbyDecodeError::OutOfRange);
    MatchSettings too_many_seats;
    too_many_seats.spectator_slots = kMaxSpectatorSlots + 1;
    EXPECT_EQ(server_error(RoomState{1, "r", too_many_seats, 1, RoomPhase::Waiting, {}, std::nullopt}),
              LobbyDecodeError::BadSettings);
    RoomList many;
    many.rooms.assign(kMaxListedRooms + 1, RoomSummary{1, "r", MatchSettings{}, 1, RoomPhase::Waiting});
    EXPECT_EQ(server_error(many), LobbyDecodeError::OutOfRange);
    RoomList bad_phase{{RoomSummary{1, "r", MatchSettings{}, 1, static_cast<RoomPhase>(7)}}, 1};
    EXPECT_EQ(server_error(bad_phase), LobbyDecodeError::OutOfRange);
    MatchResults too_many = some_results();
    too_many.scores.assign(65, PlayerScore{1, "p", 0, 0});
    EXPECT_EQ(server_error(MatchEnded{too_many}), LobbyDecodeError::OutOfRange);
    EXPECT_EQ(server_error(ChatMessage{1, 1, "a", std::string(201, 'x')}), LobbyDecodeError::ChatTooLong);
}

TEST(LobbyCodecRanges, StatsRequestsAreCappedAndTheirNamesChecked) {
    const auto client = [](const ClientMessage& m) { return decode_client_message(encode_client_message(m)); };
    auto big = client(GetStats{0, 255, ""});
    ASSERT_TRUE(big);
    EXPECT_EQ(std::get<GetStats>(*big).count, kMaxStatsPage) << "more than a page reads as a page";
    auto many = client(GetRecentMatches{0, 255});
    ASSERT_TRUE(many);
    EXPECT_EQ(std::get<GetRecentMatches>(*many).count, kMaxMatchesPage);
    EXPECT_EQ(client_error(encode_client_message(GetStats{0, 0, ""})), LobbyDecodeError::OutOfRange);
    EXPECT_EQ(client_error(encode_client_message(GetRecentMatches{0, 0})), LobbyDecodeError::OutOfRange);
    EXPECT_EQ(client_error(encode_client_message(GetStats{0, 1, std::string(25, 'a')})), LobbyDecodeError::BadName);
    EXPECT_EQ(client_error(encode_client_message(GetStats{0, 1, "tab\tname"})), LobbyDecodeError::BadName);
}

TEST(LobbyCodecRanges, AdminMessagesAreCappedAndTheirTextChecked) {
    EXPECT_TRUE(decode_client_message(encode_client_message(
        AdminCommand{std::string(kMaxAdminPasswordBytes, 'p'), std::string(kMaxAdminCommandBytes, 'c')})));
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{std::string(kMaxAdminPasswordBytes + 1, 'p'), "status"})),
              LobbyDecodeError::BadText);
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{"pw", std::string(kMaxAdminCommandBytes + 1, 'c')})),
              LobbyDecodeError::BadText);
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{"pw", ""})), LobbyDecodeError::BadText) << "no command";
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{"pw", "   "})), LobbyDecodeError::BadText);
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{"pw", "say a\nquit"})), LobbyDecodeError::BadText)
        << "one line";
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{"p\x01w", "status"})), LobbyDecodeError::BadText);
    EXPECT_EQ(client_error(encode_client_message(AdminCommand{"pw", "kick \xff"})), LobbyDecodeError::BadText)
        << "not UTF-8";
    const auto server_error = [](const ServerMessage& m) {
        auto r = decode_server_message(encode_server_message(m));
        return r ? LobbyDecodeError::Empty : r.error().error;
    };
    EXPECT_EQ(server_error(AdminReply{true, std::string(kMaxAdminReplyBytes, 'x')}), LobbyDecodeError::Empty);
    EXPECT_EQ(server_error(AdminReply{true, std::string(kMaxAdminReplyBytes + 1, 'x')}), LobbyDecodeError::BadText);
    EXPECT_EQ(server_error(AdminReply{true, "a\tb"}), LobbyDecodeError::BadText) << "newlines only";
    EXPECT_EQ(server_error(AdminReply{true, "a\r\nb"}), LobbyDecodeError::BadText);
}

TEST(LobbyCodecRanges, StatsAnswersAreChecked) {
    const auto server_error = [](const ServerMessage& m) {
        auto r = decode_server_message(encode_server_message(m));
        return r ? LobbyDecodeError::Empty : r.error().error;
    };
    Stats stats{true, {}, 1};
    stats.players.assign(kMaxStatsPage + 1, PlayerStats{"p", 1, 1, 1, 1, 1, 1, 1});
    EXPECT_EQ(server_error(stats), LobbyDecodeError::OutOfRange);
    EXPECT_EQ(server_error(Stats{true, {{"p", 1, 1, 2, 0, 0, 0, 0}}, 1}), LobbyDecodeError::OutOfRange) << "wins > matches";
    EXPECT_EQ(server_error(Stats{true, {{"p", 1, 1, 1, 0, 0, 3, 4}}, 1}), LobbyDecodeError::OutOfRange) << "hits > shots";
    EXPECT_EQ(server_error(Stats{true, {{"", 1, 1, 1, 0, 0, 0, 0}}, 1}), LobbyDecodeError::BadName);
    const MatchSummary good{1, "arena", MatchEndReason::TimeLimit, 1, 1.0f, {{"p", 0, 0, 1, 1, false}}};
    RecentMatches recent{true, {}, 1};
    recent.matches.assign(kMaxMatchesPage + 1, good);
    EXPECT_EQ(server_error(recent), LobbyDecodeError::OutOfRange);
    MatchSummary crowded = good;
    crowded.players.assign(17, MatchLine{"p", 0, 0, 0, 0, false});
    EXPECT_EQ(server_error(RecentMatches{true, {crowded}, 1}), LobbyDecodeError::OutOfRange);
    MatchSummary bad_reason = good;
    bad_reason.reason = static_cast<MatchEndReason>(9);
    EXPECT_EQ(server_error(RecentMatches{true, {bad_reason}, 1}), LobbyDecodeError::OutOfRange);
    MatchSummary bad_time = good;
    bad_time.duration_s = -1.0f;
    EXPECT_EQ(server_error(RecentMatches{true, {bad_time}, 1}), LobbyDecodeError::OutOfRange);
    MatchSummary bad_map = good;
    bad_map.map = "";
    EXPECT_EQ(server_error(RecentMatches{true, {bad_map}, 1}), LobbyDecodeError::OutOfRange);
    MatchSummary bad_hits = good;
    bad_hits.players[0].hits = 2;
    EXPECT_EQ(server_error(RecentMatches{true, {bad_hits}, 1}), LobbyDecodeError::OutOfRange);
}

// --- text helpers ----------------------------------------------------------------------

TEST(LobbyText, RemovesControlCharacters) {
    EXPECT_EQ(remove_control_characters("a\x01" "b\nc\x7f" "d\xc2\x85" "e\xe2\x80\xae" "f"), "abcdef");
    EXPECT_EQ(remove_control_characters("Zoë ✓"), "Zoë ✓");
    EXPECT_EQ(remove_control_characters("\n\t"), "");
}

TEST(LobbyText, ValidatesUtf8) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x99\x82")); // U+1F642
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));    // a surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));        // truncated
}

TEST(MatchRules, LagCompensationNeedsTheRoomAndTheServer) {
    // The room's setting, applied per match on the server: on only when the
    // room asks for it and the server's configured rules allow it.
    MatchSettings room;
    skirmish::sim::Rules server;
    EXPECT_TRUE(match_rules(room, 60, server).lag_compensation);
    room.lag_compensation = false;
    EXPECT_FALSE(match_rules(room, 60, server).lag_compensation);
    room.lag_compensation = true;
    server.lag_compensation = false; // --lag-compensation off
    EXPECT_FALSE(match_rules(room, 60, server).lag_compensation);
    EXPECT_TRUE(validate_settings(settings_on("arena")).has_value()) << "off is a valid room setting";
}

TEST(LobbyCodecRanges, LagCompensationIsCarriedInEveryMessageWithSettings) {
    MatchSettings off = settings_on("arena");
    RoomState state{7, "room", off, 1, RoomPhase::Waiting, {{1, "alice", true, false}}, std::nullopt};
    auto back = decode_server_message(encode_server_message(state));
    ASSERT_TRUE(back.has_value());
    EXPECT_FALSE(std::get<RoomState>(*back).settings.lag_compensation) << "shown in the room to everyone";
    off.lag_compensation = true;
    state.settings = off;
    back = decode_server_message(encode_server_message(state));
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(std::get<RoomState>(*back).settings.lag_compensation);
}
