// server/lobby/lobby_server.cpp
#include "server/lobby/lobby_server.hpp"

#include "shared/net/lobby_framing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <future>

namespace skirmish::server {

namespace pl = protocol::lobby;

namespace {

util::TimePoint steady_now() {
    return std::chrono::time_point_cast<util::Duration>(std::chrono::steady_clock::now());
}

// A message as one ready-to-send frame, shared by every session it goes to.
SharedFrame frame_of(const pl::ServerMessage& message) {
    const auto payload = pl::encode_server_message(message);
    auto frame = std::make_shared<std::vector<std::uint8_t>>();
    if (!net::append_frame(*frame, payload)) return nullptr; // over the cap: a bug in what we built
    return frame;
}

std::string check_config(const LobbyConfig& c) {
    if (c.maps.empty()) return "the lobby needs at least one map";
    if (c.maps.size() > pl::kMaxMaps) return fmt::format("at most {} maps, got {}", pl::kMaxMaps, c.maps.size());
    for (const auto& m : c.maps)
        if (!pl::is_valid_name(m, pl::kMaxMapNameBytes)) return fmt::format("'{}' is not a usable map name", m);
    if (auto problem = check_hosting(c.hosting, c.maps); !problem.empty()) return problem;
    if (!pl::is_valid_text(c.game_address, protocol::free_text(pl::kMaxAddressBytes)))
        return fmt::format("the game address must be at most {} bytes of UTF-8 without control characters",
                           pl::kMaxAddressBytes);
    if (!c.now_unix_ms) return "LobbyConfig::now_unix_ms is not set";
    if (c.limits.max_chat_bytes == 0 || c.limits.max_chat_bytes > pl::kMaxChatBytes)
        return fmt::format("max chat bytes must be 1..{}", pl::kMaxChatBytes);
    if (c.limits.max_connections == 0 || c.limits.max_connections_per_address == 0 || c.limits.max_handshakes == 0 ||
        c.limits.max_handshakes_per_address == 0)
        return "connection limits must be at least 1";
    if (c.limits.handshake_timeout.count() <= 0 || c.limits.idle_timeout.count() <= 0 ||
        c.limits.frame_timeout.count() <= 0)
        return "the lobby's handshake, idle and frame timeouts must be positive";
    return {};
}

SlotLimits slot_limits(const LobbyLimits& l) {
    return {l.max_connections, l.max_connections_per_address, l.max_handshakes, l.max_handshakes_per_address};
}

SessionLimits session_limits(const LobbyLimits& l) {
    return {l.handshake_timeout, l.idle_timeout,     l.frame_timeout,
            l.close_linger,      l.max_output_bytes, l.socket_send_buffer_bytes};
}

} // namespace

std::string check_hosting(const LobbyHosting& h, const std::vector<std::string>& maps) {
    if (!pl::is_valid_text(h.server_name, protocol::free_text(pl::kMaxServerNameBytes)))
        return fmt::format("the server name must be at most {} bytes of UTF-8 without control characters",
                           pl::kMaxServerNameBytes);
    if (h.motd.size() > pl::kMaxMotdLines)
        return fmt::format("the message of the day has {} lines; at most {}", h.motd.size(), pl::kMaxMotdLines);
    for (const auto& line : h.motd)
        if (!pl::is_valid_text(line, protocol::free_text(pl::kMaxMotdLineBytes)))
            return fmt::format("each line of the message of the day must be at most {} bytes of UTF-8 without "
                               "control characters",
                               pl::kMaxMotdLineBytes);
    if (!pl::is_valid_text(h.password, protocol::free_text(pl::kMaxPasswordBytes)))
        return fmt::format("the password must be at most {} bytes of UTF-8 without control characters",
                           pl::kMaxPasswordBytes);
    for (const auto& map : h.map_rotation)
        if (std::find(maps.begin(), maps.end(), map) == maps.end())
            return fmt::format("the map rotation names '{}', which is not one of the server's maps", map);
    if (auto valid = protocol::validate_settings(h.room_defaults); !valid)
        return fmt::format("the default room settings are out of range: {}", valid.error());
    return {};
}

LobbyServer::LobbyServer(LobbyConfig config, GameLink& game, util::Logger log)
    : config_(std::move(config)), game_(game), log_(std::move(log)), acceptor_(io_), accept_retry_(io_),
      slots_(slot_limits(config_.limits)) {}

LobbyServer::~LobbyServer() { stop(); }

// --- start / stop ---------------------------------------------------------------------------

util::Result<asio::ip::tcp::endpoint, std::string> LobbyServer::listen() {
    std::error_code ec;
    const auto address = asio::ip::make_address(config_.bind_address, ec);
    if (ec)
        return util::fail(fmt::format("'{}' is not an IP address to listen on: use e.g. 0.0.0.0 (all) or 127.0.0.1 "
                                      "with --bind",
                                      config_.bind_address));
    const asio::ip::tcp::endpoint endpoint(address, config_.port);
    if (acceptor_.open(endpoint.protocol(), ec); ec)
        return util::fail(fmt::format("cannot open a TCP socket: {}", ec.message()));
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (const int asked = config_.limits.socket_send_buffer_bytes; asked > 0) {
        // Accepted sockets inherit it (each is set again on accept); what the
        // kernel books must leave room for the session's own queue.
        acceptor_.set_option(asio::socket_base::send_buffer_size(asked), ec);
        asio::socket_base::send_buffer_size got;
        acceptor_.get_option(got, ec);
        if (!ec && static_cast<std::size_t>(got.value()) * 2 > config_.limits.max_output_bytes) {
            acceptor_.close();
            return util::fail(fmt::format("a socket send buffer of {} bytes (the kernel books {}) leaves too little of "
                                          "the {}-byte output cap: ask for at most a quarter of it",
                                          asked, got.value(), config_.limits.max_output_bytes));
        }
    }
    if (acceptor_.bind(endpoint, ec); ec) {
        acceptor_.close();
        if (ec == asio::error::address_in_use)
            return util::fail(fmt::format("TCP port {} is already in use: is another skirmish-server running? Pick "
                                          "another with --port",
                                          config_.port));
        if (ec == asio::error::access_denied)
            return util::fail(fmt::format("TCP port {} needs privileges this user does not have: pick a port above "
                                          "1023 with --port",
                                          config_.port));
        if (ec == std::errc::address_not_available)
            return util::fail(fmt::format("cannot listen on {}: it is not an address of this machine (--bind)",
                                          config_.bind_address));
        return util::fail(fmt::format("cannot listen on {}:{}: {}", config_.bind_address, config_.port, ec.message()));
    }
    if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
        acceptor_.close();
        return util::fail(fmt::format("cannot listen on {}:{}: {}", config_.bind_address, config_.port, ec.message()));
    }
    const auto local = acceptor_.local_endpoint(ec);
    if (ec) return util::fail(fmt::format("cannot read the listening port: {}", ec.message()));
    return local;
}

