// server/lobby/tcp_session.cpp
#include "server/lobby/tcp_session.hpp"

#include "server/lobby/connection_slots.hpp"

#include <algorithm>

namespace skirmish::server {

namespace {
constexpr std::size_t kMaxFramesPerWrite = 64;
// What close_at_once() reads and discards before closing, so the close is a
// FIN rather than a reset that could lose the final frame.
constexpr std::size_t kMaxDiscardAtOnce = 64 * 1024;
} // namespace

std::string_view name(CloseReason reason) {
    switch (reason) {
    case CloseReason::ClientClosed: return "client closed";
    case CloseReason::NetworkError: return "network error";
    case CloseReason::BadFrame: return "bad frame";
    case CloseReason::ProtocolError: return "protocol error";
    case CloseReason::HandshakeTimeout: return "handshake timeout";
    case CloseReason::IdleTimeout: return "idle timeout";
    case CloseReason::FrameTimeout: return "frame timeout";
    case CloseReason::SlowReader: return "slow reader (output cap)";
    case CloseReason::Refused: return "refused (connection cap)";
    case CloseReason::Evicted: return "evicted (handshake pool full)";
    case CloseReason::ServerShutdown: return "server shutdown";
    }
    return "unknown";
}

TcpSession::TcpSession(asio::ip::tcp::socket socket, SessionId id, Events& events, SessionLimits limits)
    : socket_(std::move(socket)), deadline_(socket_.get_executor()), id_(id), events_(events), limits_(limits),
      queue_cap_(limits.max_output_bytes) {
    std::error_code ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    remote_address_ = ec ? std::string("unknown") : address_key(endpoint.address());
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
    if (limits_.socket_send_buffer_bytes > 0) {
        // The kernel's share counts against the cap: what it reports is what
        // it will hold (Linux books twice the size asked for).
        socket_.set_option(asio::socket_base::send_buffer_size(limits_.socket_send_buffer_bytes), ec);
        asio::socket_base::send_buffer_size got;
        socket_.get_option(got, ec);
        const auto kernel = ec ? std::size_t{0} : static_cast<std::size_t>(std::max(got.value(), 0));
        queue_cap_ = limits_.max_output_bytes > kernel ? limits_.max_output_bytes - kernel : 0;
    }
}

void TcpSession::start() {
    accepted_at_ = last_frame_at_ = Clock::now();
    arm_deadline(accepted_at_ + limits_.handshake_timeout);
    read();
}

void TcpSession::mark_welcomed() {
    if (welcomed_ || closing_) return;
    welcomed_ = true;
    update_deadline(); // the idle deadline may be sooner than the handshake one
}

bool TcpSession::about_to_read() const {
    std::error_code ec;
    return !finished_ && !closing_ && !paused_ && socket_.available(ec) > 0 && !ec;
}

// --- reading ------------------------------------------------------------------------------

void TcpSession::read() {
    // While paused, frames wait in the client's socket; while closing, input
    // is read and discarded so the client sees our FIN and final Error rather
    // than a reset.
    if (reading_ || finished_ || (paused_ && !closing_)) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this()](const std::error_code& ec, std::size_t n) { self->on_read(ec, n); });
}

void TcpSession::on_read(const std::error_code& ec, std::size_t n) {
    reading_ = false;
    if (finished_) return;
    if (ec) {
        if (ec != asio::error::eof) return abort(CloseReason::NetworkError);
        peer_closed_ = true;
        if (closing_) {
            if (!writing_) finish();
            return;
        }
        if (decoder_.mid_frame()) {
            events_.on_stream_error(id_, "the connection ended in the middle of a frame");
            if (!closing_) abort(CloseReason::BadFrame);
            return;
        }
        // An orderly goodbye: flush what is queued, then close.
        return close(nullptr, CloseReason::ClientClosed);
    }
    if (!closing_) {
        decoder_.feed(std::span(read_buffer_.data(), n));
        deliver_frames(Clock::now());
    }
    read();
}

// Hands complete frames up until none is left or the client's answers fill
// half the queue; then keeps the frame clock and the deadline current.
void TcpSession::deliver_frames(Clock::time_point now) {
    paused_ = false;
    bool delivered = false;
    while (!closing_) {
        if (queued_bytes_ >= queue_cap_ / 2) {
            paused_ = true;
            break;
        }
        auto next = decoder_.next();
        if (!next) {
            events_.on_stream_error(id_, net::name(next.error()));
            if (!closing_) abort(CloseReason::BadFrame);
            return;
        }
        if (!next.value()) break;
        delivered = true;
        last_frame_at_ = now;
        events_.on_frame(id_, *next.value());
    }
    if (closing_) return;
    // A frame is on the clock from its first byte, except while the session
    // itself is not reading.
    if (paused_ || !decoder_.mid_frame()) frame_started_.reset();
    else if (delivered || !frame_started_) frame_started_ = now;
    update_deadline();
}

// --- writing ------------------------------------------------------------------------------

void TcpSession::send(SharedFrame frame) {
    if (closing_ || !frame) return;
    if (queued_bytes_ + frame->size() > queue_cap_) return abort(CloseReason::SlowReader);
    queued_bytes_ += frame->size();
    queue_.push_back(std::move(frame));
    write();
}

