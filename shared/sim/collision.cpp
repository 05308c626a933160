// shared/sim/collision.cpp
#include "shared/sim/collision.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::sim {
namespace {

Vec2 closest_point(Vec2 p, const Rect& r) noexcept {
    return {std::clamp(p.x, r.x, r.right()), std::clamp(p.y, r.y, r.bottom())};
}

// Removes the part of velocity that points along -normal (into the surface).
void cancel_into(Vec2& velocity, Vec2 normal) noexcept {
    const float into = dot(velocity, normal);
    if (into < 0.0f) velocity -= normal * into;
}

bool push_out_of_rect(const Rect& r, float radius, Vec2& center, Vec2& velocity) noexcept {
    // Cheap rejection before the exact test.
    if (center.x + radius <= r.x || center.x - radius >= r.right() || center.y + radius <= r.y ||
        center.y - radius >= r.bottom())
        return false;
    const Vec2 closest = closest_point(center, r);
    const Vec2 d = center - closest;
    const float dist2 = dot(d, d);
    if (dist2 >= radius * radius) return false;
    if (dist2 > 0.0f) {
        const float dist = std::sqrt(dist2);
        const Vec2 normal = d * (1.0f / dist);
        center = closest + normal * radius;
        cancel_into(velocity, normal);
        return true;
    }
    // The centre is inside the rectangle: only reachable if a caller broke the
    // invariant. Leave by the nearest face rather than leaving it stuck.
    const float left = center.x - r.x, right = r.right() - center.x;
    const float top = center.y - r.y, bottom = r.bottom() - center.y;
    const float m = std::min({left, right, top, bottom});
    if (m == left) { center.x = r.x - radius; cancel_into(velocity, {-1.0f, 0.0f}); }
    else if (m == right) { center.x = r.right() + radius; cancel_into(velocity, {1.0f, 0.0f}); }
    else if (m == top) { center.y = r.y - radius; cancel_into(velocity, {0.0f, -1.0f}); }
    else { center.y = r.bottom() + radius; cancel_into(velocity, {0.0f, 1.0f}); }
    return true;
}

void keep_in_arena(const Map& map, float radius, Vec2& center, Vec2& velocity) noexcept {
    if (center.x < radius) { center.x = radius; cancel_into(velocity, {1.0f, 0.0f}); }
    if (center.x > map.width - radius) { center.x = map.width - radius; cancel_into(velocity, {-1.0f, 0.0f}); }
    if (center.y < radius) { center.y = radius; cancel_into(velocity, {0.0f, 1.0f}); }
    if (center.y > map.height - radius) { center.y = map.height - radius; cancel_into(velocity, {0.0f, -1.0f}); }
}

} // namespace

bool circle_overlaps_rect(Vec2 center, float radius, const Rect& rect) noexcept {
    const Vec2 d = center - closest_point(center, rect);
    return dot(d, d) < radius * radius;
}

void resolve_walls(const Map& map, float radius, Vec2& center, Vec2& velocity) noexcept {
    // A circle in a corner touches two walls; a few passes settle it.
    for (int pass = 0; pass < 4; ++pass) {
        bool moved = false;
        for (const Rect& wall : map.walls) moved |= push_out_of_rect(wall, radius, center, velocity);
        keep_in_arena(map, radius, center, velocity);
        if (!moved) break;
    }
}

void move_circle(const Map& map, float radius, Vec2& center, Vec2& velocity, float dt) noexcept {
    const float distance = length(velocity) * dt;
    if (!(distance > 0.0f)) {
        resolve_walls(map, radius, center, velocity);
        return;
    }
    const float max_step = radius * 0.5f;
    const int steps = std::clamp(static_cast<int>(std::ceil(distance / max_step)), 1, 1024);
    const float sub_dt = dt / static_cast<float>(steps);
    for (int i = 0; i < steps; ++i) {
        // Recomputed from the current velocity: a wall touched earlier in this
        // tick turns the rest of the move into a slide.
        center += velocity * sub_dt;
        resolve_walls(map, radius, center, velocity);
    }
}

std::optional<float> ray_hits_rect(Vec2 origin, Vec2 direction, const Rect& r, float max_distance) noexcept {
    float t_min = 0.0f;
    float t_max = max_distance;
    const float o[2] = {origin.x, origin.y};
    const float d[2] = {direction.x, direction.y};
    const float lo[2] = {r.x, r.y};
    const float hi[2] = {r.right(), r.bottom()};
    for (int axis = 0; axis < 2; ++axis) {
        if (std::fabs(d[axis]) < 1e-9f) {
            if (o[axis] < lo[axis] || o[axis] > hi[axis]) return std::nullopt;
            continue;
        }
        const float inv = 1.0f / d[axis];
        float t1 = (lo[axis] - o[axis]) * inv;
        float t2 = (hi[axis] - o[axis]) * inv;
        if (t1 > t2) std::swap(t1, t2);
        t_min = std::max(t_min, t1);
        t_max = std::min(t_max, t2);
        if (t_min > t_max) return std::nullopt;
    }
    return t_min;
}

std::optional<float> ray_hits_circle(Vec2 origin, Vec2 direction, Vec2 center, float radius,
                                     float max_distance) noexcept {
    const Vec2 m = origin - center;
    const float b = dot(m, direction);
    const float c = dot(m, m) - radius * radius;
    if (c > 0.0f && b > 0.0f) return std::nullopt; // outside and pointing away
    const float discriminant = b * b - c;
    if (discriminant < 0.0f) return std::nullopt;
    const float t = std::max(0.0f, -b - std::sqrt(discriminant));
    if (t > max_distance) return std::nullopt;
    return t;
}

float ray_to_walls(const Map& map, Vec2 origin, Vec2 direction, float max_distance) noexcept {
    float nearest = max_distance;
    for (const Rect& wall : map.walls) {
        if (auto t = ray_hits_rect(origin, direction, wall, nearest)) nearest = std::min(nearest, *t);
    }
    // The arena's edges stop shots too.
    const auto edge = [&](float o, float d, float limit) {
        if (d > 1e-9f) nearest = std::min(nearest, (limit - o) / d);
        else if (d < -1e-9f) nearest = std::min(nearest, -o / d);
    };
    edge(origin.x, direction.x, map.width);
    edge(origin.y, direction.y, map.height);
    return std::max(nearest, 0.0f);
}

} // namespace skirmish::sim
