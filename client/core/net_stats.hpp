// client/core/net_stats.hpp
//
// The figures of a net graph (Source's net_graph is the model): what the
// connection is doing, in units a person reads. Filled by GameClient; the
// desktop client draws them and the bots aggregate them into reports.
#pragma once

#include "shared/protocol/control_codec.hpp"

#include <cstdint>

namespace skirmish::client {

struct NetStats {
    // Round trip, from ENet's reliable-packet timing, and its jitter (ENet's
    // mean deviation of the RTT).
    double rtt_ms = 0;
    double jitter_ms = 0;
    // Jitter of snapshot arrival intervals: what the interpolation delay absorbs.
    double snapshot_jitter_ms = 0;

    // Snapshots: ENet's loss counter only sees reliable packets, so loss is
    // counted from gaps in the snapshot tick sequence.
    double snapshot_rate_hz = 0;    // last second
    double snapshot_loss_pct = 0;   // last second
    std::uint64_t snapshots_received = 0;
    std::uint64_t snapshots_lost = 0;
    std::uint64_t snapshots_undecodable = 0; // e.g. delta against a baseline we no longer hold
    std::uint64_t full_snapshots = 0;
    std::uint64_t snapshot_bytes = 0;          // frame bytes of every snapshot received (ENet headers not included)
    // Reliable-channel loss estimate, from ENet (the "loss out" it can see).
    double reliable_loss_pct = 0;

    double bytes_in_per_s = 0;      // UDP payload incl. ENet headers, last second
    double bytes_out_per_s = 0;
    std::uint64_t bytes_in = 0;     // totals since connecting, current
    std::uint64_t bytes_out = 0;

    double interp_delay_ms = 0;
    int interp_buffer_depth = 0;
    bool extrapolating = false;

    std::uint64_t corrections = 0;
    std::uint64_t corrections_by_players = 0; // the part of `corrections` other players caused (Correction::by_players)
    double last_correction = 0;     // world units
    double max_correction = 0;      // world units, since the start

    double input_lead_ticks = 0;    // smoothed, as reported by the server
    double target_lead_ticks = 0;
    std::uint64_t inputs_sent = 0;

    protocol::ServerStats server;   // the server's own figures, once a second
    bool have_server_stats = false;
};

} // namespace skirmish::client
