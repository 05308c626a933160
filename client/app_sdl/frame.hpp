// client/app_sdl/frame.hpp
//
// What every screen is handed to draw one frame: the canvas and widgets,
// the session it shows and acts on, the settings, and the time as a value.
//
// IMPORTANT: valid for one frame only; screens keep no reference to it.
#pragma once

#include "client/app/session.hpp"
#include "client/app/settings.hpp"
#include "client/app_sdl/canvas.hpp"
#include "client/app_sdl/ui.hpp"

namespace skirmish::app {

struct Frame {
    Canvas& canvas;
    Ui& ui;
    Session& session;
    Settings& settings;
    util::TimePoint now;
    double seconds = 0; // since the client started, for animation
};

// Small drawing helpers shared by screens.
void draw_title(Canvas& canvas, sim::Vec2 at, float size);
// The session's newest problem, in a red box, for `lifetime_s` after it happened.
void draw_problem(Frame& frame, float y, double lifetime_s = 8.0);
std::string format_clock(double seconds); // "4:05"
// `text` broken at spaces into lines no wider than `width` (at most 4; the
// last cut with "…"), drawn from `at` down. Returns the height used.
float draw_wrapped(Canvas& canvas, std::string_view text, sim::Vec2 at, float width, const TextStyle& style);
// A player's ping from the server's list ("42 ms"), or "-" when it has not said.
std::string ping_text(const std::vector<protocol::PlayerPing>& pings, std::uint32_t player_id);

} // namespace skirmish::app
