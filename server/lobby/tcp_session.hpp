// server/lobby/tcp_session.hpp
//
// One lobby TCP connection on the server: reads bytes into a FrameDecoder and
// hands each complete frame up, writes queued frames, and enforces the
// per-connection limits that do not need the lobby's rules (handshake deadline,
// idle timeout, output cap). Knows frames, not messages.
//
// IMPORTANT: lives on the lobby thread; every method and every callback runs
// there. Owned by shared_ptr: pending Asio handlers keep it alive until the
// socket is closed, so the owner may drop its pointer as soon as it is closed.
// IMPORTANT: a session closes exactly once and says so once (Events::on_closed);
// after that it delivers no frames and drops whatever it is asked to send.
#pragma once

#include "server/lobby/lobby.hpp"
#include "shared/net/lobby_framing.hpp"

#include <asio.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace skirmish::server {

using SharedFrame = std::shared_ptr<const std::vector<std::uint8_t>>;

// Every way a lobby connection ends (docs/PROTOCOL.md, "Lobby session state machine").
enum class CloseReason : std::uint8_t {
    ClientClosed,     // orderly end of stream from the client
    NetworkError,     // reset, broken pipe, ...
    BadFrame,         // a bad length prefix or a truncated frame
    ProtocolError,    // the lobby closed it with an Error (bad message, wrong version, ...)
    HandshakeTimeout, // no Welcome within the handshake deadline
    IdleTimeout,      // nothing received within the idle timeout
    SlowReader,       // output queue over the cap: the client stopped reading
    Refused,          // over a connection cap at accept
    ServerShutdown,
};
std::string_view name(CloseReason reason);

struct SessionLimits {
    std::chrono::milliseconds handshake_timeout{5'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds close_linger{2'000};
    std::size_t max_output_bytes = 256 * 1024;
};

class TcpSession : public std::enable_shared_from_this<TcpSession> {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void on_frame(SessionId id, std::span<const std::uint8_t> payload) = 0;
        // The byte stream is broken (bad length prefix, or it ended mid-frame).
        virtual void on_stream_error(SessionId id, std::string_view what) = 0;
        // The handshake or idle deadline passed.
        virtual void on_timeout(SessionId id, bool during_handshake) = 0;
        // The session has started closing; called once, never from inside close() of a
        // session the caller is iterating (it is always a fresh call stack or the caller's own).
        virtual void on_closed(SessionId id, CloseReason reason) = 0;
    };

    TcpSession(asio::ip::tcp::socket socket, SessionId id, Events& events, SessionLimits limits);

    void start();
    // Queues a frame. Over the output cap the session closes (SlowReader) instead.
    void send(SharedFrame frame);
    // The client said Hello and was welcomed: the idle timeout replaces the handshake deadline.
    void mark_welcomed();
    // Sends `final_frame` (if any) after what is queued, then closes gracefully:
    // shut down our side, discard input until the client closes or the linger ends.
    void close(SharedFrame final_frame, CloseReason reason);
    // Closes at once, dropping whatever is queued.
    void abort(CloseReason reason);

    SessionId id() const noexcept { return id_; }
    const std::string& remote_address() const noexcept { return remote_address_; }
    bool closing() const noexcept { return closing_; }

private:
    void read();
    void on_read(const std::error_code& ec, std::size_t n);
    void write();
    void on_written(const std::error_code& ec, std::size_t n);
    void arm_deadline(std::chrono::steady_clock::time_point due);
    void on_deadline();
    void begin_closing(CloseReason reason);
    void shut_down();
    void finish();

    asio::ip::tcp::socket socket_;
    asio::steady_timer deadline_;
    SessionId id_;
    Events& events_;
    SessionLimits limits_;
    std::string remote_address_;

    net::FrameDecoder decoder_;
    std::array<std::uint8_t, 16 * 1024> read_buffer_{};
    std::deque<SharedFrame> queue_;
    std::size_t queued_bytes_ = 0;
    std::size_t in_flight_ = 0; // frames at the front of queue_ being written
    bool writing_ = false;

    std::chrono::steady_clock::time_point accepted_at_;
    std::chrono::steady_clock::time_point last_received_;
    bool welcomed_ = false;
    bool closing_ = false;       // no more frames delivered, no more sends queued
    bool shut_down_ = false;     // our side's FIN sent
    bool peer_closed_ = false;   // the client's FIN received
    bool finished_ = false;      // the socket is closed
};

} // namespace skirmish::server
