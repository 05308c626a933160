// client/app/camera.hpp
//
// World units ↔ screen units for the match view: the whole arena fitted into
// an area of the screen, centred, aspect kept, so every player is visible at
// any window size (the arena is small; a top-down shooter with no scrolling).
// ViewCamera is the camera of a watcher (a demo's viewer, a spectator): the
// whole arena, following a player, or free (panned and zoomed).
//
// IMPORTANT: pure arithmetic; screen units are the UI's virtual pixels. The
// watcher's owner says where the followed player is drawn (it knows the world).
#pragma once

#include "shared/sim/types.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

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

enum class CameraMode : std::uint8_t { Overview, Follow, Free };
std::string_view name(CameraMode mode); // "overview", "follow", "free"

class ViewCamera {
public:
    static constexpr double kFollowZoom = 2.0; // following starts at least this close
    static constexpr double kMinZoom = 1.0, kMaxZoom = 6.0;

    ViewCamera() = default;
    ViewCamera(float world_w, float world_h) : world_w_(world_w), world_h_(world_h) {}

    CameraMode mode() const noexcept { return mode_; }
    std::optional<sim::PlayerId> followed() const noexcept { return followed_; }
    bool following(sim::PlayerId id) const noexcept { return mode_ == CameraMode::Follow && followed_ == id; }
    double zoom() const noexcept { return zoom_; }

    void show_overview() { mode_ = CameraMode::Overview; }
    void follow(sim::PlayerId id);
    // Follows the next of `ids` (ascending) after the one followed, wrapping;
    // nothing when `ids` is empty.
    void follow_next(std::span<const sim::PlayerId> ids);
    // In each call below, `followed_at` is where the followed player is drawn
    // (nothing: it is not in the world now).
    // Free camera, starting where the view is.
    void free_camera(std::optional<sim::Vec2> followed_at);
    // Pans the free camera by world units (a followed or overview camera turns free first).
    void pan(sim::Vec2 world_delta, std::optional<sim::Vec2> followed_at);
    void zoom_by(double factor, std::optional<sim::Vec2> followed_at);
    Camera camera(const ScreenRect& area, std::optional<sim::Vec2> followed_at) const;

private:
    float world_w_ = 0, world_h_ = 0;
    CameraMode mode_ = CameraMode::Overview;
    std::optional<sim::PlayerId> followed_;
    sim::Vec2 centre_;
    double zoom_ = 1.0;
};

} // namespace skirmish::app
