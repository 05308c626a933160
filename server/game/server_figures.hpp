// server/game/server_figures.hpp
//
// The game port's figures: tick timing (TickMetrics), what was dropped,
// refused, kicked or timed out, and every player's and match's counters, kept
// when the player or match is gone so the totals cover the whole run. Copied
// out for other threads ten times a second (publish(), stats()) and sent to
// every playing client once a second (ServerStats).
//
// IMPORTANT: tick thread only, except stats(), which copies what publish()
// last stored under a lock.
// IMPORTANT: retire a player's or a match's counters (retire_player(),
// retire_match()) before it is removed, or the totals lose them.
#pragma once

#include "server/game/match.hpp"
#include "server/game/sessions.hpp"
#include "server/game/tick_metrics.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/protocol/control_codec.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace skirmish::server {

class Matches;

// A player's input counters as ServerStats carries them (capped to 32 bits).
protocol::InputFigures input_figures(const InputCounters& counters);

inline constexpr std::size_t kRejectReasons = static_cast<std::size_t>(protocol::RejectReason::TokenWithdrawn) + 1;

struct GameStats {
    TickFigures last_second;
    TickFigures whole_run;
    std::size_t players = 0;
    std::size_t spectators = 0;    // watching a match on the game port
    std::size_t matches = 0;
    std::size_t pending_peers = 0; // connected, no token yet
    InputCounters inputs;          // summed over every player, present and past
    std::map<sim::PlayerId, InputCounters> inputs_by_player;
    std::map<sim::PlayerId, ShotCounters> shots_by_player;
    SnapshotCounters snapshots;    // summed over every match, present and past
    std::uint64_t bad_packets = 0;
    std::uint64_t flood_dropped = 0;
    std::uint64_t spectator_inputs = 0; // input packets with inputs from spectators, ignored
    std::uint64_t kicked = 0;
    std::uint64_t rejected = 0;
    std::uint64_t timed_out = 0;
    net::HostCounters host;
    net::AdmissionCounters admission; // Hellos, Challenges, CONNECTs and datagrams the game port dropped
    // Rejected sent, by protocol::RejectReason (its value is the index).
    std::array<std::uint64_t, kRejectReasons> rejected_by_reason{};
    TickHistogram tick_duration; // every tick since the process started
};

// What happened to a peer, counted in GameStats.
enum class PeerEvent : std::uint8_t { BadPacket, FloodDropped, SpectatorInput, Kicked, Rejected, TimedOut };

class ServerFigures {
public:
    explicit ServerFigures(int tick_rate_hz) : tick_rate_hz_(tick_rate_hz) {}

    // --- recording ---
    TickMetrics& ticks() noexcept { return ticks_; }
    void count(PeerEvent event);
    void count_rejection(protocol::RejectReason reason); // a Rejected sent (also counts PeerEvent::Rejected)
    // The whole-run tick figures start with the first player to join, so the
    // idle ticks before do not flatter them.
    void note_player_joined();
    void retire_player(const Match& match, sim::PlayerId player_id);
    void retire_match(const Match& match);

    // --- reporting ---
    // ServerStats to each playing client once a second: this tick, the slots
    // congruent to server_tick modulo the tick rate, so no tick pays for all.
    // Each carries its recipient's own input counts in its match.
    void send_server_stats(std::uint64_t server_tick, Sessions& sessions, Matches& matches);
    // Totals of the retired counters and the live matches, stored for stats().
    void publish(const std::vector<const Match*>& live_matches, const Sessions& sessions,
                 const net::HostCounters& host, const net::AdmissionCounters& admission);
    GameStats stats() const; // thread-safe

private:
    int tick_rate_hz_;
    TickMetrics ticks_;
    bool first_player_joined_ = false;
    std::uint64_t bad_packets_ = 0, flood_dropped_ = 0, spectator_inputs_ = 0, kicked_ = 0, rejected_ = 0,
                  timed_out_ = 0;
    std::array<std::uint64_t, kRejectReasons> rejected_by_reason_{};

    // Counters of players and matches that are gone, so totals survive them.
    InputCounters retired_inputs_;
    std::map<sim::PlayerId, InputCounters> retired_by_player_;
    std::map<sim::PlayerId, ShotCounters> retired_shots_;
    SnapshotCounters retired_snapshots_;

    mutable std::mutex stats_mutex_;
    GameStats published_;
};

} // namespace skirmish::server
