// docs/RULES.md says what sim::step does: its constants table is compared with
// sim::Rules{} and the other sim constants in both directions, its ticks table
// with Rules::ticks at each listed rate, its worked example is replayed step
// by step, and the rules it calls unexpected are pinned here so the document
// cannot drift from them unnoticed.
#include "server/game/game_config.hpp"
#include "server/game/match.hpp"
#include "shared/sim/map.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules_version.hpp"
#include "shared/sim/step.hpp"
#include "support/doc_tables.hpp"
#include "support/test_maps.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace skirmish;
using namespace skirmish::test;

namespace {

// A field added to sim::Rules must be added to RULES.md's table and to
// rules_constants() below; this size is what tells.
static_assert(sizeof(sim::Rules) == 80, "sim::Rules changed: document the new field in docs/RULES.md and check it here");

std::string str(float v) { return fmt::format("{}", v); }
std::string str(int v) { return fmt::format("{}", v); }
std::string str(std::size_t v) { return fmt::format("{}", v); }
std::string str(std::uint32_t v) { return fmt::format("{}", v); }

std::map<std::string, std::string> rules_constants() {
    const sim::Rules r;
    return {
        {"rules.tick_rate_hz", str(r.tick_rate_hz)},
        {"rules.min_tick_rate_hz", str(sim::kMinTickRateHz)},
        {"rules.max_tick_rate_hz", str(sim::kMaxTickRateHz)},
        {"rules.player_radius", str(r.player_radius)},
        {"rules.max_speed", str(r.max_speed)},
        {"rules.acceleration", str(r.acceleration)},
        {"rules.friction", str(r.friction)},
        {"rules.stop_speed", str(r.stop_speed)},
        {"rules.dash_speed", str(r.dash_speed)},
        {"rules.dash_duration_s", str(r.dash_duration_s)},
        {"rules.dash_cooldown_s", str(r.dash_cooldown_s)},
        {"rules.rifle_range", str(r.rifle_range)},
        {"rules.rifle_damage", str(r.rifle_damage)},
        {"rules.fire_cooldown_s", str(r.fire_cooldown_s)},
        {"rules.max_health", str(r.max_health)},
        {"rules.respawn_delay_s", str(r.respawn_delay_s)},
        {"rules.spawn_protection_s", str(r.spawn_protection_s)},
        {"rules.frag_limit", str(r.frag_limit)},
        {"rules.time_limit_s", str(r.time_limit_s)},
        {"rules.lag_compensation", r.lag_compensation ? "on" : "off"},
        {"rules.max_rewind_ms", str(r.max_rewind_ms)},
        {"rules.max_interp_ms", str(r.max_interp_ms)},
        {"sim.move_axis_max", str(sim::kMoveAxisMax)},
        {"sim.button_fire", str(int{sim::buttons::kFire})},
        {"sim.button_dash", str(int{sim::buttons::kDash})},
        {"sim.aim_steps", str(sim::kAimSteps)},
        {"sim.position_scale", str(sim::kPositionScale)},
        {"sim.velocity_scale", str(sim::kVelocityScale)},
        {"sim.min_arena_size", str(sim::kMinArenaSize)},
        {"sim.max_arena_size", str(sim::kMaxArenaSize)},
        {"sim.max_walls", str(sim::kMaxWalls)},
        {"sim.max_spawns", str(sim::kMaxSpawns)},
        {"sim.max_map_name_bytes", str(sim::kMaxMapNameLength)},
        {"sim.rules_version", str(sim::kRulesVersion)},
        {"server.history_extra_ticks", "8"}, // checked against a real Match below
    };
}

std::vector<std::vector<std::string>> table_rows(const std::string& begin, const std::string& end) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : lines_between(read_doc("RULES.md"), begin, end)) {
        auto row = cells(line);
        if (row.size() < 2 || row[0].empty() || row[0].starts_with("---")) continue;
        rows.push_back(std::move(row));
    }
    if (!rows.empty()) rows.erase(rows.begin()); // the header
    return rows;
}

// "14.75, 500" → {14.75, 500}
sim::Vec2 parse_vec(const std::string& text) {
    const auto comma = text.find(',');
    EXPECT_NE(comma, std::string::npos) << text;
    return {std::stof(text.substr(0, comma)), std::stof(text.substr(comma + 1))};
}

