// server/lobby/lobby_server.hpp
//
// The TCP lobby server: an Asio acceptor and one TcpSession per client on the
// lobby's own thread and io_context, feeding decoded messages to the Lobby and
// its replies back out. docs/ARCHITECTURE.md explains why the lobby has its own
// thread; docs/PROTOCOL.md is the wire contract.
//
// IMPORTANT: threads. start() and stop() are called from the owning thread (main
// or a test); stats(), port() and the LobbyLink methods from any thread. All
// lobby state lives on the lobby thread; LobbyLink calls are posted there.
// IMPORTANT: GameLink::start_match() is called on the lobby thread, before the
// members are sent MatchStart; the GameLink must outlive the LobbyServer, and the
// game side must stop calling LobbyLink before the LobbyServer is destroyed.
// IMPORTANT: every byte from a socket is untrusted: frames are capped and
// verified, sessions are capped in number, time and output, and a misbehaving
// client is answered with an Error and closed without disturbing the others.
#pragma once

#include "server/game_link.hpp"
#include "server/lobby/connection_slots.hpp"
#include "server/lobby/lobby.hpp"
#include "server/lobby/lobby_config.hpp"
#include "server/lobby/tcp_session.hpp"
#include "shared/util/log.hpp"
#include "shared/util/result.hpp"

#include <asio.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

namespace skirmish::server {

// A snapshot of the lobby's counters (totals since start unless "now").
struct LobbyStats {
    std::uint64_t connections_accepted = 0;
    std::uint64_t connections_refused = 0; // over a players' cap, at accept or at Hello
    std::uint64_t connections_open = 0;    // now
    std::uint64_t handshakes_open = 0;     // now: accepted, not yet welcomed
    std::uint64_t handshakes_evicted = 0;  // closed to make room in a full handshake pool
    std::uint64_t players = 0;             // welcomed sessions, now
    std::uint64_t rooms = 0;               // now
    std::uint64_t matches_started = 0;
    std::uint64_t bad_frames = 0;          // sessions closed for a bad frame or unknown message
    std::uint64_t timeouts = 0;            // sessions closed by the handshake, idle or frame deadline
    std::uint64_t slow_readers = 0;        // sessions closed for exceeding the output cap
    std::uint64_t rate_limited = 0;        // messages dropped by a rate limit
    std::uint64_t refused_server_full = 0; // of connections_refused: over max_connections
    std::uint64_t refused_per_address = 0; // of connections_refused: over max_connections_per_address
    std::uint64_t wrong_passwords = 0;     // Hellos refused with WrongPassword (wrong, missing, or too many tries)
};

// Why these hosting settings cannot be used ("" if they can): text rules and
// caps of Welcome.motd, Hello.password and the server name, map rotation
// entries among `maps`, room defaults in range.
std::string check_hosting(const LobbyHosting& hosting, const std::vector<std::string>& maps);

class LobbyServer final : public LobbyLink, private LobbyOutput, private TcpSession::Events {
public:
    LobbyServer(LobbyConfig config, GameLink& game, util::Logger log);
    ~LobbyServer() override;
    LobbyServer(const LobbyServer&) = delete;
    LobbyServer& operator=(const LobbyServer&) = delete;

    // Binds and listens, then runs the lobby on its own thread. Returns the
    // bound TCP port, or a one-line message for a person ("TCP port 7777 is
    // already in use: ..."). Call at most once.
    util::Result<std::uint16_t, std::string> start();
    // Tells every client ServerShuttingDown, closes them (each within
    // limits.close_linger) and joins the lobby thread. Idempotent.
    void stop();

    LobbyStats stats() const;
    std::uint16_t port() const noexcept { return port_.load(); }

    // Replaces the hosting settings (a config reload): checked here (the error
    // says what is wrong), then applied on the lobby thread before anything it
    // handles next. Thread-safe; call between start() and stop().
    util::Result<util::Ok, std::string> reconfigure(LobbyHosting hosting);

    // Runs `work` on the lobby thread and waits for it (administration:
    // server/admin/). False if it did not run within `timeout` (the lobby is
    // stopping). Never call it from the lobby thread; `work` may still run
    // after a timeout, so it must own what it touches (no references to the caller's stack).
    bool run_on_lobby(std::function<void(Lobby&)> work, std::chrono::milliseconds timeout);

    // LobbyLink: thread-safe, posted to the lobby thread.
    void match_ended(protocol::MatchResults results) override;
    void player_left_match(protocol::MatchId match_id, sim::PlayerId player_id) override;
    bool token_live(sim::PlayerId player_id, std::uint64_t token_id) const override;

private:
    // --- accepting ---------------------------------------------------------------------
    util::Result<asio::ip::tcp::endpoint, std::string> listen();
    void accept();
    void on_accepted(asio::ip::tcp::socket socket);
    void refuse(const std::shared_ptr<TcpSession>& session, ConnectionSlots::Verdict verdict);
    void evict(SessionId id, ConnectionSlots::Eviction why);
    bool refused_at_hello(SessionId id, const std::shared_ptr<TcpSession>& session,
                          const protocol::lobby::ClientMessage& message);
    void shutdown();

    // --- TcpSession::Events ------------------------------------------------------------------
    void on_frame(SessionId id, std::span<const std::uint8_t> payload) override;
    void on_stream_error(SessionId id, std::string_view what) override;
    void on_timeout(SessionId id, TimeoutKind kind) override;
    void on_closed(SessionId id, CloseReason reason) override;

    // --- LobbyOutput ----------------------------------------------------------------------------
    void send(std::span<const SessionId> to, const protocol::lobby::ServerMessage& message) override;
    void close(SessionId session, const protocol::lobby::Error& error) override;

    std::shared_ptr<TcpSession> find_session(SessionId id) const;
    void publish_stats();

    LobbyConfig config_;
    GameLink& game_;
    util::Logger log_;

    // Declared before everything that belongs to it (sockets, timers, sessions),
    // so it is destroyed after them.
    asio::io_context io_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
    asio::ip::tcp::acceptor acceptor_;
    asio::steady_timer accept_retry_;
    std::thread thread_;
    bool started_ = false; // owner thread only

    TokenRegistry tokens_; // thread-safe: the lobby thread writes, the tick thread asks; outlives lobby_

    // --- lobby thread only ---------------------------------------------------------------------
    std::unique_ptr<Lobby> lobby_;
    std::unordered_map<std::uint64_t, std::shared_ptr<TcpSession>> sessions_;
    ConnectionSlots slots_;
    std::uint64_t next_session_id_ = 1;
    bool stopping_ = false;

    // --- any thread ------------------------------------------------------------------------------
    std::atomic<std::uint16_t> port_{0};
    std::atomic<std::uint64_t> connections_accepted_{0}, connections_refused_{0}, connections_open_{0};
    std::atomic<std::uint64_t> handshakes_open_{0}, handshakes_evicted_{0};
    std::atomic<std::uint64_t> players_{0}, rooms_{0}, matches_started_{0};
    std::atomic<std::uint64_t> bad_frames_{0}, timeouts_{0}, slow_readers_{0}, rate_limited_{0};
    std::atomic<std::uint64_t> refused_server_full_{0}, refused_per_address_{0}, wrong_passwords_{0};
};

} // namespace skirmish::server
