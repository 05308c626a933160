// Files of format 1 (docs/DEMO.md, "Format 1"), written before spawn
// protection: a 47-byte player state without protected_until_tick and rules
// without spawn_protection_s, both read as 0. A demo of the old corpus reads
// to its scoreboard; headers that mix the two formats, or name a rule twice,
// are refused by name; view records of format 1 read too.
#include "shared/demo/demo_reader.hpp"
#include "shared/demo/player_fields.hpp"
#include "shared/demo/replay.hpp"
#include "shared/demo/view_format.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace skirmish;
using namespace skirmish::demo;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Where protected_until_tick sits in a player state of format 2: after the id
// (4), positions and velocities (16), aim and health (4), alive (1) and four ticks (16).
constexpr std::ptrdiff_t kProtectedAt = 41;

sim::Player sample_player() {
    sim::Player p;
    p.id = sim::PlayerId{7};
    p.position = {100.5f, 200.25f};
    p.velocity = {-35.5f, 4.0f};
    p.aim = 1234;
    p.health = 75;
    p.alive = true;
    p.respawn_tick = 11;
    p.next_fire_tick = 12;
    p.next_dash_tick = 13;
    p.dash_end_tick = 14;
    p.frags = 3;
    p.deaths = 4;
    p.hits = 5;
    return p;
}

// `player` as format 1 writes it: format 2's bytes without protected_until_tick.
Bytes format_1_player(const sim::Player& player) {
    ByteWriter out;
    write_player(out, player);
    Bytes bytes = out.bytes();
    bytes.erase(bytes.begin() + kProtectedAt, bytes.begin() + kProtectedAt + 4);
    return bytes;
}

// The position of a rules entry (u8 name length, name, u8 kind, 4 bytes) in a header.
std::ptrdiff_t rule_at(const Bytes& header, std::string_view name) {
    Bytes key{static_cast<std::uint8_t>(name.size())};
    key.insert(key.end(), name.begin(), name.end());
    const auto it = std::search(header.begin(), header.end(), key.begin(), key.end());
    EXPECT_NE(it, header.end()) << name;
    return it - header.begin();
}

std::ptrdiff_t rule_bytes(std::string_view name) { return 1 + static_cast<std::ptrdiff_t>(name.size()) + 1 + 4; }

DemoHeader format_1_sample_header() {
    DemoHeader h;
    h.protocol_version = 3;
    h.rules_version = 1;
    h.server_version = "0.1.0";
    h.match_id = 42;
    h.snapshot_rate_hz = 30;
    h.settings.map = "wall";
    h.history_ticks = 70;
    h.state_interval_ticks = 60;
    h.map = *test::wall_map();
    return h;
}

// format_1_sample_header() as format 1 writes it: one rule fewer, no spawn_protection_s.
Bytes format_1_header() {
    Bytes bytes = encode_header(format_1_sample_header());
    const std::ptrdiff_t count_at = rule_at(bytes, "tick_rate_hz") - 1;
    EXPECT_EQ(bytes[static_cast<std::size_t>(count_at)], kRulesFieldCount);
    bytes[static_cast<std::size_t>(count_at)] = static_cast<std::uint8_t>(kRulesFieldCount - 1);
    const std::ptrdiff_t at = rule_at(bytes, kRuleAddedInFormat2);
    bytes.erase(bytes.begin() + at, bytes.begin() + at + rule_bytes(kRuleAddedInFormat2));
    return bytes;
}

} // namespace

TEST(DemoFormatOne, PlayerStateHasNoProtectionFieldWhichReadsAsZero) {
    EXPECT_EQ(player_state_bytes(1), 47u);
    EXPECT_EQ(player_state_bytes(2), kPlayerStateBytes);
    sim::Player p = sample_player();
    p.protected_until_tick = 90;
    const Bytes bytes = format_1_player(p);
    ASSERT_EQ(bytes.size(), 47u);
    ByteReader in(bytes);
    const sim::Player back = read_player(in, 1);
    EXPECT_TRUE(in.done());
    EXPECT_FALSE(in.failed());
    p.protected_until_tick = 0;
    EXPECT_EQ(back, p);
}

TEST(DemoFormatOne, HeaderRulesLackSpawnProtectionWhichReadsAsZero) {
    const Bytes old = format_1_header();
    auto back = decode_header(old, 1);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->rules.spawn_protection_s, 0.0f);
    EXPECT_EQ(back->rules.friction, sim::Rules{}.friction);
    EXPECT_EQ(back->map, format_1_sample_header().map);

    auto as_new = decode_header(old);
    ASSERT_FALSE(as_new);
    EXPECT_NE(as_new.error().find("19 rules fields; format 2 has exactly 20"), std::string::npos) << as_new.error();
    auto new_as_old = decode_header(encode_header(format_1_sample_header()), 1);
    ASSERT_FALSE(new_as_old);
    EXPECT_NE(new_as_old.error().find("'spawn_protection_s' is unknown to this build in format 1"), std::string::npos)
        << new_as_old.error();
}

