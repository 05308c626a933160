// client/app/session.cpp
#include "client/app/session.hpp"

#include "shared/util/overloaded.hpp"

#include <fmt/format.h>

namespace skirmish::app {

namespace lobby = protocol::lobby;

namespace {
constexpr std::size_t kChatLines = 50;

// The route the study panel worsens: one relay, to the game server of the
// current match (it is always there, passing packets untouched until a
// setting is raised).
std::shared_ptr<client::ConditionedRoute> make_route(const SessionOptions& options, const util::Logger& log) {
    if (!options.relay) return nullptr;
    return std::make_shared<client::ConditionedRoute>(options.conditions, log, 1);
}
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
    : options_(std::move(options)),
      log_(std::move(log)),
      player_(enet, io, client::PlayerSessionOptions{{}, options_.client, make_route(options_, log_)}, log_) {}

Session::~Session() = default;

// --- lobby connection -------------------------------------------------------------

void Session::connect(const std::string& host, std::uint16_t port, const std::string& name, util::TimePoint now,
                      const std::string& password, const client::RejoinTicket& rejoin) {
    // A rejoin keeps its ticket until the lobby answers; a plain connect gives it up.
    if (rejoin.secret.empty()) set_rejoin(std::nullopt);
    close_lobby();
    now_ = now;
    endpoint_ = host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
    problem_.clear();
    rooms_ = {};
    room_.reset();
    chat_.clear();
    player_.connect(host, port, name, password, rejoin);
    player_.send(lobby::ListRooms{});
}

void Session::disconnect() {
    set_rejoin(std::nullopt); // leaving on purpose: nothing to come back to
    close_lobby();
}

void Session::take_spectator_seat() {
    const lobby::RoomSummary* best = nullptr;
    for (const auto& r : rooms_.rooms) {
        if (r.spectators >= r.settings.spectator_slots) continue;
        if (!best || (r.phase == lobby::RoomPhase::InMatch && best->phase != lobby::RoomPhase::InMatch)) best = &r;
    }
    if (!best) return; // nothing to watch yet: the next room list may have it
    watch_pending_ = false;
    join_room(best->room_id, true);
}

void Session::close_lobby() {
    watch_pending_ = false;
    player_.close();
    room_.reset();
    chat_.clear();
    results_.reset();
    showing_results_ = false;
}

util::TimePoint Session::shut_down(util::TimePoint now) {
    const bool had_game = player_.game() != nullptr;
    disconnect();
    util::Duration linger = std::chrono::milliseconds(100);
    if (had_game) linger += player_.goodbye_time();
    return now + linger;
}

// --- lobby requests -------------------------------------------------------------

void Session::refresh_rooms() { player_.send(lobby::ListRooms{}); }

void Session::request_stats() {
    player_.send(lobby::GetStats{0, 20, ""});
    player_.send(lobby::GetRecentMatches{0, 10});
}
void Session::quick_play() { player_.send(lobby::QuickPlay{options_.quick_play_size}); }
void Session::watch() {
    watch_pending_ = true;
    player_.send(lobby::ListRooms{});
}
void Session::create_room(const std::string& room_name, const protocol::MatchSettings& settings) {
    player_.send(lobby::CreateRoom{room_name, settings});
}
void Session::join_room(std::uint32_t room_id, bool spectator) { player_.send(lobby::JoinRoom{room_id, spectator}); }
void Session::leave_room() { player_.send(lobby::LeaveRoom{}); }
void Session::rejoin_match() {
    if (!player_.can_send() || !room_ || player_.game()) return;
    const std::uint32_t id = room_->room_id;
    const bool spectator = is_spectator(); // back into the same kind of seat
    player_.send(lobby::LeaveRoom{});
    player_.send(lobby::JoinRoom{id, spectator});
}
void Session::set_ready(bool ready) { player_.send(lobby::SetReady{ready}); }
void Session::start_match() { player_.send(lobby::StartMatch{}); }
void Session::say(const std::string& text) {
    if (text.empty()) return;
    if (!room_) return report("chat goes to the people in your room: join or create a room first", now_);
    player_.send(lobby::Chat{text});
}

// --- match ------------------------------------------------------------------------

void Session::leave_match() {
    if (!player_.game()) return;
    player_.leave_game();
    showing_results_ = false;
    refresh_rooms();
}

void Session::back_to_room() {
    showing_results_ = false;
    player_.leave_game();
    refresh_rooms();
}

void Session::set_rejoin(std::optional<client::RejoinTicket> ticket, std::uint16_t time_limit_s) {
    if (ticket == rejoin_) return;
    rejoin_ = std::move(ticket);
    rejoin_time_limit_s_ = time_limit_s;
    ++rejoin_serial_;
}

void Session::game_started(const client::GameStarted& started, util::TimePoint now) {
    if (!started.warning.empty()) report(started.warning, now);
    if (started.start.reconnect_secret.size() == lobby::kReconnectSecretBytes)
        set_rejoin(client::RejoinTicket{started.start.match_id, started.start.reconnect_secret},
                   started.start.settings.time_limit_s);
    results_.reset();
    showing_results_ = false;
    ++match_serial_;
}

void Session::end_game() {
    const client::GameClient* game = player_.game();
    if (!game) return;
    const client::ClientView& view = game->view();
    if (view.results) {
        if (!showing_results_) {
            results_ = view.results;
            results_at_ = now_;
            showing_results_ = true;
        }
    } else if (!showing_results_) {
        report(fmt::format("left the match: {}", view.status), now_);
    }
    player_.end_game();
}

void Session::update(util::TimePoint now, const client::InputIntent& intent) {
    now_ = now;
    handle_lobby(now);
    if (const client::GameClient* game = player_.game()) {
        player_.update_game(now, intent);
        if (game->view().results && !showing_results_) {
            results_ = game->view().results;
            results_at_ = now;
            showing_results_ = true;
        }
        if (game->state() == client::ConnectionState::Disconnected) end_game();
    }
    if (showing_results_ && now - results_at_ > options_.scoreboard_time) back_to_room();
}

void Session::handle_lobby(util::TimePoint now) {
    while (auto event = player_.next_event(now)) {
        if (auto* gone = std::get_if<client::Disconnected>(&*event)) {
            if (gone->reason != client::LobbyDisconnect::LocalClose) report(gone->text, now);
            // Nothing to rejoin after a refusal, or after an administrator removed us
            // (the server dropped our seat). Not after Replaced: the copy that
            // rejoined has written its own ticket in the same file.
            if (gone->reason == client::LobbyDisconnect::RejoinRefused || gone->code == lobby::ErrorCode::Kicked ||
                gone->code == lobby::ErrorCode::Banned)
                set_rejoin(std::nullopt);
            room_.reset();
            chat_.clear();
            return;
        }
        std::visit(util::Overloaded{
                       [&](const lobby::ServerMessage& message) { handle_message(message, now); },
                       [&](const client::GameStarted& started) { game_started(started, now); },
                       [&](const client::GameNotStarted& refused) {
                           if (refused.already_playing) log_.warn("{}", refused.text);
                           else report(refused.text, now);
                       },
                       [](const client::Disconnected&) {},
                   },
                   *event);
    }
}

void Session::handle_message(const lobby::ServerMessage& message, util::TimePoint now) {
    std::visit(util::Overloaded{
                   [&](const lobby::Welcome& w) {
                       log_.info("welcomed by {} as player {}", w.server_name, w.player_id);
                       restart_chat(now);
                   },
                   [&](const lobby::RoomList& list) {
                       rooms_ = list;
                       if (watch_pending_ && !room_) take_spectator_seat();
                   },
                   [&](const lobby::RoomState& state) {
                       if (!room_ || room_->room_id != state.room_id) {
                           ready_sent_for_room_ = false;
                           restart_chat(now);
                           add_chat({}, fmt::format("you joined {}", state.name.empty()
                                                                          ? fmt::format("room {}", state.room_id)
                                                                          : state.name),
                                    now);
                       }
                       room_ = state;
                       if (options_.auto_ready && !ready_sent_for_room_ && state.phase == lobby::RoomPhase::Waiting &&
                           !is_spectator()) { // a spectator is never ready
                           player_.send(lobby::SetReady{true});
                           ready_sent_for_room_ = true;
                       }
                       if (state.last_results && !results_) results_ = state.last_results;
                   },
                   [&](const lobby::LeftRoom&) {
                       set_rejoin(std::nullopt);
                       room_.reset();
                       restart_chat(now); // the room's chat was for its members
                       player_.send(lobby::ListRooms{});
                   },
                   [&](const lobby::ChatMessage& m) { add_chat(m.from_player_id ? m.from_name : "", m.text, now); },
                   [](const lobby::MatchStart&) {}, // PlayerSession turns it into GameStarted / GameNotStarted
                   [&](const lobby::MatchEnded& ended) {
                       if (rejoin_ && rejoin_->match_id == ended.results.match_id) set_rejoin(std::nullopt);
                       // The game port normally tells us first; this covers a lost game connection.
                       if (!results_ || results_->match_id != ended.results.match_id) {
                           results_ = ended.results;
                           if (player_.game()) {
                               results_at_ = now;
                               showing_results_ = true;
                           }
                       }
                   },
                   [&](const lobby::Error& e) { report(e.text, now); },
                   [](const lobby::Pong&) {},
                   [&](const lobby::Stats& stats) { stats_ = stats; },
                   [&](const lobby::RecentMatches& recent) { recent_ = recent; },
                   [](const lobby::AdminReply&) {}, // the desktop client sends no AdminCommand (skirmish-admin does)
               },
               message);
}

// --- study controls -------------------------------------------------------------

util::Result<util::Ok, std::string> Session::set_conditions(const net::ConditionerConfig& conditions) {
    if (auto valid = net::validate(conditions); !valid) return valid;
    options_.conditions = conditions;
    if (client::ConditionedRoute* route = player_.route()) return route->set_conditions(conditions);
    return util::Ok{};
}

std::optional<net::RelayStats> Session::relay_stats() const {
    const client::ConditionedRoute* route = player_.route();
    return route ? route->stats() : std::nullopt;
}

void Session::set_prediction(const client::PredictionOptions& options) { player_.set_prediction(options); }

void Session::set_interpolation(const client::InterpolationOptions& options) { player_.set_interpolation(options); }

// --- state ----------------------------------------------------------------------

Screen Session::screen() const noexcept {
    if (player_.game()) return showing_results_ ? Screen::Scoreboard : Screen::Match;
    if (showing_results_ && results_) return Screen::Scoreboard;
    if (player_.lobby_state() == client::LobbyState::Ready) return Screen::Lobby;
    return Screen::Connect;
}

client::LobbyState Session::lobby_state() const noexcept { return player_.lobby_state(); }

std::uint32_t Session::player_id() const noexcept { return sim::to_int(player_.player_id()); }

const lobby::Welcome* Session::welcome() const noexcept { return player_.welcome(); }

bool Session::is_host() const noexcept { return room_ && room_->host_id == player_id() && player_id() != 0; }

bool Session::is_ready() const noexcept {
    if (!room_) return false;
    for (const auto& m : room_->members) {
        if (m.player_id == player_id()) return m.ready;
    }
    return false;
}

bool Session::is_spectator() const noexcept {
    if (!room_) return false;
    for (const auto& m : room_->members) {
        if (m.player_id == player_id()) return m.spectator;
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

void Session::restart_chat(util::TimePoint now) {
    chat_.clear();
    if (const lobby::Welcome* w = welcome())
        for (const std::string& line : w->motd) add_chat({}, line, now);
}

void Session::add_chat(std::string from, std::string text, util::TimePoint now) {
    chat_.push_back({std::move(from), std::move(text), now});
    while (chat_.size() > kChatLines) chat_.pop_front();
}

} // namespace skirmish::app
