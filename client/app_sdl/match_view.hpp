// client/app_sdl/match_view.hpp
//
// The arena as the player sees it: floor, walls, tracers, players with names
// and health bars (own player predicted, others interpolated, both as the
// client core computed them), and the study overlays: the server's
// authoritative position of the own player as a ghost, the newest received
// positions of the others beside their interpolated ones, and the others'
// raw snapshot positions as dots with a short trail (SnapshotTrail).
//
// IMPORTANT: draws a ClientView; never changes it. The camera it fitted this
// frame is what the app uses to turn the mouse into an aim next frame.
#pragma once

#include "client/app/snapshot_trail.hpp"
#include "client/app_sdl/frame.hpp"
#include "client/core/client_view.hpp"

#include <optional>

namespace skirmish::app {

struct MatchOverlays {
    bool ghosts = false; // the server's own position and others' latest received positions
    bool snapshots = false; // others' raw snapshot positions: dots with a trail
    bool rewinds = false;   // our shots' targets where the server checked them, beside where we saw them
    sim::Vec2 mouse;     // virtual pixels
    float right_edge = 1e9f; // virtual pixels: panels to the right of this cover the window
    std::optional<Camera> camera; // instead of the whole arena fitted (demo playback: follow, free)
    std::optional<ScreenRect> area; // instead of arena_area(): the arena is clipped to it
    std::optional<sim::PlayerId> highlight; // a player ringed as followed (a spectator's camera)
};

class MatchView {
public:
    void draw(Frame& frame, const client::ClientView& view, const MatchOverlays& overlays);
    const Camera& camera() const noexcept { return camera_; }
    // The area the arena is fitted into (below the HUD's top bar, left of `right_edge`).
    static ScreenRect arena_area(const Canvas& canvas, float right_edge);

private:
    void draw_arena(Canvas& c, const sim::Map& map);
    void draw_tracers(Canvas& c, const client::ClientView& view);
    void draw_player(Canvas& c, const client::ClientView& view, const client::ViewPlayer& p);
    void draw_study(Canvas& c, const client::ClientView& view);
    void draw_snapshots(Canvas& c, const client::ClientView& view);
    void draw_rewinds(Canvas& c, const client::ClientView& view);

    Camera camera_;
    SnapshotTrail trail_; // recorded every frame, drawn when asked
};

} // namespace skirmish::app
