// shared/sim/quantise.hpp
//
// The grid the simulation's state lives on. At the end of every step the
// world's continuous values are snapped to it, so the state the server holds
// is exactly the state a snapshot can carry (docs/PROTOCOL.md, "Quantisation"),
// and a client predicting from a snapshot starts from the server's own bits.
#pragma once

#include <cmath>
#include <cstdint>

namespace skirmish::sim {

// Positions: 1/8 world unit. Velocities: 1/4 unit per second.
inline constexpr float kPositionScale = 8.0f;
inline constexpr float kVelocityScale = 4.0f;
// Aim: an angle in 1/4096ths of a turn, 0 = +x, counter-clockwise towards +y.
inline constexpr std::uint32_t kAimSteps = 4096;

inline float quantise(float value, float scale) noexcept { return std::round(value * scale) / scale; }
inline std::int32_t to_fixed(float value, float scale) noexcept {
    return static_cast<std::int32_t>(std::lround(value * scale));
}
inline float from_fixed(std::int32_t fixed, float scale) noexcept { return static_cast<float>(fixed) / scale; }

inline float aim_radians(std::uint16_t aim) noexcept {
    return static_cast<float>(aim % kAimSteps) * (6.283185307179586f / static_cast<float>(kAimSteps));
}
inline std::uint16_t aim_from_radians(float radians) noexcept {
    const float turns = radians / 6.283185307179586f;
    const float wrapped = turns - std::floor(turns);
    return static_cast<std::uint16_t>(static_cast<std::uint32_t>(std::lround(wrapped * kAimSteps)) % kAimSteps);
}

} // namespace skirmish::sim
