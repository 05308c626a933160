// client/app_sdl/net_graph_view.hpp
//
// Draws the net graph (figures from NetGraph) as a panel: the text lines,
// then the ping over the last 10 s as a line, then one bar per snapshot
// arrival (its interval; red marks where snapshots were lost, blue bars for
// full snapshots), so jitter shows as ragged bars and loss as red.
//
// IMPORTANT: draws only; NetGraph computes.
#pragma once

#include "client/app/net_graph.hpp"
#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

// Drawn in the bottom-right corner, left of `right_edge`.
void draw_net_graph(Frame& frame, const NetGraph& graph, int snapshot_interval_ticks, int tick_rate_hz,
                    float right_edge);

} // namespace skirmish::app
