// client/app_sdl/scoreboard_screen.hpp
//
// The end of a match: the final scoreboard (from the server's MatchOver, or
// the lobby's MatchEnded), why it ended, and the way back to the room
// (a button, Enter, or by itself after a while).
//
// IMPORTANT: draws and acts through a Frame.
#pragma once

#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

// `left`: how long until it goes back to the room by itself.
void draw_scoreboard_screen(Frame& frame, util::Duration left);

} // namespace skirmish::app
