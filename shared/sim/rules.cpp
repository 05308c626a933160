// shared/sim/rules.cpp
#include "shared/sim/rules.hpp"

#include <cmath>
#include <fmt/format.h>

namespace skirmish::sim {

Tick Rules::ticks(float seconds) const noexcept {
    if (!(seconds > 0.0f)) return 0;
    const auto t = static_cast<Tick>(std::ceil(seconds * static_cast<float>(tick_rate_hz) - 1e-4f));
    return t == 0 ? 1 : t;
}

util::Result<util::Ok, std::string> validate_rules(const Rules& r) {
    using util::fail;
    const auto check = [](bool ok, std::string_view field, auto value, std::string_view range)
        -> util::Result<util::Ok, std::string> {
        if (ok) return util::Ok{};
        return fail(fmt::format("{} = {} is outside {}", field, value, range));
    };
    const auto positive = [](float v) { return std::isfinite(v) && v > 0.0f; };
    // Finite and in [lo, hi]: every value a step may meet stays far from
    // float and tick overflow (a rules value can come from a demo file).
    const auto within = [](float v, float lo, float hi) { return std::isfinite(v) && v >= lo && v <= hi; };
    for (auto result : {
             check(r.tick_rate_hz >= kMinTickRateHz && r.tick_rate_hz <= kMaxTickRateHz, "tick_rate_hz",
                   r.tick_rate_hz, fmt::format("{}..{}", kMinTickRateHz, kMaxTickRateHz)),
             check(within(r.player_radius, 1.0f, 64.0f), "player_radius", r.player_radius, "[1, 64]"),
             check(positive(r.max_speed) && r.max_speed <= 2000.0f, "max_speed", r.max_speed, "(0, 2000]"),
             check(positive(r.acceleration) && r.acceleration <= 100000.0f, "acceleration", r.acceleration,
                   "(0, 100000]"),
             check(std::isfinite(r.friction) && r.friction >= 0.0f && r.friction * r.dt() < 1.0f, "friction",
                   r.friction, "[0, tick_rate)"),
             check(within(r.stop_speed, 0.0f, 10000.0f), "stop_speed", r.stop_speed, "[0, 10000]"),
             check(positive(r.dash_speed) && r.dash_speed <= 4000.0f, "dash_speed", r.dash_speed, "(0, 4000]"),
             check(within(r.dash_duration_s, 0.0f, 10.0f), "dash_duration_s", r.dash_duration_s, "[0, 10]"),
             check(within(r.dash_cooldown_s, 0.0f, 60.0f), "dash_cooldown_s", r.dash_cooldown_s, "[0, 60]"),
             check(positive(r.rifle_range) && r.rifle_range <= 100000.0f, "rifle_range", r.rifle_range,
                   "(0, 100000]"),
             check(r.rifle_damage > 0 && r.rifle_damage <= 1000, "rifle_damage", r.rifle_damage, "1..1000"),
             check(positive(r.fire_cooldown_s) && r.fire_cooldown_s <= 60.0f, "fire_cooldown_s", r.fire_cooldown_s,
                   "(0, 60]"),
             check(r.max_health > 0 && r.max_health <= 1000, "max_health", r.max_health, "1..1000"),
             check(within(r.respawn_delay_s, 0.0f, 60.0f), "respawn_delay_s", r.respawn_delay_s, "[0, 60]"),
             check(within(r.spawn_protection_s, 0.0f, 10.0f), "spawn_protection_s", r.spawn_protection_s, "[0, 10]"),
             check(r.frag_limit >= 0 && r.frag_limit <= 1000, "frag_limit", r.frag_limit, "0..1000"),
             check(r.time_limit_s >= 0 && r.time_limit_s <= 24 * 3600, "time_limit_s", r.time_limit_s, "0..86400"),
             check(r.max_rewind_ms >= 0 && r.max_rewind_ms <= 1000, "max_rewind_ms", r.max_rewind_ms, "0..1000"),
             check(r.max_interp_ms >= 0 && r.max_interp_ms <= 500, "max_interp_ms", r.max_interp_ms, "0..500"),
         }) {
        if (!result) return result;
    }
    return util::Ok{};
}

} // namespace skirmish::sim
