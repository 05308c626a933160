// shared/sim/types.hpp
//
// The simulation's vocabulary: strong ids, ticks and a 2D vector.
// Units: world units (an arena is ~1600 wide), seconds, ticks.
#pragma once

#include <cmath>
#include <cstdint>

namespace skirmish::sim {

// A player (or, outside the simulation, a spectator): numbered by the lobby,
// unique for the life of a server process; 0 is none. A distinct type so a
// player id cannot be passed for a match's or a room's (protocol::MatchId,
// protocol::RoomId).
enum class PlayerId : std::uint32_t {};
inline constexpr PlayerId kNoPlayer{};
constexpr std::uint32_t to_int(PlayerId id) noexcept { return static_cast<std::uint32_t>(id); }
// How fmt prints one: the number.
constexpr std::uint32_t format_as(PlayerId id) noexcept { return to_int(id); }

// A simulation tick number. World::tick counts steps taken since the match began.
using Tick = std::uint32_t;

struct Vec2 {
    float x = 0.0f;
    float y = 0.0f;

    friend constexpr Vec2 operator+(Vec2 a, Vec2 b) noexcept { return {a.x + b.x, a.y + b.y}; }
    friend constexpr Vec2 operator-(Vec2 a, Vec2 b) noexcept { return {a.x - b.x, a.y - b.y}; }
    friend constexpr Vec2 operator*(Vec2 a, float s) noexcept { return {a.x * s, a.y * s}; }
    friend constexpr bool operator==(Vec2 a, Vec2 b) noexcept = default;
    constexpr Vec2& operator+=(Vec2 b) noexcept { x += b.x; y += b.y; return *this; }
    constexpr Vec2& operator-=(Vec2 b) noexcept { x -= b.x; y -= b.y; return *this; }
};

constexpr float dot(Vec2 a, Vec2 b) noexcept { return a.x * b.x + a.y * b.y; }
inline float length(Vec2 v) noexcept { return std::sqrt(dot(v, v)); }
constexpr Vec2 lerp(Vec2 a, Vec2 b, float t) noexcept { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

} // namespace skirmish::sim
