// server/game/game_server.hpp
//
// The game port: one ENet host, every running match, and the tick loop that
// drives them (docs/ARCHITECTURE.md, "The tick loop"). A peer gets nothing of
// a match until it presents a valid connect token; then its inputs feed the
// match's buffers and it receives snapshots and events.
//
//   while running:
//       service_until(next_tick)     ENet events between ticks (acks, inputs, connects)
//       tick(now):                   lobby orders → network → step matches →
//                                    snapshots due → server figures → deadlines → flush
//       metrics.record(work, late)   next_tick = start + n * period (absolute)
//
// IMPORTANT: everything but start_match() and stats() runs on the tick thread,
// the one thread that owns game state. start_match() queues; stats() copies.
// Bytes from peers are untrusted: decoded, range-checked, rate-capped per peer.
#pragma once

#include "server/game/match.hpp"
#include "server/game/tick_metrics.hpp"
#include "server/game_link.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/sim/map.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/locked_queue.hpp"
#include "shared/util/log.hpp"
#include "shared/util/rate_limiter.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace skirmish::server {

struct GameConfig {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 7777; // 0: any free port
    int tick_rate_hz = 60;
    int snapshot_rate_hz = 30;
    bool delta = true;                 // --delta off: every snapshot full (for comparison)
    bool lag_compensation = true;      // --lag-compensation off
    int max_rewind_ms = 200;           // --max-rewind-ms
    // ENet's range coder on what the server sends: measured to cut snapshots
    // by a quarter (docs/NETCODE.md). Clients decode it; they send plain.
    bool range_coder = true;
    std::size_t max_peers = 2048;
    std::chrono::milliseconds token_deadline{2000};
    std::chrono::milliseconds match_linger{3000};        // scoreboard time before members are let go
    std::chrono::milliseconds empty_match_timeout{15000}; // a match nobody joined, or everyone left
    int max_input_packets_per_tick = 8; // per peer; more are dropped undecoded
    // Between ticks the network is serviced in batches this far apart.
    std::chrono::microseconds service_interval{1000};
    int kick_after_bad_packets_per_second = 200;
    std::uint32_t timeout_min_ms = net::kDefaultPeerTimeoutMinMs; // ENet peer timeout (docs/OPERATIONS.md)
    std::uint32_t timeout_max_ms = net::kDefaultPeerTimeoutMaxMs;
    // The rules every match starts from; tick rate, limits and lag compensation
    // are then set from the fields above and the room's settings. Clients
    // predict with the default rules, so only tests change the rest.
    sim::Rules base_rules;
};

// Checks ranges (tick rate sim::kMinTickRateHz..kMaxTickRateHz, snapshot rate 1..tick rate, ...).
util::Result<util::Ok, std::string> validate_config(const GameConfig& config);

struct GameStats {
    TickFigures last_second;
    TickFigures whole_run;
    std::size_t players = 0;
    std::size_t matches = 0;
    std::size_t pending_peers = 0; // connected, no token yet
    InputCounters inputs;          // summed over every player, present and past
    std::map<std::uint32_t, InputCounters> inputs_by_player;
    std::map<std::uint32_t, ShotCounters> shots_by_player;
    SnapshotCounters snapshots;    // summed over every match, present and past
    std::uint64_t bad_packets = 0;
    std::uint64_t flood_dropped = 0;
    std::uint64_t kicked = 0;
    std::uint64_t rejected = 0;
    std::uint64_t timed_out = 0;
    net::HostCounters host;
};

class GameServer final : public GameLink {
public:
    using UnixClock = std::function<std::uint64_t()>;

    static util::Result<std::unique_ptr<GameServer>, std::string> create(const net::EnetLibrary& enet,
                                                                         const GameConfig& config,
                                                                         std::vector<sim::Map> maps,
                                                                         const net::TokenKey& key,
                                                                         util::Logger log, util::Clock& clock,
                                                                         UnixClock unix_ms);
    ~GameServer() override;

    // Set before run(); may be null (tests without a lobby).
    void set_lobby(LobbyLink* lobby) { lobby_ = lobby; }
    std::uint16_t port() const noexcept { return port_; }
    const GameConfig& config() const noexcept { return config_; }

    // GameLink: thread-safe, queued for the tick thread.
    void start_match(MatchOrder order) override;

    // Runs the tick loop until `stop` is set, then shuts down gracefully
    // (clients told why, everything flushed) within `shutdown_grace`.
    void run(const std::atomic<bool>& stop, std::chrono::milliseconds shutdown_grace = std::chrono::milliseconds(1500));

