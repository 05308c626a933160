// server/lobby/tcp_session.cpp
#include "server/lobby/tcp_session.hpp"

#include <algorithm>

namespace skirmish::server {

namespace {
constexpr std::size_t kMaxFramesPerWrite = 64;
}

std::string_view name(CloseReason reason) {
    switch (reason) {
    case CloseReason::ClientClosed: return "client closed";
    case CloseReason::NetworkError: return "network error";
    case CloseReason::BadFrame: return "bad frame";
    case CloseReason::ProtocolError: return "protocol error";
    case CloseReason::HandshakeTimeout: return "handshake timeout";
    case CloseReason::IdleTimeout: return "idle timeout";
    case CloseReason::SlowReader: return "slow reader (output cap)";
    case CloseReason::Refused: return "refused (connection cap)";
    case CloseReason::ServerShutdown: return "server shutdown";
    }
    return "unknown";
}

TcpSession::TcpSession(asio::ip::tcp::socket socket, SessionId id, Events& events, SessionLimits limits)
    : socket_(std::move(socket)), deadline_(socket_.get_executor()), id_(id), events_(events), limits_(limits) {
    std::error_code ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    remote_address_ = ec ? std::string("unknown") : endpoint.address().to_string();
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void TcpSession::start() {
    accepted_at_ = last_received_ = std::chrono::steady_clock::now();
    arm_deadline(accepted_at_ + limits_.handshake_timeout);
    read();
}

void TcpSession::mark_welcomed() {
    if (welcomed_ || closing_) return;
    welcomed_ = true;
    arm_deadline(last_received_ + limits_.idle_timeout); // may be sooner than the handshake deadline
}

// --- reading ------------------------------------------------------------------------------

void TcpSession::read() {
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this()](const std::error_code& ec, std::size_t n) { self->on_read(ec, n); });
}

void TcpSession::on_read(const std::error_code& ec, std::size_t n) {
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
    last_received_ = std::chrono::steady_clock::now();
    if (!closing_) {
        decoder_.feed(std::span(read_buffer_.data(), n));
        while (!closing_) {
            auto next = decoder_.next();
            if (!next) {
                events_.on_stream_error(id_, net::name(next.error()));
                if (!closing_) abort(CloseReason::BadFrame);
                break;
            }
            if (!next.value()) break;
            events_.on_frame(id_, *next.value());
        }
    }
    // While closing, input is read and discarded so the client sees our FIN
    // and final Error rather than a reset.
    if (!finished_) read();
}

// --- writing ------------------------------------------------------------------------------

void TcpSession::send(SharedFrame frame) {
    if (closing_ || !frame) return;
    if (queued_bytes_ + frame->size() > limits_.max_output_bytes) return abort(CloseReason::SlowReader);
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
    if (!queue_.empty()) return write();
    if (closing_) shut_down();
}

// --- closing --------------------------------------------------------------------------------

void TcpSession::close(SharedFrame final_frame, CloseReason reason) {
    if (closing_) return;
    begin_closing(reason);
    if (final_frame) {
        queued_bytes_ += final_frame->size(); // past the cap: it is the last one
        queue_.push_back(std::move(final_frame));
    }
    if (writing_) return; // on_written continues
    if (queue_.empty()) shut_down();
    else write();
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

void TcpSession::on_deadline() {
    if (closing_ || finished_) return; // the linger wait owns the timer now
    const auto now = std::chrono::steady_clock::now();
    const auto due = welcomed_ ? last_received_ + limits_.idle_timeout : accepted_at_ + limits_.handshake_timeout;
    if (now >= due) {
        events_.on_timeout(id_, !welcomed_);
        if (!closing_) abort(welcomed_ ? CloseReason::IdleTimeout : CloseReason::HandshakeTimeout);
        return;
    }
    arm_deadline(due);
}

void TcpSession::arm_deadline(std::chrono::steady_clock::time_point due) {
    // Re-arming cancels the pending wait; its handler sees operation_aborted.
    deadline_.expires_at(due);
    deadline_.async_wait([self = shared_from_this()](const std::error_code& ec) {
        if (ec != asio::error::operation_aborted) self->on_deadline();
    });
}

} // namespace skirmish::server
