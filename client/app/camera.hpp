// client/app/camera.hpp
//
// World units ↔ screen units for the match view: the whole arena fitted into
// an area of the screen, centred, aspect kept, so every player is visible at
// any window size (the arena is small; a top-down shooter with no scrolling).
//
// IMPORTANT: pure arithmetic; screen units are the UI's virtual pixels.
#pragma once

#include "shared/sim/types.hpp"

namespace skirmish::app {

struct ScreenRect {
    float x = 0, y = 0, w = 0, h = 0;
};

struct Camera {
    float scale = 1.0f; // screen units per world unit
    float offset_x = 0.0f;
    float offset_y = 0.0f;

    sim::Vec2 to_screen(sim::Vec2 world) const { return {offset_x + world.x * scale, offset_y + world.y * scale}; }
    sim::Vec2 to_world(sim::Vec2 screen) const {
        return {(screen.x - offset_x) / scale, (screen.y - offset_y) / scale};
    }
    float to_screen(float length) const { return length * scale; }
};

// Fits a world of `world_w` x `world_h` into `area`, centred.
Camera fit_camera(float world_w, float world_h, const ScreenRect& area);

} // namespace skirmish::app
