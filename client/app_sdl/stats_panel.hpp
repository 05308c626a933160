// client/app_sdl/stats_panel.hpp
//
// The lobby's Stats panel: the server's leaderboard (place, name, matches,
// wins, frags, deaths, accuracy) and its most recent matches (map, how it
// ended, how long ago, each player's frags with the winners marked), as the
// server's results database keeps them (docs/PROTOCOL.md, "Results and stats").
//
// IMPORTANT: draws through a Frame; asks the Session for fresh figures when
// it opens and on Refresh; Back returns to the rooms (back() is then true).
#pragma once

#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

class StatsPanel {
public:
    // Asks the server for fresh figures; the lobby calls it when the panel opens.
    void open(Frame& f);
    // Draws into `area`; returns false when Back was pressed.
    bool draw(Frame& f, const ScreenRect& area);

private:
    void draw_leaderboard(Frame& f, const ScreenRect& area);
    void draw_recent(Frame& f, const ScreenRect& area);
};

} // namespace skirmish::app