sim::World one_player_world(const sim::Rules& rules, sim::Vec2 spawn) {
    auto map = std::make_shared<sim::Map>();
    map->name = "example";
    map->width = 1000;
    map->height = 1000;
    map->spawns = {spawn};
    sim::World world = sim::make_world(map);
    sim::add_player(world, sim::PlayerId{1}, rules);
    return world;
}

sim::PlayerInput fire_at(sim::PlayerId id, std::uint16_t aim) {
    sim::PlayerInput in;
    in.player = id;
    in.aim = aim;
    in.buttons = sim::buttons::kFire;
    return in;
}

} // namespace

TEST(RulesDoc, ConstantsTableMatchesTheCode) {
    std::map<std::string, std::string> documented;
    for (const auto& row : table_rows("<!-- skirmish-rules: begin -->", "<!-- skirmish-rules: end -->"))
        documented[row[0]] = row[1];
    const auto code = rules_constants();
    for (const auto& [name, value] : code) {
        auto it = documented.find(name);
        if (it == documented.end()) ADD_FAILURE() << name << " = " << value << " is missing from docs/RULES.md";
        else EXPECT_EQ(it->second, value) << name;
    }
    for (const auto& [name, value] : documented)
        EXPECT_TRUE(code.count(name)) << name << " is documented but not checked by this test";
}

TEST(RulesDoc, TheServersRewindIsTheDocumentedOne) {
    // "What the server adds": its matches' max_rewind at the ticks table's rates.
    const server::GameConfig game;
    std::vector<std::string> ticks;
    for (int hz : {10, 20, 30, 60, 64, 100, 128}) {
        sim::Rules rules;
        rules.tick_rate_hz = hz;
        rules.max_rewind_ms = game.max_rewind_ms;
        rules.max_interp_ms = game.max_interp_ms;
        ticks.push_back(std::to_string(rules.max_rewind_ticks()));
    }
    const std::string listed = fmt::format("({}, {}, {}, {}, {}, {} and {} at the rates", ticks[0], ticks[1], ticks[2],
                                           ticks[3], ticks[4], ticks[5], ticks[6]);
    std::string doc; // RULES.md with every run of white space one space
    for (const char c : read_doc("RULES.md")) {
        const bool space = c == ' ' || c == '\n';
        if (!space || (!doc.empty() && doc.back() != ' ')) doc += space ? ' ' : c;
    }
    EXPECT_NE(doc.find("`max_rewind_ms` 300 (`--max-rewind-ms`) and `max_interp_ms` 150"), std::string::npos);
    EXPECT_EQ(game.max_rewind_ms, 300);
    EXPECT_EQ(game.max_interp_ms, 150);
    EXPECT_NE(doc.find("is " + ticks[3] + " ticks at 60 Hz"), std::string::npos);
    EXPECT_NE(doc.find(listed), std::string::npos) << listed;
}

TEST(RulesDoc, TheServerKeepsTheDocumentedHistory) {
    for (int hz : {sim::kMinTickRateHz, 60, sim::kMaxTickRateHz}) {
        server::MatchOrder order;
        order.match_id = protocol::MatchId{1};
        sim::Rules rules;
        rules.tick_rate_hz = hz;
        const server::Match match(order, test::open_map(), rules);
        EXPECT_EQ(match.history_capacity(), static_cast<std::size_t>(hz + 8)) << hz << " Hz";
    }
}

