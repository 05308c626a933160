// The one text rule (shared/protocol/text_rules.hpp) and every decoder's use of
// it: each string field of each message, given a NUL, a control character or
// bytes that are not UTF-8, makes its message refused; clean text passes; and
// the encoders keep a NUL in rather than cut the string there (issue 10 item 10).
#include "shared/protocol/text_rules.hpp"

#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/protocol/version.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

using namespace skirmish;
using namespace skirmish::protocol;

namespace {

using namespace std::string_literals;

constexpr float kRadius = 14.0f;

// Each breaks the rule differently; "ok" + bad + "ok" stays within every cap.
const std::vector<std::string> kBadTexts = {
    "ab\0cd"s,             // NUL
    "ab\x01" "cd",         // C0
    "ab\ncd",              // newline
    "ab\x7f" "cd",         // DEL
    "ab\xc2\x85" "cd",     // C1 (NEL)
    "ab\xe2\x80\xae" "cd", // right-to-left override
    "ab\xff" "cd",         // not UTF-8
    "ab\xc0\xaf" "cd",     // overlong
    "ab\xed\xa0\x80" "cd", // surrogate
    "ab\xe2\x82",          // truncated sequence
};

MatchResults results_with_name(const std::string& name) {
    MatchResults r;
    r.match_id = 1;
    r.room_id = 2;
    r.duration_s = 60;
    r.scores = {{1, "alice", 3, 1}, {2, name, 1, 3}};
    return r;
}

MatchSettings settings_with_map(const std::string& map) {
    MatchSettings s;
    s.map = map;
    return s;
}

sim::Map map_named(const std::string& name) {
    sim::Map m;
    m.name = name;
    m.width = 512;
    m.height = 512;
    m.spawns = {{50, 50}};
    return m;
}

// One string field of one message: builds the message with `text` in that
// field and says whether its decoder takes it.
struct Field {
    std::string name;
    std::function<bool(const std::string&)> accepts;
};

bool client_takes(const lobby::ClientMessage& m) {
    return lobby::decode_client_message(lobby::encode_client_message(m)).has_value();
}
bool server_takes(const lobby::ServerMessage& m) {
    return lobby::decode_server_message(lobby::encode_server_message(m)).has_value();
}
bool control_takes(const ServerControl& m) { return decode_server_control(encode_control(m), kRadius).has_value(); }

Accepted accepted_with(const std::string& settings_map, const std::string& map_name) {
    Accepted a;
    a.player_id = 1;
    a.match_id = 1;
    a.tick_rate_hz = 60;
    a.snapshot_rate_hz = 30;
    a.settings = settings_with_map(settings_map);
    a.map = map_named(map_name);
    return a;
}

std::vector<Field> every_string_field() {
    using namespace lobby;
    const auto room = [](const std::string& name, const std::string& map, const std::string& member,
                         const std::string& score) {
        return RoomState{7, name, settings_with_map(map), 1, RoomPhase::Waiting, {{1, member, false, false}},
                         results_with_name(score)};
    };
    const auto summary = [](const std::string& name, const std::string& map) {
        return RoomList{{{7, name, settings_with_map(map), 1, RoomPhase::Waiting}}, 1};
    };
    return {
        {"Hello.name", [](const std::string& t) { return client_takes(Hello{kProtocolVersion, t}); }},
        {"Hello.password", [](const std::string& t) { return client_takes(Hello{kProtocolVersion, "a", t}); }},
        {"CreateRoom.name", [](const std::string& t) { return client_takes(CreateRoom{t, MatchSettings{}}); }},
        {"CreateRoom.settings.map", [](const std::string& t) { return client_takes(CreateRoom{"r", settings_with_map(t)}); }},
        {"Welcome.server_name", [](const std::string& t) { return server_takes(Welcome{1, t, 1, {"arena"}, 60, 30, 60}); }},
        {"Welcome.maps", [](const std::string& t) { return server_takes(Welcome{1, "s", 1, {"arena", t}, 60, 30, 60}); }},
        {"Welcome.motd", [](const std::string& t) {
             return server_takes(Welcome{1, "s", 1, {"arena"}, 60, 30, 60, {"first line", t}});
         }},
        {"Error.text", [](const std::string& t) { return server_takes(Error{ErrorCode::RoomFull, t, MessageKind::None}); }},
        {"RoomSummary.name", [=](const std::string& t) { return server_takes(summary(t, "arena")); }},
        {"RoomSummary.settings.map", [=](const std::string& t) { return server_takes(summary("r", t)); }},
        {"RoomState.name", [=](const std::string& t) { return server_takes(room(t, "arena", "m", "p")); }},
        {"RoomState.settings.map", [=](const std::string& t) { return server_takes(room("r", t, "m", "p")); }},
        {"Member.name", [=](const std::string& t) { return server_takes(room("r", "arena", t, "p")); }},
        {"RoomState.last_results PlayerScore.name", [=](const std::string& t) { return server_takes(room("r", "arena", "m", t)); }},
        {"ChatMessage.from_name", [](const std::string& t) { return server_takes(ChatMessage{7, 1, t, "hi"}); }},
        {"ChatMessage.from_name (server)", [](const std::string& t) { return server_takes(ChatMessage{7, 0, t, "hi"}); }},
        {"ChatMessage.text", [](const std::string& t) { return server_takes(ChatMessage{7, 1, "a", t}); }},
        {"MatchStart.game_address", [](const std::string& t) {
             return server_takes(MatchStart{t, 7777, std::vector<std::uint8_t>(94, 1), 1, 1, MatchSettings{}, false});
         }},
        {"MatchStart.settings.map", [](const std::string& t) {
             return server_takes(MatchStart{"", 7777, std::vector<std::uint8_t>(94, 1), 1, 1, settings_with_map(t), false});
         }},
        {"MatchEnded PlayerScore.name", [](const std::string& t) { return server_takes(MatchEnded{results_with_name(t)}); }},
        {"Accepted.settings.map", [](const std::string& t) { return control_takes(accepted_with(t, "arena")); }},
        {"Accepted.map.name", [](const std::string& t) { return control_takes(accepted_with("arena", t)); }},
        {"Rejected.text", [](const std::string& t) { return control_takes(Rejected{RejectReason::MatchFull, t}); }},
        {"PlayerJoined.name", [](const std::string& t) { return control_takes(PlayerJoined{5, t}); }},
        {"MatchOver PlayerScore.name", [](const std::string& t) { return control_takes(MatchOver{9, results_with_name(t)}); }},
        {"ServerShutdown.text", [](const std::string& t) { return control_takes(ServerShutdown{t}); }},
        {"decode_map name", [](const std::string& t) { return decode_map(encode_map(map_named(t)), kRadius).has_value(); }},
    };
}

} // namespace