void TcpSession::write() {
    if (writing_ || queue_.empty() || finished_) return;
    in_flight_ = std::min(queue_.size(), kMaxFramesPerWrite);
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(in_flight_);
    for (std::size_t i = 0; i < in_flight_; ++i) buffers.push_back(asio::buffer(*queue_[i]));
    writing_ = true;
    asio::async_write(socket_, buffers, [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
        self->on_written(ec, n);
    });
}

void TcpSession::on_written(const std::error_code& ec, std::size_t) {
    writing_ = false;
    if (finished_) return;
    if (ec) return abort(CloseReason::NetworkError);
    for (std::size_t i = 0; i < in_flight_; ++i) {
        queued_bytes_ -= queue_.front()->size();
        queue_.pop_front();
    }
    in_flight_ = 0;
    if (!queue_.empty()) write();
    else if (closing_) return shut_down();
    // The answers drained below half the cap: the client's waiting frames next.
    if (paused_ && !closing_ && queued_bytes_ < queue_cap_ / 2) {
        deliver_frames(Clock::now());
        read();
    }
}

// --- closing --------------------------------------------------------------------------------

void TcpSession::close(SharedFrame final_frame, CloseReason reason) {
    if (closing_) return;
    begin_closing(reason);
    if (final_frame) {
        queued_bytes_ += final_frame->size(); // past the cap: it is the last one
        queue_.push_back(std::move(final_frame));
    }
    read(); // discard input until the client closes
    if (writing_) return; // on_written continues
    if (queue_.empty()) shut_down();
    else write();
}

void TcpSession::close_at_once(SharedFrame final_frame, CloseReason reason) {
    if (closing_) return;
    begin_closing(reason);
    std::error_code ec;
    socket_.non_blocking(true, ec);
    std::array<std::uint8_t, 4096> sink{};
    for (std::size_t discarded = 0; !ec && discarded < kMaxDiscardAtOnce && socket_.available(ec) > 0;)
        discarded += socket_.read_some(asio::buffer(sink), ec);
    if (final_frame && queue_.empty() && !writing_) socket_.write_some(asio::buffer(*final_frame), ec);
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    finish();
}

void TcpSession::abort(CloseReason reason) {
    begin_closing(reason);
    finish();
}

void TcpSession::begin_closing(CloseReason reason) {
    if (closing_) return;
    closing_ = true;
    // The linger deadline replaces the handshake/idle one.
    deadline_.expires_after(limits_.close_linger);
    deadline_.async_wait([self = shared_from_this()](const std::error_code& ec) {
        if (ec != asio::error::operation_aborted) self->finish();
    });
    events_.on_closed(id_, reason);
}

void TcpSession::shut_down() {
    if (shut_down_ || finished_) return;
    shut_down_ = true;
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    if (peer_closed_) finish();
}

void TcpSession::finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    std::error_code ignored;
    deadline_.cancel();
    socket_.close(ignored);
    queue_.clear();
    queued_bytes_ = 0;
}

// --- deadlines --------------------------------------------------------------------------------

// The handshake deadline until Welcome, then the idle one.
TcpSession::Clock::time_point TcpSession::session_deadline() const {
    return welcomed_ ? last_frame_at_ + limits_.idle_timeout : accepted_at_ + limits_.handshake_timeout;
}

TcpSession::Clock::time_point TcpSession::next_deadline() const {
    const auto due = session_deadline();
    return frame_started_ ? std::min(due, *frame_started_ + limits_.frame_timeout) : due;
}

// Re-arms only when the deadline moved earlier; a later one is found when the
// armed wait fires (on_deadline), so a busy session does not re-arm per frame.
void TcpSession::update_deadline() {
    if (closing_) return;
    if (const auto due = next_deadline(); due < armed_for_) arm_deadline(due);
}

void TcpSession::on_deadline() {
    armed_for_ = Clock::time_point::max();
    if (closing_ || finished_) return; // the linger wait owns the timer now
    const auto now = Clock::now();
    std::optional<TimeoutKind> kind;
    if (now >= session_deadline()) kind = welcomed_ ? TimeoutKind::Idle : TimeoutKind::Handshake;
    else if (frame_started_ && now >= *frame_started_ + limits_.frame_timeout) kind = TimeoutKind::Frame;
    if (!kind) return arm_deadline(next_deadline());
    events_.on_timeout(id_, *kind);
    if (closing_) return;
    switch (*kind) {
    case TimeoutKind::Handshake: return abort(CloseReason::HandshakeTimeout);
    case TimeoutKind::Idle: return abort(CloseReason::IdleTimeout);
    case TimeoutKind::Frame: return abort(CloseReason::FrameTimeout);
    }
}

void TcpSession::arm_deadline(Clock::time_point due) {
    // Re-arming cancels the pending wait; its handler sees operation_aborted.
    armed_for_ = due;
    deadline_.expires_at(due);
    deadline_.async_wait([self = shared_from_this()](const std::error_code& ec) {
        if (ec != asio::error::operation_aborted) self->on_deadline();
    });
}

} // namespace skirmish::server
