// server/lobby/tcp_session.hpp
//
// One lobby TCP connection on the server: reads bytes into a FrameDecoder and
// hands each complete frame up, writes queued frames, and enforces the
// per-connection limits that do not need the lobby's rules (handshake deadline,
// idle timeout on whole frames, frame deadline, output cap, input paused while
// the client's answers wait). Knows frames, not messages.
//
// IMPORTANT: lives on the lobby thread; every method and every callback runs
// there. Owned by shared_ptr: pending Asio handlers keep it alive until the
// socket is closed, so the owner may drop its pointer as soon as it is closed.
// IMPORTANT: a session closes exactly once and says so once (Events::on_closed);
// after that it delivers no frames and drops whatever it is asked to send.
// IMPORTANT: the output cap counts the kernel's send buffer too: what this
// session queues is capped at max_output_bytes minus the SO_SNDBUF it got.
#pragma once

#include "server/lobby/lobby.hpp"
#include "shared/net/lobby_framing.hpp"

#include <asio.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
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
    IdleTimeout,      // no complete frame within the idle timeout
    FrameTimeout,     // a frame begun and not finished within the frame deadline
    SlowReader,       // output queue over the cap: the client stopped reading
    Refused,          // over a connection cap at accept or at Hello
    Evicted,          // a handshake closed to make room for a newer one
    ServerShutdown,
};
std::string_view name(CloseReason reason);

enum class TimeoutKind : std::uint8_t {
    Handshake, // no Welcome within handshake_timeout of the accept
    Idle,      // welcomed, and no complete frame within idle_timeout
    Frame,     // a frame's first byte came frame_timeout ago and the frame is not complete
};

struct SessionLimits {
    std::chrono::milliseconds handshake_timeout{5'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds frame_timeout{10'000};
    std::chrono::milliseconds close_linger{2'000};
    std::size_t max_output_bytes = 256 * 1024; // queue + kernel send buffer
    int socket_send_buffer_bytes = 0;          // SO_SNDBUF to ask for; 0: the OS's, not counted
};

class TcpSession : public std::enable_shared_from_this<TcpSession> {
public:
    class Events {
    public:
        virtual ~Events() = default;
        virtual void on_frame(SessionId id, std::span<const std::uint8_t> payload) = 0;
        // The byte stream is broken (bad length prefix, or it ended mid-frame).
        virtual void on_stream_error(SessionId id, std::string_view what) = 0;
        // A deadline passed (the session is still open; closing it is the owner's call).
        virtual void on_timeout(SessionId id, TimeoutKind kind) = 0;
        // The session has started closing; called once, never from inside close() of a
        // session the caller is iterating (it is always a fresh call stack or the caller's own).
        virtual void on_closed(SessionId id, CloseReason reason) = 0;
    };

    TcpSession(asio::ip::tcp::socket socket, SessionId id, Events& events, SessionLimits limits);

    void start();
    // Queues a frame. Over the output cap the session closes (SlowReader) instead.
    // While half the cap is queued, no further frames are read from the client
    // (its own requests wait in its socket), so a client that pipelines
    // requests and reads the answers is never over the cap by its own doing.
    void send(SharedFrame frame);
    // The client said Hello and was welcomed: the idle timeout replaces the handshake deadline.
    void mark_welcomed();
    // Sends `final_frame` (if any) after what is queued, then closes gracefully:
    // shut down our side, discard input until the client closes or the linger ends.
    void close(SharedFrame final_frame, CloseReason reason);
    // Closes now without lingering: discards what the client has sent so far,
    // writes `final_frame` if the kernel takes it whole at once (it does on a
    // connection that has been sent nothing yet), and closes the socket. For
    // connections refused or evicted before Welcome, so a flood of them holds
    // no descriptors for the linger.
    void close_at_once(SharedFrame final_frame, CloseReason reason);
    // Closes at once, dropping whatever is queued.
    void abort(CloseReason reason);

    SessionId id() const noexcept { return id_; }
    // The address as connection caps count it (address_key()).
    const std::string& remote_address() const noexcept { return remote_address_; }
    bool closing() const noexcept { return closing_; }
    bool welcomed() const noexcept { return welcomed_; }
    // Bytes from the client wait in the kernel and the session is reading (not
    // paused): they will be handled in a moment.
    bool about_to_read() const;
    // The most this session queues itself (max_output_bytes less the kernel's share).
    std::size_t queue_cap() const noexcept { return queue_cap_; }

private:
    using Clock = std::chrono::steady_clock;

    void read();
    void on_read(const std::error_code& ec, std::size_t n);
    void deliver_frames(Clock::time_point now);
    void write();
    void on_written(const std::error_code& ec, std::size_t n);
    Clock::time_point session_deadline() const;
    Clock::time_point next_deadline() const;
    void update_deadline();
    void arm_deadline(Clock::time_point due);
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
    bool reading_ = false;
    bool paused_ = false;        // frames wait unread while the client's answers do
    std::deque<SharedFrame> queue_;
    std::size_t queued_bytes_ = 0;
    std::size_t queue_cap_ = 0;  // max_output_bytes less the kernel's send buffer
    std::size_t in_flight_ = 0;  // frames at the front of queue_ being written
    bool writing_ = false;

    Clock::time_point accepted_at_;
    Clock::time_point last_frame_at_;                  // the last complete frame received
    std::optional<Clock::time_point> frame_started_;   // the first byte of an unfinished frame
    Clock::time_point armed_for_ = Clock::time_point::max();
    bool welcomed_ = false;
    bool closing_ = false;       // no more frames delivered, no more sends queued
    bool shut_down_ = false;     // our side's FIN sent
    bool peer_closed_ = false;   // the client's FIN received
    bool finished_ = false;      // the socket is closed
};

} // namespace skirmish::server