TEST(TextRules, EveryStringFieldRefusesNulControlCharactersAndBadUtf8) {
    for (const Field& field : every_string_field()) {
        EXPECT_TRUE(field.accepts("ok text")) << field.name << " refuses clean text";
        EXPECT_TRUE(field.accepts("Zoë ✓")) << field.name << " refuses non-ASCII text";
        for (const std::string& bad : kBadTexts) {
            EXPECT_FALSE(field.accepts(bad)) << field.name << " takes " << testing::PrintToString(bad);
        }
    }
}

TEST(TextRules, NamesMustShowSomething) {
    EXPECT_TRUE(is_valid_text("a b", kPlayerNameText));
    EXPECT_FALSE(is_valid_text("", kPlayerNameText));
    EXPECT_FALSE(is_valid_text("   ", kPlayerNameText));
    EXPECT_TRUE(is_valid_text("", free_text(10)));
    EXPECT_TRUE(is_valid_text("   ", free_text(10)));
    EXPECT_FALSE(is_valid_text("", free_text(10, 1)));
}

TEST(TextRules, LengthCapsAreInBytesPerKind) {
    EXPECT_TRUE(is_valid_text(std::string(kMaxNameBytes, 'n'), kPlayerNameText));
    EXPECT_FALSE(is_valid_text(std::string(kMaxNameBytes + 1, 'n'), kPlayerNameText));
    EXPECT_TRUE(is_valid_text(std::string(kMaxRoomNameBytes, 'r'), kRoomNameText));
    EXPECT_FALSE(is_valid_text(std::string(kMaxRoomNameBytes + 1, 'r'), kRoomNameText));
    EXPECT_TRUE(is_valid_text(std::string(protocol::kMaxMapNameBytes, 'm'), kMapNameText));
    EXPECT_FALSE(is_valid_text(std::string(protocol::kMaxMapNameBytes + 1, 'm'), kMapNameText));
    EXPECT_TRUE(is_valid_text(std::string(11, 'x') + "é", free_text(13)));  // 13 bytes
    EXPECT_FALSE(is_valid_text(std::string(12, 'x') + "é", free_text(13))); // 14 bytes
    static_assert(is_valid_text("abc", kPlayerNameText) && !is_valid_text("a\tb", kPlayerNameText),
                  "the rule is constexpr");
}

