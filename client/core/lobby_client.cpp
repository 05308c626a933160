// client/core/lobby_client.cpp
#include "client/core/lobby_client.hpp"

#include "shared/net/lobby_framing.hpp"

#include <fmt/format.h>

#include <array>
#include <deque>
#include <vector>

namespace skirmish::client {

namespace pl = protocol::lobby;
using Clock = std::chrono::steady_clock;

std::string_view name(LobbyState state) {
    switch (state) {
    case LobbyState::Idle: return "idle";
    case LobbyState::Connecting: return "connecting";
    case LobbyState::Handshaking: return "handshaking";
    case LobbyState::Ready: return "ready";
    case LobbyState::Closed: return "closed";
    }
    return "unknown";
}

std::string_view name(LobbyDisconnect reason) {
    switch (reason) {
    case LobbyDisconnect::ResolveFailed: return "resolve failed";
    case LobbyDisconnect::Refused: return "connection refused";
    case LobbyDisconnect::Unreachable: return "unreachable";
    case LobbyDisconnect::ConnectTimeout: return "connect timeout";
    case LobbyDisconnect::WelcomeTimeout: return "welcome timeout";
    case LobbyDisconnect::NameRefused: return "name refused";
    case LobbyDisconnect::RejoinRefused: return "rejoin refused";
    case LobbyDisconnect::ServerError: return "server error";
    case LobbyDisconnect::ServerClosed: return "server closed";
    case LobbyDisconnect::BadFrame: return "bad frame from server";
    case LobbyDisconnect::NetworkError: return "network error";
    case LobbyDisconnect::OutputOverflow: return "output overflow";
    case LobbyDisconnect::LocalClose: return "closed locally";
    }
    return "unknown";
}

namespace {
double seconds(std::chrono::milliseconds ms) { return static_cast<double>(ms.count()) / 1000.0; }
} // namespace

struct LobbyClient::Impl : std::enable_shared_from_this<LobbyClient::Impl> {
    Impl(asio::io_context& io_context, LobbyClientConfig cfg)
        : config(std::move(cfg)), resolver(io_context), socket(io_context), timer(io_context) {}

    LobbyClientConfig config;
    asio::ip::tcp::resolver resolver;
    asio::ip::tcp::socket socket;
    asio::steady_timer timer; // connect deadline, then Welcome deadline, then the ping interval
    std::uint64_t timer_generation = 0;

    LobbyState state = LobbyState::Idle;
    std::string endpoint;
    std::optional<pl::Welcome> welcome;
    std::optional<pl::Error> closing_error; // an Error after which the server closes

    net::FrameDecoder decoder;
    std::array<std::uint8_t, 16 * 1024> read_buffer{};
    std::deque<std::vector<std::uint8_t>> out;
    std::size_t out_bytes = 0;
    std::size_t in_flight = 0;
    bool writing = false;
    std::vector<pl::ClientMessage> held; // requests queued before Welcome
    std::deque<LobbyEvent> events;
    Clock::time_point last_sent{};
    std::uint64_t next_ping_nonce = 1;
    std::chrono::milliseconds ping_interval{0};

    // --- connecting -----------------------------------------------------------------------------

    void connect(const std::string& host, std::uint16_t port) {
        if (state != LobbyState::Idle) return;
        state = LobbyState::Connecting;
        endpoint = fmt::format("{}:{}", host, port);
        arm_timer(config.connect_timeout, [](Impl& self) {
            self.fail(LobbyDisconnect::ConnectTimeout,
                      fmt::format("no answer from {} within {} s: check the address, the port and any firewall",
                                  self.endpoint, seconds(self.config.connect_timeout)));
        });
        resolver.async_resolve(host, std::to_string(port),
                               [self = shared_from_this(), host](const std::error_code& ec,
                                                                 asio::ip::tcp::resolver::results_type results) {
                                   if (self->state != LobbyState::Connecting) return;
                                   if (ec)
                                       return self->fail(LobbyDisconnect::ResolveFailed,
                                                         fmt::format("cannot resolve '{}': {}: check the server address",
                                                                     host, ec.message()));
                                   self->connect_to(results);
                               });
    }

    void connect_to(const asio::ip::tcp::resolver::results_type& results) {
        asio::async_connect(socket, results,
                            [self = shared_from_this()](const std::error_code& ec, const asio::ip::tcp::endpoint&) {
                                self->on_connected(ec);
                            });
    }

