// client/app_sdl/hud.hpp
//
// Everything drawn over the arena during a match: the top bar (frags,
// deaths, time left, the leader), health, the crosshair with its hit marker,
// the red flash when hit, the kill feed, chat lines and the chat input, the
// respawn countdown, and the Tab scoreboard.
//
// IMPORTANT: draws a ClientView; never changes it.
#pragma once

#include "client/app_sdl/frame.hpp"
#include "client/core/client_view.hpp"

#include <optional>
#include <string>

namespace skirmish::app {

struct HudState {
    bool scoreboard = false;          // Tab held
    const LineEdit* chat = nullptr;   // the chat line being typed, if any
    sim::Vec2 mouse;                  // virtual pixels
    bool crosshair = true;            // false while a menu has the mouse
    float right_edge = 1e9f;          // panels to the right of this cover the window
    std::optional<sim::Vec2> own_at;  // the own player on screen: overlays fade where it is
    std::string spectating;           // watching: what the camera shows ("following Alice")
    std::optional<sim::PlayerId> followed; // watching: the player the camera follows
};

void draw_hud(Frame& frame, const client::ClientView& view, const HudState& state);
// The players of a ClientView as a scoreboard (frags, then deaths): used by Tab.
void draw_live_scoreboard(Frame& frame, const client::ClientView& view);

} // namespace skirmish::app