util::Result<std::uint16_t, std::string> LobbyServer::start() {
    if (started_) return util::fail(std::string("the lobby was already started"));
    started_ = true;
    if (auto problem = check_config(config_); !problem.empty()) return util::fail(std::move(problem));
    auto endpoint = listen();
    if (!endpoint) return util::fail(endpoint.error());
    const std::uint16_t bound = endpoint->port();
    port_ = bound;
    lobby_ = std::make_unique<Lobby>(config_, config_.game_port != 0 ? config_.game_port : bound, game_,
                                     static_cast<LobbyOutput&>(*this), tokens_, log_);
    lobby_->set_poster([this](std::function<void()> work) {
        asio::post(io_, [this, work = std::move(work)] {
            work();
            publish_stats();
        });
    });
    work_.emplace(io_.get_executor());
    accept();
    try {
        thread_ = std::thread([this] {
            // A handler that throws is a bug; log it and keep serving the others.
            for (;;) {
                try {
                    io_.run();
                    return;
                } catch (const std::exception& e) {
                    log_.error("lobby handler failed: {}", e.what());
                }
            }
        });
    } catch (const std::exception& e) {
        return util::fail(fmt::format("cannot start the lobby thread: {}", e.what()));
    }
    log_.info("lobby listening on {}:{} (TCP), {} maps", endpoint->address().to_string(), bound, config_.maps.size());
    return bound;
}

