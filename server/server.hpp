// server/server.hpp
//
// A whole skirmish-server: the TCP lobby (its own thread) and the UDP game
// port (the tick thread) on one port number, sharing a connect-token key,
// each reporting to the other through server/game_link.hpp. main() runs one;
// integration tests run several in one process on ephemeral ports.
//
// IMPORTANT: start() returns with both threads running (and the metrics
// endpoint's, with --metrics-address); stop() shuts the game port down first
// (clients told why, results to the lobby), then the lobby, then the metrics
// endpoint, and returns within about two seconds. Both are called from one thread.
#pragma once

#include "server/admin/admin.hpp"
#include "server/discovery/discovery_responder.hpp"
#include "server/events/event_log.hpp"
#include "server/game/game_server.hpp"
#include "server/lobby/lobby_server.hpp"
#include "server/metrics/metrics_endpoint.hpp"
#include "server/results/results_store.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace skirmish::server {

struct ServerConfig {
    std::string bind_address = "0.0.0.0";
    std::uint16_t port = 7777; // TCP lobby and UDP game; 0: a free number for both
    LobbyHosting hosting;      // server name, motd, password, map rotation, room defaults
    std::vector<sim::Map> maps;
    std::optional<net::TokenKey> token_key; // none: a fresh random key
    GameConfig game;                        // bind address and port are taken from above
    LobbyLimits lobby;
    std::chrono::milliseconds shutdown_grace{1500};
    // --metrics-address: /metrics, /healthz and /readyz over HTTP; none: off.
    std::optional<MetricsAddress> metrics;
    // --event-log: where the lobby and the game port write their events (it
    // must outlive the Server); null: none. server_start and server_stop too.
    EventLog* events = nullptr;
    // --db: where finished matches are stored and the lobby's stats come from
    // (server/results/; it must outlive the Server); null: no persistence.
    ResultsStore* results = nullptr;
    // LAN discovery (--discovery, --discovery-port): answers probes on its own
    // UDP port. A port it cannot bind is a warning, not a failure to start.
    DiscoveryConfig discovery;
    // Bans checked at every Hello and kept by administrators (server/admin/;
    // it must outlive the Server); null: no bans.
    BanList* bans = nullptr;
    // What `reload` and `quit` do (main.cpp); the console and remote admins share them.
    AdminHooks admin_hooks;
};

class Server {
public:
    static util::Result<std::unique_ptr<Server>, std::string> start(const net::EnetLibrary& enet, ServerConfig config,
                                                                    util::Logger log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    const net::TokenKey& token_key() const noexcept { return key_; }
    std::uint16_t metrics_port() const noexcept { return metrics_ ? metrics_->port() : 0; } // 0: no endpoint
    // 0: LAN discovery is off (or its port could not be bound).
    std::uint16_t discovery_port() const noexcept { return discovery_ ? discovery_->port() : 0; }
    DiscoveryCounters discovery_counters() const { return discovery_ ? discovery_->counters() : DiscoveryCounters{}; }
    // What a discovery Answer and an info Query say now. Thread-safe.
    protocol::discovery::ServerInfo server_info() const;
    void stop();

    // Administration: the console runs its lines here (thread-safe; blocks the caller).
    AdminOutcome run_admin(std::string line, std::string actor) { return admin_->run(std::move(line), std::move(actor)); }
    Admin& admin() { return *admin_; }

    GameStats game_stats() const { return game_->stats(); }
    LobbyStats lobby_stats() const { return lobby_->stats(); }
    // What /metrics and /readyz answer. Thread-safe.
    std::string metrics_text() const;
    Readiness readiness() const;

    // New hosting settings (a config reload), applied by the lobby before the
    // next message it handles. Thread-safe; the error says what is wrong.
    util::Result<util::Ok, std::string> reconfigure(LobbyHosting hosting);

private:
    Server() = default;

    util::SteadyClock clock_;
    net::TokenKey key_{};
    std::uint16_t port_ = 0;
    std::unique_ptr<Admin> admin_; // before the lobby (it holds a pointer), stopped first
    std::unique_ptr<GameServer> game_;
    std::unique_ptr<LobbyServer> lobby_;
    std::atomic<bool> stop_{false};
    std::thread game_thread_;
    std::chrono::milliseconds shutdown_grace_{1500};
    bool stopped_ = false;
    EventLog* events_ = nullptr;
    ResultsStore* results_ = nullptr;
    util::TimePoint started_at_{};
    // What server_info() reads besides the live figures.
    mutable std::mutex info_mutex_;
    std::string info_name_;
    bool info_password_ = false;
    std::vector<std::string> map_names_;
    std::string advertised_address_; // the bind address unless it is a wildcard
    std::uint16_t max_players_ = 0;
    std::unique_ptr<DiscoveryResponder> discovery_; // stopped before the lobby and the game port
    std::unique_ptr<MetricsEndpoint> metrics_; // last: stopped first, it reads the others
};

} // namespace skirmish::server