TEST(RulesDoc, TicksTableMatchesRulesTicks) {
    const std::map<std::string, std::function<sim::Tick(const sim::Rules&)>> durations = {
        {"dash_duration_s", [](const sim::Rules& r) { return r.ticks(r.dash_duration_s); }},
        {"dash_cooldown_s", [](const sim::Rules& r) { return r.ticks(r.dash_cooldown_s); }},
        {"fire_cooldown_s", [](const sim::Rules& r) { return r.ticks(r.fire_cooldown_s); }},
        {"respawn_delay_s", [](const sim::Rules& r) { return r.ticks(r.respawn_delay_s); }},
        {"spawn_protection_s", [](const sim::Rules& r) { return r.ticks(r.spawn_protection_s); }},
        {"max_rewind", [](const sim::Rules& r) { return r.max_rewind_ticks(); }},
        {"time_limit_s", [](const sim::Rules& r) { return r.time_limit_ticks(); }},
    };
    const auto lines = lines_between(read_doc("RULES.md"), "<!-- skirmish-rule-ticks: begin -->",
                                     "<!-- skirmish-rule-ticks: end -->");
    ASSERT_GE(lines.size(), 2u);
    const auto header = cells(lines[1]);
    ASSERT_GE(header.size(), 2u);
    std::vector<int> rates;
    for (std::size_t c = 1; c < header.size(); ++c) rates.push_back(std::stoi(header[c])); // "60 Hz" → 60
    std::set<std::string> seen;
    for (const auto& row : table_rows("<!-- skirmish-rule-ticks: begin -->", "<!-- skirmish-rule-ticks: end -->")) {
        auto it = durations.find(row[0]);
        if (it == durations.end()) {
            ADD_FAILURE() << row[0] << " is documented but not checked by this test";
            continue;
        }
        seen.insert(row[0]);
        ASSERT_EQ(row.size(), rates.size() + 1) << row[0];
        for (std::size_t c = 0; c < rates.size(); ++c) {
            sim::Rules rules;
            rules.tick_rate_hz = rates[c];
            EXPECT_EQ(row[c + 1], std::to_string(it->second(rules))) << row[0] << " at " << rates[c] << " Hz";
        }
    }
    EXPECT_EQ(seen.size(), durations.size()) << "a duration of the ticks table is missing";
}

TEST(RulesDoc, WorkedExampleIsWhatStepDoes) {
    const sim::Rules rules;
    sim::World world = one_player_world(rules, {40, 500});
    const auto rows = table_rows("<!-- skirmish-rules-example: begin -->", "<!-- skirmish-rules-example: end -->");
    ASSERT_FALSE(rows.empty());
    sim::Tick next = 0;
    for (const auto& row : rows) {
        ASSERT_EQ(row.size(), 8u) << row[0];
        const auto dash = row[0].find('-');
        const sim::Tick first = static_cast<sim::Tick>(std::stoul(row[0].substr(0, dash)));
        const sim::Tick last =
            dash == std::string::npos ? first : static_cast<sim::Tick>(std::stoul(row[0].substr(dash + 1)));
        ASSERT_EQ(first, next) << "rows must cover consecutive ticks from 0";
        ASSERT_GE(last, first);
        sim::PlayerInput in;
        in.player = sim::PlayerId{1};
        in.move_x = static_cast<std::int8_t>(std::stoi(row[1]));
        in.move_y = static_cast<std::int8_t>(std::stoi(row[2]));
        in.buttons = static_cast<std::uint8_t>(std::stoi(row[3]));
        for (sim::Tick t = first; t <= last; ++t) {
            ASSERT_EQ(world.tick, t);
            sim::step(world, std::span(&in, 1), rules);
        }
        next = last + 1;
        const sim::Player& p = world.players.front();
        EXPECT_EQ(p.position, parse_vec(row[4])) << "ticks " << row[0];
        EXPECT_EQ(p.velocity, parse_vec(row[5])) << "ticks " << row[0];
        EXPECT_EQ(std::to_string(p.dash_end_tick), row[6]) << "ticks " << row[0];
        EXPECT_EQ(std::to_string(p.next_dash_tick), row[7]) << "ticks " << row[0];
    }
}

// --- what RULES.md calls unexpected ---------------------------------------------

TEST(RulesDoc, DeadTimeIsTheRespawnDelayPlusOneTick) {
    sim::Rules rules;
    rules.rifle_damage = rules.max_health;
    sim::World world = sim::make_world(test::open_map());
    test::place(world, rules, sim::PlayerId{1}, {200, 500});
    test::place(world, rules, sim::PlayerId{2}, {400, 500});
    const sim::PlayerInput in = fire_at(sim::PlayerId{1}, 0);
    const sim::Tick death_step = world.tick;
    ASSERT_EQ(sim::step(world, std::span(&in, 1), rules).kills.size(), 1u);
    const sim::Player& victim = *world.find(sim::PlayerId{2});
    EXPECT_EQ(victim.respawn_tick, death_step + 1 + rules.ticks(rules.respawn_delay_s));
    int dead_states = 1; // the state after the killing step
    for (int i = 0; i < 1000 && !world.find(sim::PlayerId{2})->alive; ++i) {
        sim::step(world, {}, rules);
        if (!world.find(sim::PlayerId{2})->alive) ++dead_states;
    }
    EXPECT_EQ(dead_states, static_cast<int>(rules.ticks(rules.respawn_delay_s)) + 1);
    EXPECT_EQ(world.tick, victim.respawn_tick + 1) << "first seen alive in the state after step respawn_tick";
}

