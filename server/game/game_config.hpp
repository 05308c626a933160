// server/game/game_config.hpp
//
// What the game port is told at start-up: where to listen, its rates and
// switches, its caps and deadlines (docs/OPERATIONS.md names the flags that
// set them). Plain values; every part of the game port reads the same copy.
//
// IMPORTANT: validate_config() is the one check of these ranges, and
// GameServer::create() refuses what it rejects, so the parts may rely on them.
#pragma once

#include "shared/net/enet_host.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/result.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace skirmish::server {

struct GameConfig {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 7777; // 0: any free port
    int tick_rate_hz = 60;
    int snapshot_rate_hz = 30;
    bool delta = true;                 // --delta off: every snapshot full (for comparison)
    bool lag_compensation = true;      // --lag-compensation off
    int max_rewind_ms = 300;           // --max-rewind-ms (sim::Rules says why 300)
    int max_interp_ms = 150;           // interpolation delay compensated on top (not a flag)
    // ENet's range coder on what the server sends: measured to cut snapshots
    // by a quarter (docs/NETCODE.md). Clients decode it; they send plain.
    bool range_coder = true;
    std::size_t max_peers = 2048;
    // ENet connect → Connect: long enough for a 500 ms outage and two resends
    // of the token at 250 ms RTT (bench/soak.sh found 2 s too short).
    std::chrono::milliseconds token_deadline{5000};
    std::chrono::milliseconds match_linger{3000};        // scoreboard time before members are let go
    std::chrono::milliseconds empty_match_timeout{15000}; // a match nobody joined, or everyone left
    int max_input_packets_per_tick = 8; // per peer; more are dropped undecoded
    // Between ticks the network is serviced in batches this far apart.
    std::chrono::microseconds service_interval{1000};
    int kick_after_bad_packets_per_second = 200;
    // A player silent this long is gone (--silence-timeout-ms; net::HostConfig,
    // docs/OPERATIONS.md "Timeouts"); ENet's reliable timeout is the backstop.
    std::uint32_t silence_timeout_ms = net::kDefaultSilenceTimeoutMs;
    std::uint32_t reliable_timeout_ms = net::kDefaultReliableTimeoutMs;
    // --record-dir: a demo of every match is written there (docs/DEMO.md);
    // empty: none. A full State record every record_state_interval_ticks (0: a second).
    std::string record_dir;
    int record_state_interval_ticks = 0;
    // Hello/Challenge rate limits and cookie epoch (docs/OPERATIONS.md,
    // "Security: the game port"; --challenges-per-second, --challenges-per-address).
    net::AdmissionLimits admission;
    // The rules every match starts from; tick rate, limits and lag compensation
    // are then set from the fields above and the room's settings. Clients
    // predict with the default rules, so only tests change the rest.
    sim::Rules base_rules;
};

// Checks ranges (tick rate sim::kMinTickRateHz..kMaxTickRateHz, snapshot rate
// 1..tick rate, ...). The error names the flag and its range.
util::Result<util::Ok, std::string> validate_config(const GameConfig& config);

// Ticks between two snapshots to one client: the tick rate over the snapshot
// rate, rounded, at least 1. Clients are told tick_rate_hz / this as their rate.
int snapshot_interval_ticks(const GameConfig& config);

} // namespace skirmish::server
