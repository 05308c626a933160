// The demo records: every value written comes back, inputs are coded as what
// changed per player, and records that cannot be true are refused by name.
#include "shared/demo/demo_format.hpp"
#include "shared/demo/player_fields.hpp"
#include "shared/util/rng.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace skirmish::demo;

namespace {

DemoHeader sample_header() {
    DemoHeader h;
    h.protocol_version = 2;
    h.rules_version = 1;
    h.server_version = "0.1.0";
    h.match_id = 42;
    h.room_id = 7;
    h.started_unix_ms = 1717171717171;
    h.snapshot_rate_hz = 30;
    h.settings.map = "wall";
    h.settings.max_players = 4;
    h.settings.frag_limit = 15;
    h.settings.time_limit_s = 120;
    h.settings.join_in_progress = false;
    h.rules.tick_rate_hz = 128;
    h.rules.friction = 7.5f;
    h.rules.lag_compensation = false;
    h.rules.max_rewind_ms = 150;
    h.rules.spawn_protection_s = 0.75f;
    h.history_ticks = 136;
    h.seed = 99;
    h.state_interval_ticks = 64;
    h.map = *test::wall_map();
    return h;
}

std::vector<std::uint8_t> encode(DemoCodec& codec, const DemoEvent& event, DemoRecordType& type) {
    ByteWriter out;
    type = codec.encode(event, out);
    return out.bytes();
}

} // namespace

TEST(DemoFormat, HeaderRoundTripsEveryField) {
    const DemoHeader h = sample_header();
    auto back = decode_header(encode_header(h));
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->server_version, h.server_version);
    EXPECT_EQ(back->match_id, 42u);
    EXPECT_EQ(back->room_id, 7u);
    EXPECT_EQ(back->started_unix_ms, h.started_unix_ms);
    EXPECT_EQ(back->settings, h.settings);
    EXPECT_EQ(back->history_ticks, 136u);
    EXPECT_EQ(back->seed, 99u);
    EXPECT_EQ(back->state_interval_ticks, 64u);
    EXPECT_EQ(back->map, h.map);
    int fields = 0;
    visit_rules(h.rules, [&](std::string_view name, const auto& value) {
        visit_rules(back->rules, [&](std::string_view other, const auto& got) {
            if (other == name) {
                EXPECT_EQ(static_cast<double>(got), static_cast<double>(value)) << name;
                ++fields;
            }
        });
    });
    EXPECT_EQ(fields, static_cast<int>(kRulesFieldCount));
}

TEST(DemoFormat, HeaderWithImpossibleValuesIsRefused) {
    DemoHeader h = sample_header();
    h.map.spawns.clear();
    auto no_spawns = decode_header(encode_header(h));
    ASSERT_FALSE(no_spawns);
    EXPECT_NE(no_spawns.error().find("spawn"), std::string::npos) << no_spawns.error();

    h = sample_header();
    h.rules.tick_rate_hz = 1000;
    auto fast = decode_header(encode_header(h));
    ASSERT_FALSE(fast);
    EXPECT_NE(fast.error().find("tick_rate_hz"), std::string::npos) << fast.error();

    std::vector<std::uint8_t> bytes = encode_header(sample_header());
    for (std::size_t cut = 0; cut < bytes.size(); ++cut)
        EXPECT_FALSE(decode_header({bytes.data(), cut})) << "cut at " << cut;
    bytes.push_back(0);
    EXPECT_FALSE(decode_header(bytes));
}

TEST(DemoFormat, InputsRoundTripThroughChangeCoding) {
    DemoCodec writer, reader;
    util::Rng rng(5);
    DemoRecordType type{};
    for (std::uint32_t id : {3u, 8u, 12u}) {
        const auto bytes = encode(writer, JoinEvent{0, id, "p" + std::to_string(id), 2, 1}, type);
        ASSERT_TRUE(reader.decode(static_cast<std::uint8_t>(type), bytes));
    }
    std::size_t total_bytes = 0;
    for (sim::Tick tick = 0; tick < 2000; ++tick) {
        TickEvent e;
        e.tick = tick;
        e.step_hash = static_cast<std::uint16_t>(rng.next_u32());
        for (std::uint32_t id : {3u, 8u, 12u}) {
            RecordedInput r;
            r.input.player = sim::PlayerId{id};
            // Mostly steady, sometimes changing: what players do.
            r.input.move_x = static_cast<std::int8_t>(rng.below(4) == 0 ? static_cast<int>(rng.below(255)) - 127 : 127);
            r.input.aim = static_cast<std::uint16_t>(tick / 3 % 4096);
            r.input.buttons = static_cast<std::uint8_t>(rng.below(10) == 0 ? 1 : 0);
            r.input.view_tick = tick > 6 ? tick - 6 + rng.below(2) : 0;
            r.input.view_fraction = static_cast<std::uint8_t>(rng.below(3) * 80);
            r.source = static_cast<InputSource>(rng.below(3));
            e.inputs.push_back(r);
        }
        const auto bytes = encode(writer, e, type);
        total_bytes += bytes.size();
        auto back = reader.decode(static_cast<std::uint8_t>(type), bytes);
        ASSERT_TRUE(back) << back.error();
        const auto& got = std::get<TickEvent>(*back);
        ASSERT_EQ(got.tick, tick);
        ASSERT_EQ(got.step_hash, e.step_hash);
        ASSERT_EQ(got.inputs.size(), 3u);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(got.inputs[i].input, e.inputs[i].input) << "tick " << tick;
            EXPECT_EQ(got.inputs[i].source, e.inputs[i].source);
        }
    }
    // Change coding: well under the 15 bytes a raw input would take.
    EXPECT_LT(total_bytes / 2000 / 3, 8u);
}