TEST(RulesDoc, AHitOnATargetKilledEarlierInTheStepStillCounts) {
    sim::Rules rules;
    rules.rifle_damage = rules.max_health;
    sim::World world = sim::make_world(test::open_map());
    test::place(world, rules, sim::PlayerId{1}, {200, 500});
    test::place(world, rules, sim::PlayerId{2}, {300, 500});
    test::place(world, rules, sim::PlayerId{3}, {400, 500});
    const std::vector<sim::PlayerInput> inputs = {fire_at(sim::PlayerId{1}, 0), fire_at(sim::PlayerId{3}, 2048)};
    const auto events = sim::step(world, inputs, rules);
    ASSERT_EQ(events.kills.size(), 1u);
    EXPECT_EQ(events.kills[0].killer, sim::PlayerId{1});
    EXPECT_EQ(world.find(sim::PlayerId{1})->hits, 1);
    EXPECT_EQ(world.find(sim::PlayerId{3})->hits, 1);
    EXPECT_EQ(world.find(sim::PlayerId{3})->frags, 0);
}

TEST(RulesDoc, ATargetOverlappingTheShooterIsHitWhateverTheAim) {
    // Lag compensation puts the target where it was: on the shooter's spot.
    const sim::Rules rules;
    sim::World world = sim::make_world(test::open_map());
    test::place(world, rules, sim::PlayerId{1}, {200, 500});
    test::place(world, rules, sim::PlayerId{2}, {205, 500});
    sim::PositionHistory history;
    sim::step(world, {}, rules, &history); // tick 0 recorded with the two overlapping
    world.find(sim::PlayerId{2})->position = {600, 500};
    sim::PlayerInput in = fire_at(sim::PlayerId{1}, 2048); // aiming away, to -x
    in.view_tick = 0;
    const auto events = sim::step(world, std::span(&in, 1), rules, &history);
    ASSERT_EQ(events.shots.size(), 1u);
    EXPECT_EQ(events.shots[0].hit, sim::PlayerId{2});
    EXPECT_EQ(events.shots[0].to, events.shots[0].from) << "hit at distance 0";
}

TEST(RulesDoc, ViewTickOfNowChecksTargetsAtTheStartOfTheStep) {
    const sim::Rules rules;
    sim::World world = sim::make_world(test::open_map());
    test::place(world, rules, sim::PlayerId{1}, {200, 500});
    test::place(world, rules, sim::PlayerId{2}, {600, 500});
    // The target runs down at 30 units a tick, dashing (so nothing slows it):
    // out of the line of fire after this step's movement, in it at the start.
    world.find(sim::PlayerId{2})->velocity = {0, 1800};
    world.find(sim::PlayerId{2})->dash_end_tick = 100;
    sim::PositionHistory history;
    sim::PlayerInput in = fire_at(sim::PlayerId{1}, 0);
    in.view_tick = world.tick;
    sim::World without = world;
    EXPECT_EQ(sim::step(world, std::span(&in, 1), rules, &history).shots.at(0).hit, sim::PlayerId{2});
    EXPECT_FALSE(sim::step(without, std::span(&in, 1), rules).shots.at(0).hit.has_value());
}

TEST(RulesDoc, AProtectedPlayerShieldsWhoeverStandsBehindIt) {
    const sim::Rules rules;
    sim::World world = sim::make_world(test::open_map());
    test::place(world, rules, sim::PlayerId{1}, {200, 500});
    test::place(world, rules, sim::PlayerId{2}, {300, 500}).protected_until_tick = world.tick + 10;
    test::place(world, rules, sim::PlayerId{3}, {400, 500});
    const sim::PlayerInput in = fire_at(sim::PlayerId{1}, 0);
    const auto events = sim::step(world, std::span(&in, 1), rules);
    ASSERT_EQ(events.shots.size(), 1u);
    EXPECT_FALSE(events.shots[0].hit.has_value());
    EXPECT_NEAR(events.shots[0].to.x, 300.0f - rules.player_radius, 0.01f) << "the shot ends at the protected player";
    EXPECT_EQ(world.find(sim::PlayerId{1})->hits, 0);
    EXPECT_EQ(world.find(sim::PlayerId{2})->health, rules.max_health);
    EXPECT_EQ(world.find(sim::PlayerId{3})->health, rules.max_health);
}
