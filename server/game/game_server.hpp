// server/game/game_server.hpp
//
// The game port: one ENet host, every running match, and the tick loop that
// drives them (docs/ARCHITECTURE.md, "The tick loop"). The loop is all this
// file holds; each job it drives has its own type:
//
//   Sessions       the peers, by ENet slot, and the sends that reach them
//   Admission      Connect: version, token, match; rejects and kicks
//   Matches        lobby orders → matches → steps → scoreboard → removal
//   ServerFigures  tick timing and counters: stats(), ServerStats
//
//   while running:
//       service_until(next_tick)     ENet events between ticks (acks, inputs, connects)
//       tick(now):                   lobby orders → network → step matches →
//                                    snapshots due → server figures → deadlines → flush
//       record(work, late)           next_tick = start + n * period (absolute)
//
// IMPORTANT: everything but start_match() and stats() runs on the tick thread,
// the one thread that owns game state. start_match() queues; stats() copies.
// Bytes from peers are untrusted: decoded, range-checked, rate-capped per peer.
#pragma once

#include "server/game/admission.hpp"
#include "server/game/game_config.hpp"
#include "server/game/match.hpp"
#include "server/game/matches.hpp"
#include "server/game/server_figures.hpp"
#include "server/game/sessions.hpp"
#include "server/game/tick_metrics.hpp"
#include "server/events/event_log.hpp"
#include "server/game_link.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/protocol/discovery_codec.hpp"
#include "shared/sim/map.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/locked_queue.hpp"
#include "shared/util/log.hpp"
#include "shared/util/rate_limiter.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::server {

class GameServer final : public GameLink {
public:
    using UnixClock = Admission::UnixClock;

    static util::Result<std::unique_ptr<GameServer>, std::string> create(const net::EnetLibrary& enet,
                                                                         const GameConfig& config,
                                                                         std::vector<sim::Map> maps,
                                                                         const net::TokenKey& key,
                                                                         util::Logger log, util::Clock& clock,
                                                                         UnixClock unix_ms);
    ~GameServer() override;

    // Set before run(); may be null (tests without a lobby).
    void set_lobby(LobbyLink* lobby) {
        matches_.set_lobby(lobby);
        admission_.set_lobby(lobby);
    }
    // What a Query for info answers (docs/PROTOCOL.md, "Query"): the whole
    // server's figures, which the lobby holds. Set before run(); thread-safe.
    // Unset: info queries get no answer (player lists still do).
    using InfoSource = std::function<protocol::discovery::ServerInfo()>;
    void set_info_source(InfoSource info) { info_source_ = std::move(info); }
    // Set before run(); may be null (no --event-log). Matches emit to it.
    void set_event_log(EventLog* events) { matches_.set_event_log(events); }
    void set_results(ResultsRecorder* results) { matches_.set_results(results); }
    std::uint16_t port() const noexcept { return port_; }
    const GameConfig& config() const noexcept { return config_; }

    // GameLink: thread-safe, queued for the tick thread.
    void start_match(MatchOrder order) override;
    void stop_watching(protocol::MatchId match_id, sim::PlayerId spectator_id) override;

    // Administration (server/admin/): thread-safe, done by the next tick.
    // A kicked player leaves its match (PlayerLeft to the others, disconnect
    // data Kicked); an ended match finishes as cut short (ServerShutdown: no winner).
    void kick_player(sim::PlayerId player_id, std::string why);
    void end_match(protocol::MatchId match_id);

    // Runs the tick loop until `stop` is set, then shuts down gracefully
    // (clients told why, everything flushed) within `shutdown_grace`.
    void run(const std::atomic<bool>& stop, std::chrono::milliseconds shutdown_grace = std::chrono::milliseconds(1500));

    // Thread-safe copy of the figures (refreshed ten times a second by run(),
    // or by refresh_stats() on the tick thread).
    GameStats stats() const { return figures_.stats(); }
    void refresh_stats();

    // Whether the tick loop keeps its schedule, for /readyz. Thread-safe.
    struct Heartbeat {
        bool running = false;              // run() has ticked and not yet returned
        util::TimePoint last_tick{};       // when the last tick's work finished (the clock given to create())
        util::Duration behind_schedule{};  // how late the last tick woke, after its scheduled time
    };
    Heartbeat heartbeat() const;

    // --- pieces of run(), public for tests that drive time themselves ---
    void service_until(util::TimePoint deadline);
    void tick(util::TimePoint now);
    void shutdown(std::string_view text, util::TimePoint deadline);

private:
    GameServer(const GameConfig& config, std::unique_ptr<net::EnetHost> host, std::vector<sim::Map> maps,
               const net::TokenKey& key, util::Logger log, util::Clock& clock, UnixClock unix_ms);

    // --- network: ENet events → sessions, admission, input buffers ---
    void drain_network(util::TimePoint now);
    void handle(const net::Event& event, util::TimePoint now);
    void on_connected(net::PeerHandle peer, util::TimePoint now);
    void on_received(Session& session, std::uint8_t channel, std::span<const std::uint8_t> bytes, util::TimePoint now);
    void on_disconnected(net::PeerHandle peer);
    void on_input(Session& session, std::span<const std::uint8_t> bytes);
    void count_bad(Session& session, std::string_view what);

    // --- game_query.cpp: a Query whose cookie is its sender's (on the tick thread) ---
    std::vector<std::uint8_t> answer_query(const net::Query& query);
    protocol::discovery::PlayerList player_page(std::uint16_t first);
    // --- the rest of the tick ---
    void send_due_snapshots();
    void reset_tick_budgets();

    GameConfig config_;
    std::unique_ptr<net::EnetHost> host_;
    std::uint16_t port_ = 0;
    util::Logger log_;
    util::Clock& clock_;
    int snapshot_interval_ = 2;

    // Declared in dependency order: each is built from those above it.
    Sessions sessions_;
    ServerFigures figures_;
    Matches matches_;
    Admission admission_;

    std::uint64_t server_tick_ = 0;
    std::atomic<bool> running_{false};
    std::atomic<std::int64_t> last_tick_ns_{0}; // clock_'s time since its epoch
    std::atomic<std::int64_t> behind_ns_{0};
    util::TimePoint next_second_{};
    util::TimePoint next_publish_{};
    util::RateLimiter bad_log_{10, 10}; // debug lines about dropped packets, all peers together
    InfoSource info_source_;
    // What other threads ask of the tick thread between matches' orders: an
    // administrator's kicks and ended matches, and the spectators the lobby let go.
    struct AdminOrder {
        enum class Kind : std::uint8_t { Kick, EndMatch, StopWatching };
        Kind kind = Kind::Kick;
        sim::PlayerId player_id{};   // Kick, StopWatching
        protocol::MatchId match_id{}; // EndMatch, StopWatching
        std::string why;
    };
    void run_admin_orders(util::TimePoint now);
    util::LockedQueue<AdminOrder> admin_orders_;
    std::vector<AdminOrder> admin_scratch_;
};

} // namespace skirmish::server