    void on_connected(const std::error_code& ec) {
        if (state != LobbyState::Connecting) return;
        if (ec == asio::error::connection_refused)
            return fail(LobbyDisconnect::Refused,
                        fmt::format("connection refused by {}: is skirmish-server running?", endpoint));
        if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable)
            return fail(LobbyDisconnect::Unreachable,
                        fmt::format("cannot reach {}: {}: check the address and your network", endpoint, ec.message()));
        if (ec == asio::error::timed_out)
            return fail(LobbyDisconnect::ConnectTimeout,
                        fmt::format("no answer from {}: check the address, the port and any firewall", endpoint));
        if (ec) return fail(LobbyDisconnect::NetworkError, fmt::format("cannot connect to {}: {}", endpoint, ec.message()));
        std::error_code ignored;
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        state = LobbyState::Handshaking;
        enqueue(pl::Hello{config.protocol_version, config.name, config.password, config.reconnect_match_id,
                          config.reconnect_secret});
        arm_timer(config.welcome_timeout, [](Impl& self) {
            self.fail(LobbyDisconnect::WelcomeTimeout,
                      fmt::format("connected to {} but no Welcome within {} s: is that a skirmish-server lobby port?",
                                  self.endpoint, seconds(self.config.welcome_timeout)));
        });
        read();
    }

    // --- receiving ------------------------------------------------------------------------------

    void read() {
        socket.async_read_some(asio::buffer(read_buffer),
                               [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                                   self->on_read(ec, n);
                               });
    }

    void on_read(const std::error_code& ec, std::size_t n) {
        if (state == LobbyState::Closed) return;
        if (ec) return on_stream_end(ec);
        decoder.feed(std::span(read_buffer.data(), n));
        while (state != LobbyState::Closed) {
            auto next = decoder.next();
            if (!next)
                return fail(LobbyDisconnect::BadFrame,
                            fmt::format("the server at {} sent a bad frame ({}): is it a skirmish-server of the same "
                                        "version?",
                                        endpoint, net::name(next.error())));
            if (!next.value()) break;
            auto message = pl::decode_server_message(*next.value());
            // A verified message with a tag we do not know comes from a newer
            // server (messages are only ever added): skip it.
            if (!message && message.error().error == pl::LobbyDecodeError::UnknownMessage &&
                message.error().kind == pl::MessageKind::None)
                continue;
            if (!message)
                return fail(LobbyDisconnect::BadFrame,
                            fmt::format("the server at {} sent a bad {} message ({}): is it a skirmish-server of the "
                                        "same version?",
                                        endpoint, pl::name(message.error().kind), pl::name(message.error().error)));
            on_message(std::move(message).value());
        }
        if (state != LobbyState::Closed) read();
    }

    void on_message(pl::ServerMessage message) {
        if (const auto* w = std::get_if<pl::Welcome>(&message); w && state == LobbyState::Handshaking) {
            welcome = *w;
            state = LobbyState::Ready;
            ping_interval = config.ping_interval.count() > 0
                                ? config.ping_interval
                                : std::chrono::milliseconds(std::max<int>(1, w->idle_timeout_s) * 1000 / 3);
            arm_ping();
            auto queued = std::move(held);
            held.clear();
            for (const auto& m : queued) enqueue(m);
        }
        if (const auto* e = std::get_if<pl::Error>(&message); e && pl::closes_connection(e->code)) closing_error = *e;
        const auto* refused = std::get_if<pl::Error>(&message);
        const bool name_refused = refused && state == LobbyState::Handshaking &&
                                  (refused->code == pl::ErrorCode::NameTaken || refused->code == pl::ErrorCode::BadName);
        const std::string refusal = name_refused ? refused->text : std::string();
        const auto code = name_refused ? std::optional(refused->code) : std::nullopt;
        // RoomFull before Welcome answers only a rejoin (its room filled up meanwhile).
        const bool rejoin_refused = refused && state == LobbyState::Handshaking &&
                                    (refused->code == pl::ErrorCode::ReconnectRefused ||
                                     refused->code == pl::ErrorCode::ReconnectExpired ||
                                     refused->code == pl::ErrorCode::RoomFull);
        const auto rejoin_code = rejoin_refused ? std::optional(refused->code) : std::nullopt;
        const std::string rejoin_text = rejoin_refused ? refused->text : std::string();
        events.emplace_back(std::move(message));
        if (name_refused && !config.keep_open_on_refused_name)
            fail(LobbyDisconnect::NameRefused, fmt::format("{} refused the name '{}': {}", endpoint, config.name, refusal),
                 code);
        if (rejoin_refused)
            fail(LobbyDisconnect::RejoinRefused, fmt::format("{} did not let you rejoin: {}", endpoint, rejoin_text),
                 rejoin_code);
    }

    void on_stream_end(const std::error_code& ec) {
        if (closing_error)
            return fail(LobbyDisconnect::ServerError,
                        fmt::format("the server closed the connection: {} ({})", closing_error->text,
                                    pl::name(closing_error->code)),
                        closing_error->code);
        if (ec == asio::error::eof)
            return fail(LobbyDisconnect::ServerClosed,
                        state == LobbyState::Handshaking
                            ? fmt::format("the server at {} closed the connection before Welcome", endpoint)
                            : fmt::format("the server at {} closed the connection", endpoint));
        fail(LobbyDisconnect::NetworkError, fmt::format("connection to {} lost: {}", endpoint, ec.message()));
    }

    // --- sending --------------------------------------------------------------------------------

