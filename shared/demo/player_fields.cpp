// shared/demo/player_fields.cpp
#include "shared/demo/player_fields.hpp"

#include <fmt/format.h>

namespace skirmish::demo {

// A field added to sim::Rules changes its size: add it to visit_rules() (and
// kRulesFieldCount, docs/DEMO.md), or demos would replay it at its default.
static_assert(sizeof(sim::Rules) == kRulesFieldCount * 4, "sim::Rules changed: update visit_rules()");
// Likewise a field added to sim::Player: add it to kPlayerFields (with the
// format version that adds it) and docs/DEMO.md, or demos would not hold it.
static_assert(sizeof(sim::Player) == 4 /*id*/ + 8 /*position*/ + 8 /*velocity*/ + 2 /*aim*/ + 2 /*health*/ +
                                         1 /*alive*/ + 3 /*padding*/ + 5 * 4 /*ticks*/ + 2 * 3 /*scores*/ +
                                         2 /*padding*/,
              "sim::Player changed: update kPlayerFields in player_fields.cpp");

namespace {

template <typename T>
T narrow(std::int64_t v) noexcept {
    return static_cast<T>(v);
}

} // namespace

// clang-format off
const std::array<PlayerField, 15> kPlayerFields{{
    {"position.x", 4, true, sim::kPositionScale,
     [](const sim::Player& p) -> std::int64_t { return sim::to_fixed(p.position.x, sim::kPositionScale); },
     [](sim::Player& p, std::int64_t v) { p.position.x = sim::from_fixed(narrow<std::int32_t>(v), sim::kPositionScale); }},
    {"position.y", 4, true, sim::kPositionScale,
     [](const sim::Player& p) -> std::int64_t { return sim::to_fixed(p.position.y, sim::kPositionScale); },
     [](sim::Player& p, std::int64_t v) { p.position.y = sim::from_fixed(narrow<std::int32_t>(v), sim::kPositionScale); }},
    {"velocity.x", 4, true, sim::kVelocityScale,
     [](const sim::Player& p) -> std::int64_t { return sim::to_fixed(p.velocity.x, sim::kVelocityScale); },
     [](sim::Player& p, std::int64_t v) { p.velocity.x = sim::from_fixed(narrow<std::int32_t>(v), sim::kVelocityScale); }},
    {"velocity.y", 4, true, sim::kVelocityScale,
     [](const sim::Player& p) -> std::int64_t { return sim::to_fixed(p.velocity.y, sim::kVelocityScale); },
     [](sim::Player& p, std::int64_t v) { p.velocity.y = sim::from_fixed(narrow<std::int32_t>(v), sim::kVelocityScale); }},
    {"aim", 2, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.aim; },
     [](sim::Player& p, std::int64_t v) { p.aim = narrow<std::uint16_t>(v); }},
    {"health", 2, true, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.health; },
     [](sim::Player& p, std::int64_t v) { p.health = narrow<std::int16_t>(v); }},
    {"alive", 1, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.alive ? 1 : 0; },
     [](sim::Player& p, std::int64_t v) { p.alive = v != 0; }},
    {"respawn_tick", 4, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.respawn_tick; },
     [](sim::Player& p, std::int64_t v) { p.respawn_tick = narrow<sim::Tick>(v); }},
    {"next_fire_tick", 4, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.next_fire_tick; },
     [](sim::Player& p, std::int64_t v) { p.next_fire_tick = narrow<sim::Tick>(v); }},
    {"next_dash_tick", 4, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.next_dash_tick; },
     [](sim::Player& p, std::int64_t v) { p.next_dash_tick = narrow<sim::Tick>(v); }},
    {"dash_end_tick", 4, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.dash_end_tick; },
     [](sim::Player& p, std::int64_t v) { p.dash_end_tick = narrow<sim::Tick>(v); }},
    {"protected_until_tick", 4, false, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.protected_until_tick; },
     [](sim::Player& p, std::int64_t v) { p.protected_until_tick = narrow<sim::Tick>(v); }, 2},
    {"frags", 2, true, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.frags; },
     [](sim::Player& p, std::int64_t v) { p.frags = narrow<std::int16_t>(v); }},
    {"deaths", 2, true, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.deaths; },
     [](sim::Player& p, std::int64_t v) { p.deaths = narrow<std::int16_t>(v); }},
    {"hits", 2, true, 1.0f,
     [](const sim::Player& p) -> std::int64_t { return p.hits; },
     [](sim::Player& p, std::int64_t v) { p.hits = narrow<std::int16_t>(v); }},
}};
// clang-format on

std::size_t player_state_bytes(std::uint16_t format) {
    std::size_t bytes = 4;
    for (const PlayerField& f : kPlayerFields)
        if (f.since_format <= format) bytes += static_cast<std::size_t>(f.bytes);
    return bytes;
}

void write_player(ByteWriter& out, const sim::Player& player) {
    out.u32(sim::to_int(player.id));
    for (const PlayerField& f : kPlayerFields) {
        const std::int64_t v = f.get(player);
        switch (f.bytes) {
        case 1: out.u8(static_cast<std::uint8_t>(v)); break;
        case 2: out.u16(static_cast<std::uint16_t>(v)); break;
        default: out.u32(static_cast<std::uint32_t>(v)); break;
        }
    }
}

sim::Player read_player(ByteReader& in, std::uint16_t format) {
    sim::Player p;
    p.id = sim::PlayerId{in.u32()};
    for (const PlayerField& f : kPlayerFields) {
        std::int64_t v = 0;
        if (f.since_format > format) {
            f.set(p, 0);
            continue;
        }
        switch (f.bytes) {
        case 1: v = f.is_signed ? in.i8() : in.u8(); break;
        case 2: v = f.is_signed ? in.i16() : in.u16(); break;
        default: v = f.is_signed ? static_cast<std::int64_t>(in.i32()) : static_cast<std::int64_t>(in.u32()); break;
        }
        f.set(p, v);
    }
    return p;
}

std::string FieldDifference::describe() const {
    if (scale == 1.0f) return fmt::format("{}: recorded {}, re-simulated {}", field, recorded, replayed);
    return fmt::format("{}: recorded {}, re-simulated {}", field, static_cast<double>(recorded) / scale,
                       static_cast<double>(replayed) / scale);
}

std::vector<FieldDifference> compare_players(const sim::Player& recorded, const sim::Player& replayed) {
    std::vector<FieldDifference> out;
    for (const PlayerField& f : kPlayerFields) {
        const std::int64_t a = f.get(recorded), b = f.get(replayed);
        if (a != b) out.push_back({f.name, a, b, f.scale});
    }
    return out;
}

} // namespace skirmish::demo
