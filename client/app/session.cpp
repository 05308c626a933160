// client/app/session.cpp
#include "client/app/session.hpp"

#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

namespace skirmish::app {

namespace lobby = protocol::lobby;

namespace {
constexpr std::size_t kChatLines = 50;
} // namespace

std::string_view name(Screen screen) {
    switch (screen) {
    case Screen::Connect: return "connect";
    case Screen::Lobby: return "lobby";
    case Screen::Match: return "match";
    case Screen::Scoreboard: return "scoreboard";
    }
    return "?";
}

Session::Session(const net::EnetLibrary& enet, asio::io_context& io, SessionOptions options, util::Logger log)
    : enet_(enet), io_(io), options_(std::move(options)), log_(std::move(log)) {}

Session::~Session() {
    if (game_) game_->leave();
    if (lobby_) lobby_->close();
}

// --- lobby connection -------------------------------------------------------------

void Session::connect(const std::string& host, std::uint16_t port, const std::string& name, util::TimePoint now) {
    disconnect();
    now_ = now;
    host_ = host;
    name_ = name;
    endpoint_ = host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
    problem_.clear();
    rooms_ = {};
    room_.reset();
    chat_.clear();
    lobby_ = std::make_unique<client::LobbyClient>(io_, client::LobbyClientConfig{name});
    lobby_->connect(host, port);
    lobby_->send(lobby::ListRooms{});
}

void Session::disconnect() {
    if (game_) {
        game_->leave();
        game_.reset();
    }
    if (lobby_) lobby_->close();
    lobby_.reset();
    room_.reset();
    chat_.clear();
    results_.reset();
    showing_results_ = false;
}

util::TimePoint Session::shut_down(util::TimePoint now) {
    const bool had_game = game_ != nullptr;
    disconnect();
    util::Duration linger = std::chrono::milliseconds(100);
    if (had_game && relay_) {
        const net::LinkConditions& up = options_.conditions.up;
        linger += std::chrono::duration_cast<util::Duration>(
            std::chrono::duration<double, std::milli>(std::min(2000.0, up.latency_ms + up.jitter_ms)));
    }
    return now + linger;
}

// --- lobby requests -------------------------------------------------------------

namespace {
bool can_send(const std::unique_ptr<client::LobbyClient>& l) {
    return l && l->state() != client::LobbyState::Closed && l->state() != client::LobbyState::Idle;
}
} // namespace

void Session::refresh_rooms() {
    if (can_send(lobby_)) lobby_->send(lobby::ListRooms{});
}
void Session::quick_play() {
    if (can_send(lobby_)) lobby_->send(lobby::QuickPlay{options_.quick_play_size});
}
void Session::create_room(const std::string& room_name, const protocol::MatchSettings& settings) {
    if (can_send(lobby_)) lobby_->send(lobby::CreateRoom{room_name, settings});
}
void Session::join_room(std::uint32_t room_id) {
    if (can_send(lobby_)) lobby_->send(lobby::JoinRoom{room_id});
}
void Session::leave_room() {
    if (can_send(lobby_)) lobby_->send(lobby::LeaveRoom{});
}
void Session::rejoin_match() {
    if (!can_send(lobby_) || !room_ || game_) return;
    const std::uint32_t id = room_->room_id;
    lobby_->send(lobby::LeaveRoom{});
    lobby_->send(lobby::JoinRoom{id});
}
void Session::set_ready(bool ready) {
    if (can_send(lobby_)) lobby_->send(lobby::SetReady{ready});
}
void Session::start_match() {
    if (can_send(lobby_)) lobby_->send(lobby::StartMatch{});
}
void Session::say(const std::string& text) {
    if (text.empty()) return;
    if (!room_) return report("chat goes to the people in your room: join or create a room first", now_);
    if (can_send(lobby_)) lobby_->send(lobby::Chat{text});
}

// --- match ------------------------------------------------------------------------

void Session::leave_match() {
    if (!game_) return;
    game_->leave();
    game_.reset();
    showing_results_ = false;
    refresh_rooms();
}

void Session::back_to_room() {
    showing_results_ = false;
    if (game_) {
        game_->leave();
        game_.reset();
    }
    refresh_rooms();
}

client::MatchTicket Session::route(client::MatchTicket ticket) {
    if (!options_.relay) return ticket;
    const std::string target = fmt::format("{}:{}", ticket.address, ticket.port);
    if (!relay_ || relay_target_ != target) {
        relay_.reset();
        net::RelayConfig config;
        config.forward_host = ticket.address;
        config.forward_port = ticket.port;
        config.conditions = options_.conditions;
        config.logger = &log_;
        auto relay = net::UdpRelay::start(config);
        if (!relay) {
            report(fmt::format("the network conditioner could not start ({}); playing without it", relay.error()), now_);
            return ticket;
        }
        relay_ = std::move(relay).value();
        relay_target_ = target;
        log_.info("game traffic through the conditioner: {}", relay_->describe_route());
    }
    ticket.address = "127.0.0.1";
    ticket.port = relay_->port();
    return ticket;
}

void Session::start_game(const lobby::MatchStart& start, util::TimePoint now) {
    if (game_) {
        log_.warn("a second MatchStart while in a match: ignored");
        return;
    }
    client::MatchTicket ticket;
    ticket.address = start.game_address.empty() ? host_ : start.game_address;
    ticket.port = start.port;
    ticket.token = start.connect_token;
    ticket.name = name_;
    ticket = route(std::move(ticket));
    game_ = std::make_unique<client::GameClient>(enet_, options_.client, log_.child("game"));
    if (auto r = game_->connect(ticket, now); !r) {
        report(fmt::format("could not join the match: {}", r.error()), now);
        game_.reset();
        return;
    }
    results_.reset();
    showing_results_ = false;
    ++match_serial_;
}

void Session::end_game() {
    if (!game_) return;
    const client::ClientView& view = game_->view();
    if (view.results) {
        if (!showing_results_) {
            results_ = view.results;
            results_at_ = now_;
            showing_results_ = true;
        }
    } else if (!showing_results_) {
        report(fmt::format("left the match: {}", view.status), now_);
    }
    game_.reset();
}

void Session::update(util::TimePoint now, const client::InputIntent& intent) {
    now_ = now;
    if (lobby_) handle_lobby(now);
    if (game_) {
        game_->update(now, intent);
        if (game_->view().results && !showing_results_) {
            results_ = game_->view().results;
            results_at_ = now;
            showing_results_ = true;
        }
        if (game_->state() == client::ConnectionState::Disconnected) end_game();
    }
    if (showing_results_ && now - results_at_ > options_.scoreboard_time) back_to_room();
}

void Session::handle_lobby(util::TimePoint now) {
    while (auto event = lobby_->next_event()) {
        if (auto* gone = std::get_if<client::Disconnected>(&*event)) {
            if (gone->reason != client::LobbyDisconnect::LocalClose) report(gone->text, now);
            room_.reset();
            chat_.clear();
            return;
        }
        std::visit(util::Overloaded{
                       [&](const lobby::Welcome& w) {
                           log_.info("welcomed by {} as player {}", w.server_name, w.player_id);
                       },
                       [&](const lobby::RoomList& list) { rooms_ = list; },
                       [&](const lobby::RoomState& state) {
                           if (!room_ || room_->room_id != state.room_id) {
                               ready_sent_for_room_ = false;
                               chat_.clear();
                               add_chat({}, fmt::format("you joined {}", state.name.empty()
                                                                              ? fmt::format("room {}", state.room_id)
                                                                              : state.name),
                                        now);
                           }
                           room_ = state;
                           if (options_.auto_ready && !ready_sent_for_room_ && state.phase == lobby::RoomPhase::Waiting) {
                               lobby_->send(lobby::SetReady{true});
                               ready_sent_for_room_ = true;
                           }
                           if (state.last_results && !results_) results_ = state.last_results;
                       },
                       [&](const lobby::LeftRoom&) {
                           room_.reset();
                           chat_.clear(); // the room's chat was for its members
                           lobby_->send(lobby::ListRooms{});
                       },
                       [&](const lobby::ChatMessage& m) { add_chat(m.from_player_id ? m.from_name : "", m.text, now); },
                       [&](const lobby::MatchStart& start) { start_game(start, now); },
                       [&](const lobby::MatchEnded& ended) {
                           // The game port normally tells us first; this covers a lost game connection.
                           if (!results_ || results_->match_id != ended.results.match_id) {
                               results_ = ended.results;
                               if (game_) {
                                   results_at_ = now;
                                   showing_results_ = true;
                               }
                           }
                       },
                       [&](const lobby::Error& e) { report(e.text, now); },
                       [](const lobby::Pong&) {},
                   },
                   std::get<lobby::ServerMessage>(*event));
    }
}

// --- study controls -------------------------------------------------------------

util::Result<util::Ok, std::string> Session::set_conditions(const net::ConditionerConfig& conditions) {
    if (auto valid = net::validate(conditions); !valid) return valid;
    options_.conditions = conditions;
    if (relay_) return relay_->set_conditions(conditions);
    return util::Ok{};
}

std::optional<net::RelayStats> Session::relay_stats() const {
    if (!relay_) return std::nullopt;
    return relay_->stats();
}

void Session::set_prediction(const client::PredictionOptions& options) {
    options_.client.prediction = options;
    if (game_) game_->set_prediction(options);
}

void Session::set_interpolation(const client::InterpolationOptions& options) {
    options_.client.interpolation = options;
    if (game_) game_->set_interpolation(options);
}

// --- state ----------------------------------------------------------------------

Screen Session::screen() const noexcept {
    if (game_) return showing_results_ ? Screen::Scoreboard : Screen::Match;
    if (showing_results_ && results_) return Screen::Scoreboard;
    if (lobby_ && lobby_->state() == client::LobbyState::Ready) return Screen::Lobby;
    return Screen::Connect;
}

client::LobbyState Session::lobby_state() const noexcept {
    return lobby_ ? lobby_->state() : client::LobbyState::Idle;
}

std::uint32_t Session::player_id() const noexcept { return lobby_ ? lobby_->player_id() : 0; }

const lobby::Welcome* Session::welcome() const noexcept { return lobby_ ? lobby_->welcome() : nullptr; }

bool Session::is_host() const noexcept { return room_ && room_->host_id == player_id() && player_id() != 0; }

bool Session::is_ready() const noexcept {
    if (!room_) return false;
    for (const auto& m : room_->members) {
        if (m.player_id == player_id()) return m.ready;
    }
    return false;
}

int Session::snapshot_interval_ticks() const noexcept {
    const lobby::Welcome* w = welcome();
    if (!w || w->snapshot_rate_hz == 0) return 2;
    return std::max(1, static_cast<int>(w->tick_rate_hz) / static_cast<int>(w->snapshot_rate_hz));
}

void Session::report(std::string text, util::TimePoint now) {
    log_.warn("{}", text);
    problem_ = std::move(text);
    problem_at_ = now;
}

void Session::add_chat(std::string from, std::string text, util::TimePoint now) {
    chat_.push_back({std::move(from), std::move(text), now});
    while (chat_.size() > kChatLines) chat_.pop_front();
}

} // namespace skirmish::app