    void send(const pl::ClientMessage& message) {
        if (state == LobbyState::Closed) return;
        // A second Hello (after BadName or NameTaken) goes out at once.
        const bool hello_now = state == LobbyState::Handshaking && std::holds_alternative<pl::Hello>(message);
        if (state != LobbyState::Ready && !hello_now) {
            held.push_back(message);
            return;
        }
        enqueue(message);
    }

    void enqueue(const pl::ClientMessage& message) {
        std::vector<std::uint8_t> frame;
        if (!net::append_frame(frame, pl::encode_client_message(message))) return;
        out_bytes += frame.size();
        out.push_back(std::move(frame));
        last_sent = Clock::now();
        if (out_bytes > config.max_output_bytes)
            return fail(LobbyDisconnect::OutputOverflow,
                        fmt::format("more than {} bytes queued for {}: the server is not reading",
                                    config.max_output_bytes, endpoint));
        write();
    }

    void write() {
        if (writing || out.empty() || state == LobbyState::Closed || state == LobbyState::Connecting) return;
        in_flight = std::min<std::size_t>(out.size(), 64);
        std::vector<asio::const_buffer> buffers;
        for (std::size_t i = 0; i < in_flight; ++i) buffers.push_back(asio::buffer(out[i]));
        writing = true;
        asio::async_write(socket, buffers, [self = shared_from_this()](const std::error_code& ec, std::size_t) {
            self->on_written(ec);
        });
    }

    void on_written(const std::error_code& ec) {
        writing = false;
        if (state == LobbyState::Closed) return;
        if (ec) return on_stream_end(ec);
        for (std::size_t i = 0; i < in_flight; ++i) {
            out_bytes -= out.front().size();
            out.pop_front();
        }
        in_flight = 0;
        write();
    }

    // --- timers ---------------------------------------------------------------------------------

    template <typename OnExpiry>
    void arm_timer(std::chrono::milliseconds after, OnExpiry on_expiry) {
        const std::uint64_t generation = ++timer_generation;
        timer.expires_after(after);
        timer.async_wait([self = shared_from_this(), generation, on_expiry](const std::error_code& ec) {
            if (ec || self->timer_generation != generation || self->state == LobbyState::Closed) return;
            on_expiry(*self);
        });
    }

    void arm_ping() {
        const auto due = last_sent + ping_interval;
        const auto now = Clock::now();
        const auto wait = due > now ? std::chrono::duration_cast<std::chrono::milliseconds>(due - now)
                                    : std::chrono::milliseconds(0);
        arm_timer(wait, [](Impl& self) {
            if (Clock::now() >= self.last_sent + self.ping_interval) self.enqueue(pl::Ping{self.next_ping_nonce++});
            if (self.state == LobbyState::Ready) self.arm_ping();
        });
    }

    // --- ending ---------------------------------------------------------------------------------

    void fail(LobbyDisconnect reason, std::string text, std::optional<pl::ErrorCode> code = std::nullopt) {
        if (state == LobbyState::Closed) return;
        events.emplace_back(Disconnected{reason, std::move(text), code});
        shutdown();
    }

    void shutdown() {
        state = LobbyState::Closed;
        ++timer_generation;
        std::error_code ignored;
        resolver.cancel();
        timer.cancel();
        socket.close(ignored);
        out.clear();
        held.clear();
        out_bytes = 0;
    }
};

LobbyClient::LobbyClient(asio::io_context& io, LobbyClientConfig config)
    : impl_(std::make_shared<Impl>(io, std::move(config))) {}

LobbyClient::~LobbyClient() {
    if (impl_) impl_->shutdown();
}

LobbyClient::LobbyClient(LobbyClient&&) noexcept = default;

LobbyClient& LobbyClient::operator=(LobbyClient&& other) noexcept {
    if (this != &other) {
        if (impl_) impl_->shutdown();
        impl_ = std::move(other.impl_);
    }
    return *this;
}

void LobbyClient::connect(const std::string& host, std::uint16_t port) { impl_->connect(host, port); }
void LobbyClient::send(const pl::ClientMessage& message) { impl_->send(message); }
void LobbyClient::close() { impl_->fail(LobbyDisconnect::LocalClose, "closed by this client"); }

std::optional<LobbyEvent> LobbyClient::next_event() {
    if (impl_->events.empty()) return std::nullopt;
    LobbyEvent event = std::move(impl_->events.front());
    impl_->events.pop_front();
    return event;
}

LobbyState LobbyClient::state() const noexcept { return impl_->state; }
sim::PlayerId LobbyClient::player_id() const noexcept {
    return impl_->welcome ? sim::PlayerId{impl_->welcome->player_id} : sim::kNoPlayer;
}
const pl::Welcome* LobbyClient::welcome() const noexcept { return impl_->welcome ? &*impl_->welcome : nullptr; }
const std::string& LobbyClient::endpoint_text() const noexcept { return impl_->endpoint; }

} // namespace skirmish::client
