// server/metrics/prometheus_text.hpp
//
// The server's figures in the Prometheus text exposition format (version
// 0.0.4), what GET /metrics answers. The metric names, their labels and the
// reason values are the product's interface (docs/OPERATIONS.md, "Metrics"):
// add, never rename.
//
// IMPORTANT: pure: the caller gathers a MetricsSample (copies taken under the
// figures' own locks, never the tick thread's time) and this only formats it.
#pragma once

#include "server/events/event_log.hpp"
#include "server/results_link.hpp"
#include "server/game/server_figures.hpp"
#include "server/lobby/lobby_server.hpp"

#include <optional>
#include <string>

namespace skirmish::server {

struct MetricsSample {
    GameStats game;
    LobbyStats lobby;
    std::optional<EventLogCounters> events; // with --event-log
    std::optional<ResultsCounters> results; // with a results database (--db)
    double uptime_seconds = 0;
    int tick_rate_hz = 0;
};

std::string render_prometheus(const MetricsSample& sample);

} // namespace skirmish::server