TEST(DemoFormat, ARuleNamedTwiceIsRefused) {
    // Format 1's nineteen rules and friction again: twenty entries, the count
    // of format 2, but spawn_protection_s missing.
    Bytes bytes = format_1_header();
    const std::ptrdiff_t count_at = rule_at(bytes, "tick_rate_hz") - 1;
    bytes[static_cast<std::size_t>(count_at)] = static_cast<std::uint8_t>(kRulesFieldCount);
    const std::ptrdiff_t at = rule_at(bytes, "friction");
    const Bytes entry(bytes.begin() + at, bytes.begin() + at + rule_bytes("friction"));
    bytes.insert(bytes.begin() + at, entry.begin(), entry.end());
    auto twice = decode_header(bytes);
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().find("'friction' appears twice"), std::string::npos) << twice.error();
}

TEST(DemoFormatOne, StateRecordsReadWithFortySevenBytePlayers) {
    ByteWriter w;
    w.u32(60);
    w.u8(0);
    w.u64(0x1122334455667788ULL);
    w.u8(1);
    Bytes bytes = w.bytes();
    const Bytes player = format_1_player(sample_player());
    bytes.insert(bytes.end(), player.begin(), player.end());
    DemoCodec old(1);
    auto state = old.decode(static_cast<std::uint8_t>(DemoRecordType::State), bytes);
    ASSERT_TRUE(state) << state.error();
    ASSERT_EQ(std::get<StateCheck>(*state).players.size(), 1u);
    EXPECT_EQ(std::get<StateCheck>(*state).players[0], sample_player());
    DemoCodec current;
    EXPECT_FALSE(current.decode(static_cast<std::uint8_t>(DemoRecordType::State), bytes)) << "4 bytes short in format 2";
}

TEST(DemoFormatOne, TheCorpusDemoOfRulesVersionOneReadsToItsScoreboard) {
    const auto path = test::source_dir() / "tests" / "data" / "demo_format_1" / "bots-30hz.skdemo";
    auto reader = DemoReader::open(path);
    ASSERT_TRUE(reader) << reader.error();
    EXPECT_EQ(reader->header().rules_version, 1u);
    EXPECT_EQ(reader->header().rules.spawn_protection_s, 0.0f);
    EXPECT_EQ(reader->header().rules.tick_rate_hz, 30);
    EXPECT_NE(rules_difference(reader->header()).find("rules version 1"), std::string::npos);
    int players_in_states = 0, ticks = 0;
    while (auto event = reader->next()) {
        ticks += std::holds_alternative<TickEvent>(*event);
        if (const auto* state = std::get_if<StateCheck>(&*event)) {
            for (const sim::Player& p : state->players) {
                ++players_in_states;
                EXPECT_EQ(p.protected_until_tick, 0u);
            }
        }
    }
    EXPECT_EQ(reader->ending(), Ending::Complete) << reader->ending_text();
    EXPECT_GT(ticks, 100);
    EXPECT_GE(players_in_states, 8) << "four bots in at least two full states";
}

TEST(ViewFormatOne, SnapshotsAndPredictionsReadWithoutProtection) {
    const sim::Player p = sample_player();
    ViewSnapshot snapshot;
    snapshot.time_us = 1000;
    snapshot.header = {40, 38, 39, 2, 41};
    snapshot.state.tick = 40;
    snapshot.state.players = {p};
    ByteWriter out;
    ASSERT_EQ(encode_view_event(snapshot, out), ViewRecordType::Snapshot);
    Bytes bytes = out.bytes();
    const std::ptrdiff_t player_at = static_cast<std::ptrdiff_t>(bytes.size() - kPlayerStateBytes);
    bytes.erase(bytes.begin() + player_at + kProtectedAt, bytes.begin() + player_at + kProtectedAt + 4);
    auto back = decode_view_event(static_cast<std::uint8_t>(ViewRecordType::Snapshot), bytes, 1);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(std::get<ViewSnapshot>(*back).state.players, snapshot.state.players);
    EXPECT_FALSE(decode_view_event(static_cast<std::uint8_t>(ViewRecordType::Snapshot), bytes));

    ViewInput input;
    input.tick = 44;
    input.input.player = p.id;
    input.predicted = p;
    ASSERT_EQ(encode_view_event(input, out), ViewRecordType::Input);
    bytes = out.bytes();
    bytes.erase(bytes.end() - static_cast<std::ptrdiff_t>(kPlayerStateBytes) + kProtectedAt,
                bytes.end() - static_cast<std::ptrdiff_t>(kPlayerStateBytes) + kProtectedAt + 4);
    auto old_input = decode_view_event(static_cast<std::uint8_t>(ViewRecordType::Input), bytes, 1);
    ASSERT_TRUE(old_input) << old_input.error();
    EXPECT_EQ(std::get<ViewInput>(*old_input).predicted, p);
}