void LobbyServer::stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] { shutdown(); });
    thread_.join();
    publish_stats();
}

void LobbyServer::shutdown() {
    stopping_ = true;
    std::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    const SharedFrame bye = frame_of(pl::Error{pl::ErrorCode::ServerShuttingDown,
                                               "the server is shutting down: try again later", pl::MessageKind::None});
    const auto sessions = sessions_; // closing erases from sessions_
    for (const auto& [id, session] : sessions) session->close(bye, CloseReason::ServerShutdown);
    work_.reset(); // run() returns once the last session has closed
}

// --- accepting --------------------------------------------------------------------------------

void LobbyServer::accept() {
    acceptor_.async_accept([this](const std::error_code& ec, asio::ip::tcp::socket socket) {
        if (stopping_ || ec == asio::error::operation_aborted) return;
        if (ec) {
            // Usually out of file descriptors: wait a moment instead of spinning.
            log_.warn("accepting a lobby connection failed: {}", ec.message());
            accept_retry_.expires_after(std::chrono::milliseconds(100));
            accept_retry_.async_wait([this](const std::error_code& wait_ec) {
                if (!wait_ec && !stopping_) accept();
            });
            return;
        }
        on_accepted(std::move(socket));
        accept();
    });
}

void LobbyServer::on_accepted(asio::ip::tcp::socket socket) {
    const SessionId id{next_session_id_++};
    auto session = std::make_shared<TcpSession>(std::move(socket), id, static_cast<TcpSession::Events&>(*this),
                                                session_limits(config_.limits));
    ++connections_accepted_;
    const auto admission = slots_.admit(id, session->remote_address(), [this](SessionId other) {
        const auto s = find_session(other);
        return s && s->about_to_read();
    });
    if (admission.verdict != ConnectionSlots::Verdict::Admitted) return refuse(session, admission.verdict);
    if (admission.evicted) evict(*admission.evicted, admission.why);
    sessions_.emplace(static_cast<std::uint64_t>(id), session);
    lobby_->on_connect(id, steady_now(), session->remote_address());
    session->start();
    log_.debug("session {} from {} opened", static_cast<std::uint64_t>(id), session->remote_address());
    publish_stats();
}

// Over a players' cap, at accept or at Hello. At accept it is closed at once
// (no linger), so a flood against a full server holds no descriptors.
void LobbyServer::refuse(const std::shared_ptr<TcpSession>& session, ConnectionSlots::Verdict verdict) {
    const auto& l = config_.limits;
    const bool server_full = verdict == ConnectionSlots::Verdict::ServerFull;
    const pl::Error error{
        server_full ? pl::ErrorCode::ServerFull : pl::ErrorCode::TooManyConnections,
        server_full ? fmt::format("the server is full ({} players): try again later", l.max_connections)
                    : fmt::format("too many connections from {} (at most {}): close some and retry",
                                  session->remote_address(), l.max_connections_per_address),
        pl::MessageKind::None};
    ++connections_refused_;
    ++(server_full ? refused_server_full_ : refused_per_address_);
    log_.debug("refused a connection from {}: {}", session->remote_address(), error.text);
    if (find_session(session->id())) session->close(frame_of(error), CloseReason::Refused);
    else session->close_at_once(frame_of(error), CloseReason::Refused);
}

