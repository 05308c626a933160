// shared/sim/map.cpp
#include "shared/sim/map.hpp"

#include "shared/sim/collision.hpp"

#include <cmath>
#include <fmt/format.h>

namespace skirmish::sim {

util::Result<util::Ok, std::string> validate_map(const Map& map, float player_radius) {
    using util::fail;
    if (map.name.empty() || map.name.size() > kMaxMapNameLength)
        return fail(fmt::format("map name must be 1 to {} characters", kMaxMapNameLength));
    const auto in_range = [](float v) { return std::isfinite(v) && v >= kMinArenaSize && v <= kMaxArenaSize; };
    if (!in_range(map.width) || !in_range(map.height))
        return fail(fmt::format("arena size {}x{} is outside {}..{}", map.width, map.height, kMinArenaSize,
                                kMaxArenaSize));
    if (map.walls.size() > kMaxWalls)
        return fail(fmt::format("{} walls is more than the limit of {}", map.walls.size(), kMaxWalls));
    if (map.spawns.empty()) return fail(std::string("map has no spawn points: add at least one to \"spawns\""));
    if (map.spawns.size() > kMaxSpawns)
        return fail(fmt::format("{} spawns is more than the limit of {}", map.spawns.size(), kMaxSpawns));

    for (std::size_t i = 0; i < map.walls.size(); ++i) {
        const Rect& r = map.walls[i];
        if (!std::isfinite(r.x) || !std::isfinite(r.y) || !std::isfinite(r.w) || !std::isfinite(r.h) ||
            r.w <= 0.0f || r.h <= 0.0f)
            return fail(fmt::format("wall {} has a non-positive size ({}x{})", i, r.w, r.h));
        if (r.x < 0.0f || r.y < 0.0f || r.right() > map.width || r.bottom() > map.height)
            return fail(fmt::format("wall {} (x={} y={} w={} h={}) is out of bounds of the {}x{} arena", i, r.x,
                                    r.y, r.w, r.h, map.width, map.height));
    }
    for (std::size_t i = 0; i < map.spawns.size(); ++i) {
        const Vec2 s = map.spawns[i];
        if (!std::isfinite(s.x) || !std::isfinite(s.y) || s.x < player_radius || s.y < player_radius ||
            s.x > map.width - player_radius || s.y > map.height - player_radius)
            return fail(fmt::format("spawn {} at ({}, {}) is out of bounds: it must be at least {} from the "
                                    "arena's edge",
                                    i, s.x, s.y, player_radius));
        for (std::size_t w = 0; w < map.walls.size(); ++w) {
            if (circle_overlaps_rect(s, player_radius, map.walls[w]))
                return fail(fmt::format("spawn {} at ({}, {}) overlaps wall {}", i, s.x, s.y, w));
        }
    }
    return util::Ok{};
}

} // namespace skirmish::sim
