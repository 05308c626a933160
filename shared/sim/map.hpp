// shared/sim/map.hpp
//
// An arena: its size, axis-aligned wall rectangles and spawn points.
// Maps are authored as JSON against schemas/map.fbs and loaded by
// shared/protocol/map_loader; this file holds the rules a map must obey.
#pragma once

#include "shared/sim/types.hpp"
#include "shared/util/result.hpp"

#include <string>
#include <vector>

namespace skirmish::sim {

struct Rect {
    float x = 0.0f; // minimum corner
    float y = 0.0f;
    float w = 0.0f;
    float h = 0.0f;

    float right() const noexcept { return x + w; }
    float bottom() const noexcept { return y + h; }
    friend bool operator==(const Rect&, const Rect&) = default;
};

struct Map {
    std::string name;
    float width = 0.0f;
    float height = 0.0f;
    std::vector<Rect> walls;
    std::vector<Vec2> spawns;
    friend bool operator==(const Map&, const Map&) = default;
};

inline constexpr float kMinArenaSize = 256.0f;
inline constexpr float kMaxArenaSize = 4096.0f;
inline constexpr std::size_t kMaxWalls = 256;
inline constexpr std::size_t kMaxSpawns = 64;
inline constexpr std::size_t kMaxMapNameLength = 64;

// Checks a map against the rules above and the player radius: arena size in
// range, at least one spawn, every wall positive-sized and inside the arena,
// every spawn inside the arena and clear of every wall by the player radius.
// The error says which element is wrong and why, for a person editing the file.
util::Result<util::Ok, std::string> validate_map(const Map& map, float player_radius);

} // namespace skirmish::sim
