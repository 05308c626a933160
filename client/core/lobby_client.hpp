// client/core/lobby_client.hpp
//
// A non-blocking lobby client: connects over TCP, says Hello, keeps the
// connection alive with Pings, and turns what the server sends into events.
// The desktop client, the bots (hundreds per thread) and the tests share it.
// Wire contract: docs/PROTOCOL.md, "Lobby framing" to "Lobby error codes".
//
// IMPORTANT: driven by a caller-owned asio::io_context. Nothing blocks: the
// caller runs or polls the io_context (io.poll() each frame, or run_one_for()
// in tests) and then drains events with next_event(). Every method must be
// called on the thread that runs that io_context.
// IMPORTANT: the server's bytes are untrusted: frames are capped, verified and
// range-checked; a bad one ends the connection with LobbyDisconnect::BadFrame.
// IMPORTANT: destroying a LobbyClient closes its socket at once; pending Asio
// handlers keep only its internal state alive, so it may be destroyed any time.
#pragma once

#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/version.hpp"

#include <asio.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace skirmish::client {

enum class LobbyState : std::uint8_t {
    Idle,        // not connected yet
    Connecting,  // resolving the host and connecting
    Handshaking, // connected, Hello sent, waiting for Welcome
    Ready,       // welcomed: requests may be sent
    Closed,      // over; see the Disconnected event
};
std::string_view name(LobbyState state);

// Every way a lobby connection ends, each with a text a person can act on.
enum class LobbyDisconnect : std::uint8_t {
    ResolveFailed,  // the host name did not resolve
    Refused,        // nothing listens on that port
    Unreachable,    // no route, network down
    ConnectTimeout, // no answer to the TCP connect in time
    WelcomeTimeout, // connected, but no Welcome in time
    NameRefused,    // the server refused the Hello's name (taken, or against the name rules)
    RejoinRefused,  // the server refused the Hello's reconnect: a wrong secret, or the match is over (see code)
    ServerError,    // the server sent an Error that closes the connection (see code)
    ServerClosed,   // the server closed without saying why
    BadFrame,       // the server sent something that is not a valid lobby frame
    NetworkError,   // reset, broken pipe, ...
    OutputOverflow, // we queued more than max_output_bytes unsent
    LocalClose,     // close() was called
};
std::string_view name(LobbyDisconnect reason);

struct Disconnected {
    LobbyDisconnect reason = LobbyDisconnect::LocalClose;
    std::string text; // e.g. "connection refused by 127.0.0.1:7777: is skirmish-server running?"
    std::optional<protocol::lobby::ErrorCode> code; // for ServerError
};

// What next_event() yields: a message from the server, or the end (always last).
using LobbyEvent = std::variant<protocol::lobby::ServerMessage, Disconnected>;

struct LobbyClientConfig {
    std::string name; // the player name sent in Hello
    std::string password; // Hello.password: the server's password, if it has one (at most 64 bytes)
    // Hello.reconnect_match_id and reconnect_secret: back into a running match
    // (docs/PROTOCOL.md, "Reconnect"); 0 and empty for a plain Hello.
    std::uint32_t reconnect_match_id = 0;
    std::vector<std::uint8_t> reconnect_secret;
    std::uint32_t protocol_version = protocol::kProtocolVersion;
    std::chrono::milliseconds connect_timeout{5'000};
    std::chrono::milliseconds welcome_timeout{5'000};
    // How often to Ping when nothing else was sent; 0 = a third of the
    // server's Welcome.idle_timeout_s.
    std::chrono::milliseconds ping_interval{0};
    std::size_t max_output_bytes = 1024 * 1024;
    // When the server refuses the Hello's name (NameTaken, BadName), end the
    // connection with NameRefused and the server's text (what a player or a
    // bot needs), or keep it open for another Hello (the Error event is
    // delivered either way).
    bool keep_open_on_refused_name = false;
};

class LobbyClient {
public:
    LobbyClient(asio::io_context& io, LobbyClientConfig config);
    ~LobbyClient();
    LobbyClient(const LobbyClient&) = delete;
    LobbyClient& operator=(const LobbyClient&) = delete;
    LobbyClient(LobbyClient&&) noexcept;
    LobbyClient& operator=(LobbyClient&&) noexcept;

    // Starts connecting; Hello goes out as soon as the connection is up.
    // Only from Idle.
    void connect(const std::string& host, std::uint16_t port);
    // Queues a request. Before Welcome it is held and sent after Hello, so a
    // caller may connect and queue QuickPlay at once. Ignored once Closed.
    void send(const protocol::lobby::ClientMessage& message);
    // Closes now (emits Disconnected{LocalClose} unless already closed).
    void close();

    // The next received message or the final Disconnected, if any.
    std::optional<LobbyEvent> next_event();

    LobbyState state() const noexcept;
    sim::PlayerId player_id() const noexcept;              // kNoPlayer until Welcome
    const protocol::lobby::Welcome* welcome() const noexcept; // nullptr until Welcome
    const std::string& endpoint_text() const noexcept;      // "host:port", for messages

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

} // namespace skirmish::client