void LobbyServer::evict(SessionId id, ConnectionSlots::Eviction why) {
    const auto session = find_session(id);
    if (!session) return;
    const auto& l = config_.limits;
    const bool own_address = why == ConnectionSlots::Eviction::AddressHandshakesFull;
    const pl::Error error{
        own_address ? pl::ErrorCode::TooManyConnections : pl::ErrorCode::ServerFull,
        own_address ? fmt::format("too many connections from {} were waiting to say Hello (at most {}): this, the "
                                  "oldest, was closed; send Hello right after connecting",
                                  session->remote_address(), l.max_handshakes_per_address)
                    : fmt::format("too many connections were waiting to say Hello (at most {}): this one, the oldest "
                                  "from the busiest address, was closed; send Hello right after connecting",
                                  l.max_handshakes),
        pl::MessageKind::None};
    ++handshakes_evicted_;
    log_.debug("evicted session {} from {}: {}", static_cast<std::uint64_t>(id), session->remote_address(), error.text);
    session->close_at_once(frame_of(error), CloseReason::Evicted);
}

// --- session events -----------------------------------------------------------------------------

void LobbyServer::on_frame(SessionId id, std::span<const std::uint8_t> payload) {
    auto decoded = pl::decode_client_message(payload);
    if (!decoded) lobby_->on_bad_message(id, decoded.error(), steady_now());
    else if (!refused_at_hello(id, find_session(id), *decoded)) lobby_->on_message(id, *decoded, steady_now());
    publish_stats();
}

// A Hello is where a handshake would become a player: the players' caps are
// checked again, since others may have been welcomed since the accept.
bool LobbyServer::refused_at_hello(SessionId id, const std::shared_ptr<TcpSession>& session,
                                   const pl::ClientMessage& message) {
    if (!session || session->welcomed() || !std::holds_alternative<pl::Hello>(message)) return false;
    const auto verdict = slots_.check_welcome(id);
    if (verdict == ConnectionSlots::Verdict::Admitted) return false;
    refuse(session, verdict);
    return true;
}

void LobbyServer::on_stream_error(SessionId id, std::string_view what) {
    close(id, pl::Error{pl::ErrorCode::BadFrame, fmt::format("bad frame: {}; the connection is closed", what),
                        pl::MessageKind::None});
}

void LobbyServer::on_timeout(SessionId id, TimeoutKind kind) {
    ++timeouts_;
    const auto& l = config_.limits;
    std::string text;
    CloseReason reason{};
    switch (kind) {
    case TimeoutKind::Handshake:
        text = fmt::format("no Hello within {} ms: send Hello right after connecting", l.handshake_timeout.count());
        reason = CloseReason::HandshakeTimeout;
        break;
    case TimeoutKind::Idle:
        text = fmt::format("no message received for {} s: send a Ping at least that often",
                           std::chrono::duration_cast<std::chrono::seconds>(l.idle_timeout).count());
        reason = CloseReason::IdleTimeout;
        break;
    case TimeoutKind::Frame:
        text = fmt::format("a frame was still incomplete {} ms after its first byte: send each frame whole",
                           l.frame_timeout.count());
        reason = CloseReason::FrameTimeout;
        break;
    }
    if (auto session = find_session(id))
        session->close(frame_of(pl::Error{pl::ErrorCode::Timeout, text, pl::MessageKind::None}), reason);
}

void LobbyServer::on_closed(SessionId id, CloseReason reason) {
    if (reason == CloseReason::SlowReader) ++slow_readers_;
    slots_.release(id);
    const auto it = sessions_.find(static_cast<std::uint64_t>(id));
    if (it == sessions_.end()) return; // a refused connection
    const std::string address = it->second->remote_address();
    sessions_.erase(it);
    log_.debug("session {} from {} closed: {}", static_cast<std::uint64_t>(id), address, name(reason));
    // Posted: this may run inside a Lobby call that is closing the session.
    asio::post(io_, [this, id] {
        lobby_->on_disconnect(id);
        publish_stats();
    });
    publish_stats();
}

// --- LobbyOutput ----------------------------------------------------------------------------------