TEST(TextRules, TypedChatKeepsControlCharactersForTheServerToRemove) {
    // docs/PROTOCOL.md, "Chat": the one field where control characters pass the
    // codec; the server removes them (tests/server/lobby_flow_test).
    EXPECT_TRUE(client_takes(lobby::Chat{"a\x01" "b"}));
    EXPECT_TRUE(client_takes(lobby::Chat{"ab\0cd"s}));
    EXPECT_FALSE(client_takes(lobby::Chat{"ab\xff" "cd"}));
    EXPECT_FALSE(client_takes(lobby::Chat{""}));
    EXPECT_EQ(remove_control_characters("ab\0cd\n"s), "abcd");
}

TEST(TextRules, EncodersKeepANulForTheDecoderToRefuse) {
    // Before: the encoders wrote C strings, so "ab\0cd" went out as "ab" and a
    // decoder's verdict depended on which side of the NUL it looked.
    auto back = lobby::decode_server_message(lobby::encode_server_message(lobby::MatchEnded{results_with_name("ab\0cd"s)}));
    EXPECT_FALSE(back.has_value());
    EXPECT_FALSE(decode_server_control(encode_control(ServerControl{PlayerJoined{5, "ab\0cd"s}}), kRadius).has_value());
    EXPECT_FALSE(decode_map(encode_map(map_named("ab\0cd"s)), kRadius).has_value());
}

TEST(TextRules, MapFilesHoldTheirNameToTheRule) {
    const auto parse = [](std::string_view json) { return parse_map_json(json, "test.json", kRadius); };
    const std::string_view good = R"({ "name": "tiny", "width": 512, "height": 512, "spawns": [ { "x": 50, "y": 50 } ] })";
    EXPECT_TRUE(parse(good).has_value());
    const auto bad = parse(R"({ "name": "ti\u0001ny", "width": 512, "height": 512, "spawns": [ { "x": 50, "y": 50 } ] })");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().find("map name"), std::string::npos) << bad.error();
    EXPECT_FALSE(parse(R"({ "name": "ti\u0000ny", "width": 512, "height": 512, "spawns": [ { "x": 50, "y": 50 } ] })")
                     .has_value());
    // A NUL byte in the file would end the parser's C string early.
    const std::string with_nul = std::string(good) + "\0 trailing"s;
    const auto cut = parse(with_nul);
    ASSERT_FALSE(cut.has_value());
    EXPECT_NE(cut.error().find("NUL"), std::string::npos) << cut.error();
}