TEST(DemoFormat, StateEndAndScoreboardRoundTrip) {
    DemoCodec writer, reader;
    StateCheck state;
    state.tick = 600;
    state.phase = sim::MatchPhase::Over;
    state.hash = 0x0123456789abcdefULL;
    sim::Player p;
    p.id = sim::PlayerId{4};
    p.position = {512.125f, 33.5f};
    p.velocity = {-280.25f, 4.0f};
    p.aim = 4095;
    p.health = -3;
    p.alive = true;
    p.respawn_tick = 1;
    p.next_fire_tick = 0xfffffffe;
    p.next_dash_tick = 3;
    p.dash_end_tick = 4;
    p.protected_until_tick = 0xfffffff0;
    p.frags = -5;
    p.deaths = 32767;
    p.hits = 9;
    state.players = {p};
    DemoRecordType type{};
    auto bytes = encode(writer, state, type);
    EXPECT_EQ(bytes.size(), 4 + 1 + 8 + 1 + kPlayerStateBytes);
    auto back = reader.decode(static_cast<std::uint8_t>(type), bytes);
    ASSERT_TRUE(back) << back.error();
    const auto& got = std::get<StateCheck>(*back);
    EXPECT_EQ(got.hash, state.hash);
    EXPECT_EQ(got.phase, sim::MatchPhase::Over);
    ASSERT_EQ(got.players.size(), 1u);
    EXPECT_EQ(got.players[0], p);

    bytes = encode(writer, EndEvent{600, protocol::MatchEndReason::TimeLimit, true}, type);
    auto end = reader.decode(static_cast<std::uint8_t>(type), bytes);
    ASSERT_TRUE(end);
    EXPECT_TRUE(std::get<EndEvent>(*end).by_rules);

    Scoreboard s;
    s.ticks = 600;
    s.results.reason = protocol::MatchEndReason::FragLimit;
    s.results.scores = {{4, "four", 20, 3}, {9, "nine", 1, 12}};
    bytes = encode(writer, s, type);
    auto board = reader.decode(static_cast<std::uint8_t>(type), bytes);
    ASSERT_TRUE(board);
    EXPECT_EQ(std::get<Scoreboard>(*board).results.scores, s.results.scores);
}

TEST(DemoFormat, RecordsThatCannotBeTrueAreRefused) {
    DemoCodec codec;
    ByteWriter w;
    // Inputs for one player while nobody is in the world.
    w.u32(0);
    w.u8(1);
    w.u8(0);
    w.u16(0);
    auto lonely = codec.decode(static_cast<std::uint8_t>(DemoRecordType::Tick), w.bytes());
    ASSERT_FALSE(lonely);
    EXPECT_NE(lonely.error().find("0 are in the world"), std::string::npos) << lonely.error();

    DemoRecordType type{};
    const auto join = encode(codec, JoinEvent{0, 5, "five", 0, 0}, type);
    DemoCodec reader;
    ASSERT_TRUE(reader.decode(static_cast<std::uint8_t>(type), join));
    auto twice = reader.decode(static_cast<std::uint8_t>(type), join);
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().find("joins twice"), std::string::npos);

    w.clear();
    w.u32(0);
    w.u32(77);
    auto stranger = reader.decode(static_cast<std::uint8_t>(DemoRecordType::Leave), w.bytes());
    ASSERT_FALSE(stranger);
    EXPECT_NE(stranger.error().find("without having joined"), std::string::npos);

    w.clear();
    w.u32(0);
    w.u8(1);
    w.u8(0x80); // a reserved flag
    w.u16(0);
    EXPECT_FALSE(reader.decode(static_cast<std::uint8_t>(DemoRecordType::Tick), w.bytes()));
    EXPECT_FALSE(reader.decode(99, {}));
    EXPECT_FALSE(reader.decode(static_cast<std::uint8_t>(DemoRecordType::Header), {}));
    w.clear();
    w.u32(0);
    w.u8(9); // an unknown end reason
    w.u8(0);
    EXPECT_FALSE(reader.decode(static_cast<std::uint8_t>(DemoRecordType::End), w.bytes()));
}
