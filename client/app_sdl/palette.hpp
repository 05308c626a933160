// client/app_sdl/palette.hpp
//
// Every colour the client draws with, in one place, so the screens agree and
// the smoke test can look for the arena's floor and wall colours in a
// screenshot (tests/app_sdl/client_smoke_test.cpp reads kFloor and kWall).
//
// IMPORTANT: the smoke test checks kFloor and kWall pixels exactly: draw the
// floor and the walls opaque, with these colours.
#pragma once

#include "shared/sim/types.hpp"

#include <array>
#include <cstdint>

namespace skirmish::app {

struct Color {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    constexpr Color with_alpha(std::uint8_t alpha) const { return {r, g, b, alpha}; }
    constexpr Color with_alpha(double fraction) const {
        const double f = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
        return {r, g, b, static_cast<std::uint8_t>(a * f)};
    }
    friend constexpr bool operator==(Color, Color) = default;
};

namespace palette {
inline constexpr Color kBackground{13, 17, 24};
inline constexpr Color kFloor{30, 42, 56};
inline constexpr Color kFloorGrid{36, 50, 66};
inline constexpr Color kWall{91, 107, 130};
inline constexpr Color kWallLight{128, 143, 166};
inline constexpr Color kWallEdge{10, 13, 19};
inline constexpr Color kShadow{6, 9, 14, 150};

inline constexpr Color kPanel{20, 26, 36, 236};
inline constexpr Color kPanelBorder{58, 70, 90};
inline constexpr Color kPanelTitle{28, 36, 50, 255};
inline constexpr Color kText{228, 234, 242};
inline constexpr Color kTextDim{142, 154, 172};
inline constexpr Color kAccent{255, 183, 77};
inline constexpr Color kAccentDark{150, 102, 34};
inline constexpr Color kGood{102, 200, 120};
inline constexpr Color kBad{239, 90, 86};
inline constexpr Color kWarn{255, 213, 79};
inline constexpr Color kButton{40, 52, 70};
inline constexpr Color kButtonHover{54, 70, 94};
inline constexpr Color kField{12, 16, 23};

inline constexpr Color kGhost{240, 240, 255};
inline constexpr Color kHitMarker{255, 255, 255};
inline constexpr Color kDamage{220, 30, 30};

// Player colours, by id.
inline constexpr std::array<Color, 8> kPlayers{{
    {239, 83, 80},
    {66, 165, 245},
    {102, 187, 106},
    {171, 101, 208},
    {255, 167, 38},
    {38, 198, 218},
    {236, 64, 122},
    {212, 225, 87},
}};
// A player's colour, by its id: as the lobby's messages carry it, or typed.
inline constexpr Color player(std::uint32_t id) { return kPlayers[id % kPlayers.size()]; }
inline constexpr Color player(sim::PlayerId id) { return player(sim::to_int(id)); }
} // namespace palette

} // namespace skirmish::app