void LobbyServer::send(std::span<const SessionId> to, const pl::ServerMessage& message) {
    const SharedFrame frame = frame_of(message);
    if (!frame) {
        log_.error("a {} message did not fit in a lobby frame; dropped", pl::name(pl::kind_of(message)));
        return;
    }
    const bool welcome = std::holds_alternative<pl::Welcome>(message);
    for (const SessionId id : to) {
        if (auto session = find_session(id)) {
            if (welcome) {
                session->mark_welcomed();
                slots_.welcome(id);
            }
            session->send(frame);
        }
    }
}

void LobbyServer::close(SessionId id, const pl::Error& error) {
    auto session = find_session(id);
    if (!session) return;
    if (error.code == pl::ErrorCode::BadFrame || error.code == pl::ErrorCode::UnknownMessage) ++bad_frames_;
    log_.debug("closing session {}: {} ({})", static_cast<std::uint64_t>(id), pl::name(error.code), error.text);
    session->close(frame_of(error), CloseReason::ProtocolError);
}

// --- LobbyLink --------------------------------------------------------------------------------------

void LobbyServer::match_ended(protocol::MatchResults results) {
    asio::post(io_, [this, results = std::move(results)] {
        if (!lobby_) return;
        lobby_->on_match_ended(results);
        publish_stats();
    });
}

bool LobbyServer::token_live(sim::PlayerId player_id, std::uint64_t token_id) const {
    return tokens_.is_live(player_id, token_id);
}

void LobbyServer::player_left_match(protocol::MatchId match_id, sim::PlayerId player_id) {
    asio::post(io_, [this, match_id, player_id] {
        if (lobby_) lobby_->on_player_left_match(match_id, player_id);
    });
}

// --- the host -------------------------------------------------------------------------------------------

util::Result<util::Ok, std::string> LobbyServer::reconfigure(LobbyHosting hosting) {
    if (auto problem = check_hosting(hosting, config_.maps); !problem.empty()) return util::fail(std::move(problem));
    asio::post(io_, [this, hosting = std::move(hosting)]() mutable {
        const LobbyHosting before = std::exchange(config_.hosting, std::move(hosting));
        if (lobby_) lobby_->on_hosting_changed(before);
    });
    return util::Ok{};
}

bool LobbyServer::run_on_lobby(std::function<void(Lobby&)> work, std::chrono::milliseconds timeout) {
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    asio::post(io_, [this, done, work = std::move(work)] {
        if (lobby_ && !stopping_) work(*lobby_);
        publish_stats();
        done->set_value();
    });
    return finished.wait_for(timeout) == std::future_status::ready;
}

// --- helpers --------------------------------------------------------------------------------------------

std::shared_ptr<TcpSession> LobbyServer::find_session(SessionId id) const {
    const auto it = sessions_.find(static_cast<std::uint64_t>(id));
    return it == sessions_.end() ? nullptr : it->second;
}

void LobbyServer::publish_stats() {
    connections_open_ = sessions_.size();
    handshakes_open_ = slots_.handshakes();
    if (!lobby_) return;
    players_ = lobby_->player_count();
    rooms_ = lobby_->room_count();
    matches_started_ = lobby_->matches_started();
    rate_limited_ = lobby_->rate_limited();
    wrong_passwords_ = lobby_->wrong_passwords();
}

LobbyStats LobbyServer::stats() const {
    LobbyStats s;
    s.connections_accepted = connections_accepted_;
    s.connections_refused = connections_refused_;
    s.connections_open = connections_open_;
    s.handshakes_open = handshakes_open_;
    s.handshakes_evicted = handshakes_evicted_;
    s.players = players_;
    s.rooms = rooms_;
    s.matches_started = matches_started_;
    s.bad_frames = bad_frames_;
    s.timeouts = timeouts_;
    s.slow_readers = slow_readers_;
    s.rate_limited = rate_limited_;
    s.refused_server_full = refused_server_full_;
    s.refused_per_address = refused_per_address_;
    s.wrong_passwords = wrong_passwords_;
    return s;
}

} // namespace skirmish::server
