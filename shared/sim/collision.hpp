// shared/sim/collision.hpp
//
// Geometry the rules need: circles against axis-aligned rectangles and the
// arena's bounds, and rays against rectangles and circles (the hitscan rifle).
// Pure functions on values.
#pragma once

#include "shared/sim/map.hpp"
#include "shared/sim/types.hpp"

#include <optional>

namespace skirmish::sim {

bool circle_overlaps_rect(Vec2 center, float radius, const Rect& rect) noexcept;

// Moves `center` by velocity*dt through the map's walls, sliding along them.
// The move is cut into sub-steps of at most half the radius, and each sub-step
// starts with the circle clear of every wall, so the centre can never enter a
// wall and nothing tunnels, at any speed. Velocity loses its component into
// whatever it touches.
void move_circle(const Map& map, float radius, Vec2& center, Vec2& velocity, float dt) noexcept;

// Pushes a circle out of every wall it overlaps and back inside the arena.
// IMPORTANT: assumes the centre is outside every wall (the invariant move_circle
// keeps); it then never moves the centre by more than the overlap.
void resolve_walls(const Map& map, float radius, Vec2& center, Vec2& velocity) noexcept;

// Distance along a ray (unit direction) to the first wall it hits, if within max_distance.
std::optional<float> ray_hits_rect(Vec2 origin, Vec2 direction, const Rect& rect, float max_distance) noexcept;
std::optional<float> ray_hits_circle(Vec2 origin, Vec2 direction, Vec2 center, float radius,
                                     float max_distance) noexcept;
// Distance to the nearest wall or arena edge along the ray, capped at max_distance.
float ray_to_walls(const Map& map, Vec2 origin, Vec2 direction, float max_distance) noexcept;

} // namespace skirmish::sim
