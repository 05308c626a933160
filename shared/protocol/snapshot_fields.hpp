// shared/protocol/snapshot_fields.hpp
//
// The one description of every player field a snapshot carries: how it is
// read from and written to a sim::Player as an integer on the wire grid, how
// it is predicted from the baseline, and its Golomb order. The encoder, the
// decoder and the bit accounting all walk this table; adding a field to
// sim::Player without adding it here fails the static_assert below.
// Internal to shared/protocol; documented in docs/PROTOCOL.md, "Field table".
#pragma once

#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/world.hpp"

#include <array>
#include <cstdint>

namespace skirmish::protocol::detail {

// How a field's residual (what is written) relates to its value.
enum class Coding : std::uint8_t {
    Delta,       // value - predicted, zigzag Golomb
    Angle,       // (value - base) wrapped to [-2048, 2047], zigzag Golomb
    Flag,        // a bool: a change is a flip, nothing more is written
    TickOffset,  // value - server_tick, zigzag Golomb (independent of the baseline)
};

struct FieldContext {
    std::int64_t server_tick = 0;
    std::int64_t ticks_since_baseline = 0;
    int tick_rate_hz = 60;
};

struct Field {
    const char* name;
    Coding coding;
    int golomb_k;
    std::int64_t (*get)(const sim::Player&);
    void (*set)(sim::Player&, std::int64_t);
    // The value the decoder expects given the baseline entity (Delta only).
    std::int64_t (*predict)(const sim::Player& base, const FieldContext&);
    // The range a decoded value must fall in (it came from the network).
    std::int64_t min;
    std::int64_t max;
};

inline constexpr std::int64_t kPosLimit = 2 * 4096 * 8; // twice the largest arena, on the 1/8 grid
inline constexpr std::int64_t kVelLimit = 8000 * 4;
inline constexpr std::int64_t kTickMax = 0xffffffffLL;

inline std::int64_t fixed_pos(float v) { return sim::to_fixed(v, sim::kPositionScale); }
inline std::int64_t fixed_vel(float v) { return sim::to_fixed(v, sim::kVelocityScale); }
inline float from_pos(std::int64_t v) { return sim::from_fixed(static_cast<std::int32_t>(v), sim::kPositionScale); }
inline float from_vel(std::int64_t v) { return sim::from_fixed(static_cast<std::int32_t>(v), sim::kVelocityScale); }

// Position predicted by moving the baseline's position at the baseline's
// velocity for the elapsed ticks: a player running straight costs no bits.
// Integer arithmetic so encoder and decoder agree exactly.
inline std::int64_t predict_axis(std::int64_t pos_fixed, std::int64_t vel_fixed, const FieldContext& c) {
    // vel is in 1/4 unit/s, pos in 1/8 unit: 2 * vel_fixed position units per second.
    const std::int64_t num = 2 * vel_fixed * c.ticks_since_baseline;
    const std::int64_t den = c.tick_rate_hz > 0 ? c.tick_rate_hz : 1;
    const std::int64_t q = num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
    return pos_fixed + q;
}

// Angle, Flag and TickOffset fields compare with the baseline value directly.
inline std::int64_t not_predicted(const sim::Player&, const FieldContext&) { return 0; }

// Ordered by how often each field changes, so "last changed field" stays small.
inline constexpr std::array<Field, 15> kPlayerFields = {{
    {"aim", Coding::Angle, 3,
     [](const sim::Player& p) -> std::int64_t { return p.aim; },
     [](sim::Player& p, std::int64_t v) { p.aim = static_cast<std::uint16_t>(v); }, not_predicted, 0, sim::kAimSteps - 1},
    {"position_x", Coding::Delta, 2,
     [](const sim::Player& p) { return fixed_pos(p.position.x); },
     [](sim::Player& p, std::int64_t v) { p.position.x = from_pos(v); },
     [](const sim::Player& b, const FieldContext& c) {
         return predict_axis(fixed_pos(b.position.x), fixed_vel(b.velocity.x), c);
     }, -kPosLimit, kPosLimit},
    {"position_y", Coding::Delta, 2,
     [](const sim::Player& p) { return fixed_pos(p.position.y); },
     [](sim::Player& p, std::int64_t v) { p.position.y = from_pos(v); },
     [](const sim::Player& b, const FieldContext& c) {
         return predict_axis(fixed_pos(b.position.y), fixed_vel(b.velocity.y), c);
     }, -kPosLimit, kPosLimit},
    {"velocity_x", Coding::Delta, 5,
     [](const sim::Player& p) { return fixed_vel(p.velocity.x); },
     [](sim::Player& p, std::int64_t v) { p.velocity.x = from_vel(v); },
     [](const sim::Player& b, const FieldContext&) { return fixed_vel(b.velocity.x); }, -kVelLimit, kVelLimit},
    {"velocity_y", Coding::Delta, 5,
     [](const sim::Player& p) { return fixed_vel(p.velocity.y); },
     [](sim::Player& p, std::int64_t v) { p.velocity.y = from_vel(v); },
     [](const sim::Player& b, const FieldContext&) { return fixed_vel(b.velocity.y); }, -kVelLimit, kVelLimit},
    {"next_fire_tick", Coding::TickOffset, 3,
     [](const sim::Player& p) -> std::int64_t { return p.next_fire_tick; },
     [](sim::Player& p, std::int64_t v) { p.next_fire_tick = static_cast<sim::Tick>(v); }, not_predicted, 0, kTickMax},
    {"health", Coding::Delta, 3,
     [](const sim::Player& p) -> std::int64_t { return p.health; },
     [](sim::Player& p, std::int64_t v) { p.health = static_cast<std::int16_t>(v); },
     [](const sim::Player& b, const FieldContext&) -> std::int64_t { return b.health; }, -1000, 1000},
    {"alive", Coding::Flag, 0,
     [](const sim::Player& p) -> std::int64_t { return p.alive ? 1 : 0; },
     [](sim::Player& p, std::int64_t v) { p.alive = v != 0; }, not_predicted, 0, 1},
    {"dash_end_tick", Coding::TickOffset, 2,
     [](const sim::Player& p) -> std::int64_t { return p.dash_end_tick; },
     [](sim::Player& p, std::int64_t v) { p.dash_end_tick = static_cast<sim::Tick>(v); }, not_predicted, 0, kTickMax},
    {"next_dash_tick", Coding::TickOffset, 5,
     [](const sim::Player& p) -> std::int64_t { return p.next_dash_tick; },
     [](sim::Player& p, std::int64_t v) { p.next_dash_tick = static_cast<sim::Tick>(v); }, not_predicted, 0, kTickMax},
    {"respawn_tick", Coding::TickOffset, 5,
     [](const sim::Player& p) -> std::int64_t { return p.respawn_tick; },
     [](sim::Player& p, std::int64_t v) { p.respawn_tick = static_cast<sim::Tick>(v); }, not_predicted, 0, kTickMax},
    {"frags", Coding::Delta, 0,
     [](const sim::Player& p) -> std::int64_t { return p.frags; },
     [](sim::Player& p, std::int64_t v) { p.frags = static_cast<std::int16_t>(v); },
     [](const sim::Player& b, const FieldContext&) -> std::int64_t { return b.frags; }, -32768, 32767},
    {"deaths", Coding::Delta, 0,
     [](const sim::Player& p) -> std::int64_t { return p.deaths; },
     [](sim::Player& p, std::int64_t v) { p.deaths = static_cast<std::int16_t>(v); },
     [](const sim::Player& b, const FieldContext&) -> std::int64_t { return b.deaths; }, -32768, 32767},
    {"hits", Coding::Delta, 0,
     [](const sim::Player& p) -> std::int64_t { return p.hits; },
     [](sim::Player& p, std::int64_t v) { p.hits = static_cast<std::int16_t>(v); },
     [](const sim::Player& b, const FieldContext&) -> std::int64_t { return b.hits; }, -32768, 32767},
    {"protected_until_tick", Coding::TickOffset, 5,
     [](const sim::Player& p) -> std::int64_t { return p.protected_until_tick; },
     [](sim::Player& p, std::int64_t v) { p.protected_until_tick = static_cast<sim::Tick>(v); }, not_predicted, 0, kTickMax},
}};

// The table must cover every data member of sim::Player except its id.
// If this fails, a field was added to sim::Player: describe it above.
static_assert(sizeof(sim::Player) == 4 /*id*/ + 8 /*position*/ + 8 /*velocity*/ + 2 /*aim*/ + 2 /*health*/ +
                                         1 /*alive*/ + 3 /*padding*/ + 5 * 4 /*ticks*/ + 2 /*frags*/ +
                                         2 /*deaths*/ + 2 /*hits*/ + 2 /*padding*/,
              "sim::Player changed: update kPlayerFields in snapshot_fields.hpp");
static_assert(kPlayerFields.size() == StreamStats::kFields);


} // namespace skirmish::protocol::detail