    // Thread-safe copy of the figures (refreshed ten times a second by run(),
    // or by refresh_stats() on the tick thread).
    GameStats stats() const;
    void refresh_stats();

    // --- pieces of run(), public for tests that drive time themselves ---
    void service_until(util::TimePoint deadline);
    void tick(util::TimePoint now);
    void shutdown(std::string_view text, util::TimePoint deadline);

private:
    enum class SessionState : std::uint8_t { AwaitingToken, Playing, Closing };
    struct Session {
        net::PeerHandle peer;
        SessionState state = SessionState::AwaitingToken;
        util::TimePoint connected_at;
        std::uint32_t player_id = 0;
        std::uint32_t match_id = 0;
        int packets_this_tick = 0;
        // Bad packets allowed before a kick: kick_after_bad_packets_per_second
        // at once, refilled at that rate (set in on_connected).
        util::RateLimiter bad_packets{1, 1};
        bool leaving_on_purpose = false;
    };

    GameServer(const GameConfig& config, std::unique_ptr<net::EnetHost> host, std::vector<sim::Map> maps,
               const net::TokenKey& key, util::Logger log, util::Clock& clock, UnixClock unix_ms);

    // --- network ---
    void handle(const net::Event& event, util::TimePoint now);
    void on_connected(net::PeerHandle peer, util::TimePoint now);
    void on_received(Session& session, std::uint8_t channel, std::span<const std::uint8_t> bytes, util::TimePoint now);
    void on_disconnected(net::PeerHandle peer);
    void on_input(Session& session, std::span<const std::uint8_t> bytes);
    void on_connect_request(Session& session, const protocol::ConnectRequest& request, util::TimePoint now);
    void reject(Session& session, protocol::RejectReason reason, std::string text);
    void kick(Session& session, std::string_view why);
    void count_bad(Session& session, std::string_view what);
    Session* session_of(net::PeerHandle peer);
    void send_control(net::PeerHandle peer, const protocol::ServerControl& message);
    void send_to_player(std::uint32_t player_id, const protocol::ServerControl& message);
    void broadcast(const Match& match, const protocol::ServerControl& message, std::uint32_t except_player = 0);

    // --- matches ---
    void drain_orders(util::TimePoint now);
    Match* find_match(std::uint32_t match_id);
    void leave_match(Session& session, protocol::LeaveReason reason);
    void step_matches(util::TimePoint now);
    void send_due_snapshots();
    void finish_match(Match& match, util::TimePoint now);
    void reap(util::TimePoint now);

    // --- figures ---
    void send_server_stats();
    void retire_player_counters(const Match& match, std::uint32_t player_id);

    GameConfig config_;
    std::unique_ptr<net::EnetHost> host_;
    std::uint16_t port_ = 0;
    std::map<std::string, std::shared_ptr<const sim::Map>> maps_;
    net::TokenKey key_;
    net::TokenReplayGuard replay_guard_;
    util::Logger log_;
    util::Clock& clock_;
    UnixClock unix_ms_;
    LobbyLink* lobby_ = nullptr;

    util::LockedQueue<MatchOrder> orders_;
    std::vector<MatchOrder> orders_scratch_;
    struct MatchEntry {
        std::unique_ptr<Match> match;
        util::TimePoint created;
        util::TimePoint last_member_seen;
        std::optional<util::TimePoint> ended_at;
    };
    std::map<std::uint32_t, MatchEntry> matches_;
    std::vector<std::optional<Session>> sessions_; // by ENet peer slot
    std::unordered_map<std::uint32_t, std::uint32_t> slot_of_player_;
    std::uint64_t server_tick_ = 0;
    int snapshot_interval_ = 2;
    bool shutting_down_ = false;
    bool first_player_joined_ = false;

    TickMetrics metrics_;
    util::TimePoint next_second_{};
    util::TimePoint next_publish_{};
    util::RateLimiter bad_log_{10, 10}; // debug lines about dropped packets, all peers together

    // Counters of players and matches that are gone, so totals survive them.
    InputCounters retired_inputs_;
    std::map<std::uint32_t, InputCounters> retired_by_player_;
    std::map<std::uint32_t, ShotCounters> retired_shots_;
    SnapshotCounters retired_snapshots_;
    std::uint64_t bad_packets_ = 0, flood_dropped_ = 0, kicked_ = 0, rejected_ = 0, timed_out_ = 0;

    mutable std::mutex stats_mutex_;
    GameStats published_;
};

} // namespace skirmish::server
