// shared/demo/player_fields.hpp
//
// One description of a player's state as demos and view files store it
// (docs/DEMO.md, "Player state"): every sim::Player field on the sim's grid,
// in a fixed order and width. The same table writes, reads, compares (which
// field differs, for skirmish-replay verify) and prints it, and
// visit_rules() does the same for the sim::Rules a demo carries.
//
// Format version 2 of both kinds of file (record_file.hpp) added
// protected_until_tick to the player state and spawn_protection_s to the
// rules; a file of format 1 reads with them at 0 (the rules had no spawn
// protection then).
//
// IMPORTANT: read_player() reads untrusted bytes; a short record sets the
// reader's failed() and the caller rejects the record.
#pragma once

#include "shared/demo/byte_io.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/world.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::demo {

struct PlayerField {
    std::string_view name;
    int bytes;     // 1, 2 or 4 on file
    bool is_signed;
    float scale;   // grid steps per unit: the stored integer is value * scale
    std::int64_t (*get)(const sim::Player&);
    void (*set)(sim::Player&, std::int64_t);
    std::uint16_t since_format = 1; // the file format version that added it (absent, so 0, before)
};

// The file format version whose layout write_player() and write_rules() write:
// kDemoFormatVersion and kViewFormatVersion are this.
inline constexpr std::uint16_t kPlayerStateFormat = 2;

// Everything but the id (which comes first, as a u32), in file order.
extern const std::array<PlayerField, 15> kPlayerFields;
inline constexpr std::size_t kPlayerStateBytes = 51; // id + the fields above (47 in format 1)
std::size_t player_state_bytes(std::uint16_t format);

void write_player(ByteWriter& out, const sim::Player& player);
// `format`: the file's format version; fields it did not have read as 0.
sim::Player read_player(ByteReader& in, std::uint16_t format = kPlayerStateFormat);

struct FieldDifference {
    std::string_view field;
    std::int64_t recorded = 0;   // on the grid
    std::int64_t replayed = 0;
    float scale = 1.0f;
    // "position.x: recorded 512.125, re-simulated 512.25"
    std::string describe() const;
};
std::vector<FieldDifference> compare_players(const sim::Player& recorded, const sim::Player& replayed);

// The sim::Rules fields a demo carries, by name: visit(name, int&|float&|bool&).
template <typename R, typename F>
void visit_rules(R& r, F&& visit) {
    visit("tick_rate_hz", r.tick_rate_hz);
    visit("player_radius", r.player_radius);
    visit("max_speed", r.max_speed);
    visit("acceleration", r.acceleration);
    visit("friction", r.friction);
    visit("stop_speed", r.stop_speed);
    visit("dash_speed", r.dash_speed);
    visit("dash_duration_s", r.dash_duration_s);
    visit("dash_cooldown_s", r.dash_cooldown_s);
    visit("rifle_range", r.rifle_range);
    visit("rifle_damage", r.rifle_damage);
    visit("fire_cooldown_s", r.fire_cooldown_s);
    visit("max_health", r.max_health);
    visit("respawn_delay_s", r.respawn_delay_s);
    visit("spawn_protection_s", r.spawn_protection_s);
    visit("frag_limit", r.frag_limit);
    visit("time_limit_s", r.time_limit_s);
    visit("lag_compensation", r.lag_compensation);
    visit("max_rewind_ms", r.max_rewind_ms);
    visit("max_interp_ms", r.max_interp_ms);
}
inline constexpr std::size_t kRulesFieldCount = 20;
// The one rule format 1 lacks: a file of format 1 has kRulesFieldCount - 1
// fields and reads with it at 0 (rules version 1 had no spawn protection).
inline constexpr std::string_view kRuleAddedInFormat2 = "spawn_protection_s";

} // namespace skirmish::demo
