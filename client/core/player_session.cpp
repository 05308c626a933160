// client/core/player_session.cpp
#include "client/core/player_session.hpp"

#include <fmt/format.h>

namespace skirmish::client {

namespace lobby = protocol::lobby;

PlayerSession::PlayerSession(const net::EnetLibrary& enet, asio::io_context& io, PlayerSessionOptions options,
                             util::Logger log)
    : enet_(enet), io_(io), options_(std::move(options)), log_(std::move(log)) {}

PlayerSession::~PlayerSession() { close(); }

// --- lobby ------------------------------------------------------------------------------

void PlayerSession::connect(const std::string& host, std::uint16_t port, const std::string& name,
                            const std::string& password, const RejoinTicket& rejoin) {
    close();
    host_ = host;
    name_ = name;
    LobbyClientConfig config = options_.lobby;
    config.name = name;
    config.password = password;
    config.reconnect_match_id = rejoin.match_id;
    config.reconnect_secret = rejoin.secret;
    lobby_ = std::make_unique<LobbyClient>(io_, std::move(config));
    lobby_->connect(host, port);
}

bool PlayerSession::can_send() const noexcept {
    return lobby_ && lobby_->state() != LobbyState::Closed && lobby_->state() != LobbyState::Idle;
}

void PlayerSession::send(const lobby::ClientMessage& message) {
    if (can_send()) lobby_->send(message);
}

void PlayerSession::close() {
    leave_game();
    if (lobby_) lobby_->close();
    lobby_.reset();
}

std::optional<SessionEvent> PlayerSession::next_event(util::TimePoint now) {
    if (!lobby_) return std::nullopt;
    auto event = lobby_->next_event();
    if (!event) return std::nullopt;
    if (auto* message = std::get_if<lobby::ServerMessage>(&*event)) {
        if (auto* start = std::get_if<lobby::MatchStart>(message)) return start_game(std::move(*start), now);
        return SessionEvent{std::move(*message)};
    }
    return SessionEvent{std::get<Disconnected>(std::move(*event))};
}

LobbyState PlayerSession::lobby_state() const noexcept { return lobby_ ? lobby_->state() : LobbyState::Idle; }

sim::PlayerId PlayerSession::player_id() const noexcept { return lobby_ ? lobby_->player_id() : sim::kNoPlayer; }

const lobby::Welcome* PlayerSession::welcome() const noexcept { return lobby_ ? lobby_->welcome() : nullptr; }

// --- game -------------------------------------------------------------------------------

SessionEvent PlayerSession::start_game(lobby::MatchStart start, util::TimePoint now) {
    if (game_) {
        return GameNotStarted{std::move(start), true, "a second MatchStart while in a match: ignored"};
    }
    MatchTicket ticket;
    // An empty address means "where the lobby is".
    ticket.address = start.game_address.empty() ? host_ : start.game_address;
    ticket.port = start.port;
    ticket.token = start.connect_token;
    ticket.name = name_;
    std::string warning;
    if (options_.route) {
        RoutedTicket routed = options_.route->route(std::move(ticket));
        ticket = std::move(routed.ticket);
        warning = std::move(routed.problem);
    }
    game_ = std::make_unique<GameClient>(enet_, options_.client, log_.child("game"));
    if (auto r = game_->connect(ticket, now); !r) {
        game_.reset();
        return GameNotStarted{std::move(start), false, fmt::format("could not join the match: {}", r.error())};
    }
    return GameStarted{std::move(start), std::move(warning)};
}

void PlayerSession::update_game(util::TimePoint now, const InputIntent& intent, bool socket_quiet) {
    if (game_) game_->update(now, intent, socket_quiet);
}

void PlayerSession::leave_game() {
    if (!game_) return;
    game_->leave();
    game_.reset();
}

void PlayerSession::end_game() { game_.reset(); }

void PlayerSession::set_prediction(const PredictionOptions& options) {
    options_.client.prediction = options;
    if (game_) game_->set_prediction(options);
}

void PlayerSession::set_interpolation(const InterpolationOptions& options) {
    options_.client.interpolation = options;
    if (game_) game_->set_interpolation(options);
}

// --- route ------------------------------------------------------------------------------

util::Duration PlayerSession::goodbye_time() const {
    return options_.route ? options_.route->goodbye_time() : util::Duration::zero();
}

} // namespace skirmish::client
