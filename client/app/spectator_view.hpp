// client/app/spectator_view.hpp
//
// How a spectator looks at a match (docs/PROTOCOL.md, "Spectators"): the
// whole arena, following a player (F: the next one; a click: the one under
// the pointer), or a free camera (C; the movement keys pan it, the wheel
// zooms). The player followed is drawn from the ClientView, interpolated like
// everyone else; one who leaves hands the camera back to the whole arena.
//
// IMPORTANT: pure (no SDL, no clock): the app hands in the view, the keys'
// pan direction and the seconds that passed.
#pragma once

#include "client/app/camera.hpp"
#include "client/core/client_view.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace skirmish::app {

class SpectatorView {
public:
    // World units a held pan key moves the free camera per second, at zoom 1.
    static constexpr float kPanSpeed = 600.0f;
    // A click follows the nearest living player within this many world units.
    static constexpr float kPickRadius = 60.0f;

    // Every call that is handed the view first checks it is of the match
    // watched so far: a view of another match (or the first) starts the
    // camera over, on the whole arena.
    protocol::MatchId match_id() const noexcept { return match_id_; }

    // Each frame: pans the free camera by `pan` (each axis -1..1) for `seconds`,
    // and lets go of a followed player who is no longer in the match.
    void update(const client::ClientView& view, sim::Vec2 pan, double seconds);

    void follow_next(const client::ClientView& view);
    // Follows the living player nearest `world` (within kPickRadius); false if none.
    bool follow_at(const client::ClientView& view, sim::Vec2 world);
    void free_camera(const client::ClientView& view);
    void show_overview() { camera_.show_overview(); }
    void zoom_by(const client::ClientView& view, double factor);

    CameraMode mode() const noexcept { return camera_.mode(); }
    std::optional<sim::PlayerId> followed() const noexcept {
        return camera_.mode() == CameraMode::Follow ? camera_.followed() : std::nullopt;
    }
    Camera camera(const ScreenRect& area, const client::ClientView& view) const {
        return camera_.camera(area, followed_at(view));
    }
    // For the HUD: "following Alice", "free camera", "the whole arena".
    std::string caption(const client::ClientView& view) const;

private:
    void watch(const client::ClientView& view);
    std::optional<sim::Vec2> followed_at(const client::ClientView& view) const;

    ViewCamera camera_;
    protocol::MatchId match_id_{};
    bool watching_ = false; // match_id_ is the match watched
};

} // namespace skirmish::app
