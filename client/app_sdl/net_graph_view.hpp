// client/app_sdl/net_graph_view.hpp
//
// Draws the net graph (figures from NetGraph) as a panel: the text lines,
// then the ping over the last 10 s as a line, then one bar per snapshot
// arrival over the last 3 s (its interval; blue deltas, orange full
// snapshots, red marks where snapshots were lost, the nominal interval as a
// green line over them) and a legend, so jitter shows as ragged bars and loss as red.
//
// IMPORTANT: draws only; NetGraph computes.
#pragma once

#include "client/app/net_graph.hpp"
#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

// Docked in `corner` (the settings' net_graph_position; the right corners are
// left of `right_edge`, below the top bar at the top). While the own player
// (`own_at`, on screen) is under it, it docks in the corner across instead,
// so it never hides the player.
ScreenRect net_graph_box(const Canvas& canvas, std::size_t lines, float right_edge, Corner corner,
                         const std::optional<sim::Vec2>& own_at);
void draw_net_graph(Frame& frame, const NetGraph& graph, int snapshot_interval_ticks, int tick_rate_hz,
                    float right_edge, Corner corner = Corner::BottomRight,
                    const std::optional<sim::Vec2>& own_at = std::nullopt);

} // namespace skirmish::app
