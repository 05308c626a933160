// client/bots/report.hpp
//
// A load test's results: aggregated from every bot's histograms and counters
// (distributions merged, never averages of averages), printed as a table,
// written as JSON (--report), and checked against thresholds so a load test
// can gate CI. The JSON keys are the product's interface: scripts read them.
#pragma once

#include "client/bots/bot.hpp"
#include "shared/net/conditioner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace skirmish::bots {

struct Report {
    std::size_t bots = 0;
    std::size_t connected = 0;
    std::uint64_t disconnects = 0;       // game and lobby connections that dropped unasked
    std::uint64_t lobby_disconnects = 0; // the part of `disconnects` that was the lobby's
    double duration_s = 0;
    struct { double p50 = 0, p90 = 0, p99 = 0, max = 0; } rtt_ms;
    struct { double p50 = 0, min = 0; } snapshots_per_s; // per-bot averages over settled match time
    double snapshot_loss_pct = 0;
    struct { double mean = 0, p99 = 0; } down_bytes_per_s;
    struct { double mean = 0, p99 = 0; } up_bytes_per_s;
    double corrections_per_min = 0;
    struct { double mean = 0, p99 = 0, max = 0; } correction_units; // world units, counted corrections
    double corrections_by_players_pct = 0; // share of corrections other players caused (not the network)
    double extrapolated_pct = 0;           // bot frames drawing others extrapolated
    std::uint64_t extrapolations_over_100ms = 0;
    double snaps_per_min = 0;              // remote players' visible jumps, per bot-minute
    InputTotals inputs;                    // the bots' inputs as the server counted them (ServerStats)
    struct {
        int tick_rate = 0;
        struct { double p50 = 0, p99 = 0, max = 0; } tick_ms; // over the run, from the server
        std::uint64_t overruns = 0;
        std::uint32_t players = 0;
        std::uint64_t ticks = 0;
    } server;
    // Beyond the required keys.
    std::uint64_t matches = 0;
    std::uint64_t shots = 0;
    std::uint64_t hits = 0;
    client::HitCounts hit_agreement; // shots seen to hit against the server's verdicts (client/core/hit_agreement.hpp)
    double snapshot_bytes_mean = 0; // FlatBuffer size, without ENet's headers
    std::string server_address;
    int room_size = 0;
    int threads = 1; // the bot threads the fleet ran on
    net::ConditionerConfig conditions;  // as given; with a schedule, its steps replace up and down
    std::size_t schedule_steps = 0;     // 0: no --conditions-schedule
    std::uint64_t schedule_changes = 0; // times the relay's conditions were changed by the schedule
    std::optional<net::RelayStats> relay; // the conditioner relay's figures, when one carried the games
    std::vector<std::string> problems; // distinct last problems bots reported, a few
};

Report aggregate(const std::vector<const BotMetrics*>& bots, std::size_t connected, double duration_s);

std::string to_json(const Report& report);
std::string to_table(const Report& report);

// --- thresholds ---------------------------------------------------------------------

struct Thresholds {
    std::optional<double> max_rtt_p99_ms;
    std::optional<std::size_t> min_connected;
    std::optional<std::uint64_t> max_disconnects;
    std::optional<double> min_snapshot_rate;
    std::optional<double> max_snapshot_loss_pct;
    std::optional<double> max_down_bytes_per_s;
    std::optional<double> max_server_tick_p99_ms;
};

// One line per threshold missed, saying by how much. Empty: all met.
std::vector<std::string> check(const Report& report, const Thresholds& thresholds);

} // namespace skirmish::bots
