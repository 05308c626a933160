// client/app/session.hpp
//
// One player's whole session as the screens see it, without any display: the
// lobby (rooms, chat, ready), the match, the scoreboard, and back to the room.
// The flow itself (lobby connection, MatchStart, ticket, the in-process
// conditioner route that lets the study panel worsen the link at any time,
// the GameClient) is client::PlayerSession's; this adds what a person sees:
// the room, the chat, the results, the problems. The screens read its state
// and call its verbs; it decides which screen is current:
//
//   Connect ──Welcome──▶ Lobby ──MatchStart──▶ Match ──results──▶ Scoreboard
//      ▲                  ▲  ▲                   │                    │
//      └─lobby closed─────┘  └──left / dropped───┘◀───back_to_room────┘
//
// IMPORTANT: one thread: the caller polls the io_context (io.poll()) and then
// calls update() every frame with the time as a value. Nothing here blocks.
// IMPORTANT: texts in problem() are for a person: what happened, what to try.
#pragma once

#include "client/core/player_session.hpp"
#include "shared/net/enet_library.hpp"
#include "shared/protocol/lobby_codec.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace skirmish::app {

enum class Screen : std::uint8_t { Connect, Lobby, Match, Scoreboard };
std::string_view name(Screen screen);

struct ChatLine {
    std::string from; // empty: the server or this client
    std::string text;
    util::TimePoint when;
};

struct SessionOptions {
    client::ClientOptions client;
    net::ConditionerConfig conditions; // the relay's, changeable with set_conditions()
    bool relay = true;                 // route game traffic through the in-process conditioner
    bool auto_ready = false;           // --quick-play: get ready as soon as a room is joined
    std::uint8_t quick_play_size = 8;
    util::Duration scoreboard_time = std::chrono::seconds(15); // then back to the room by itself
};

class Session {
public:
    Session(const net::EnetLibrary& enet, asio::io_context& io, SessionOptions options, util::Logger log);
    ~Session();

    // --- lobby connection ---
    // `password`: the server's, if it has one (a server that wants one says so
    // in problem(): "this server needs a password ...").
    // `rejoin`: back into the match it names (after a crash: docs/CLIENT.md, "Rejoin").
    void connect(const std::string& host, std::uint16_t port, const std::string& name, util::TimePoint now,
                 const std::string& password = {}, const client::RejoinTicket& rejoin = {});
    void disconnect();
    // Leaves the match and the lobby politely, for quitting. Returns until when
    // the caller should keep polling: the goodbye to the game port passes
    // through the relay, which holds it for the conditioner's latency, and a
    // goodbye that never arrives keeps a slot of the match taken until ENet's timeout.
    util::TimePoint shut_down(util::TimePoint now);

    // --- lobby requests (ignored when not connected) ---
    void refresh_rooms();
    void quick_play();
    // Watch a match: a spectator seat in the first listed room that has one
    // free, a room whose match runs first; until there is one, the room list
    // is asked again at each refresh (skirmish-client --watch).
    void watch();
    bool watch_pending() const noexcept { return watch_pending_; }
    void create_room(const std::string& room_name, const protocol::MatchSettings& settings);
    // `spectator`: take a spectator seat and watch the room's matches.
    void join_room(std::uint32_t room_id, bool spectator = false);
    // The server's leaderboard (the top 20) and its 10 most recent matches;
    // the answers replace stats() and recent_matches().
    void request_stats();
    void leave_room();
    // Back into the room's running match after the game connection was lost
    // (leave the room and join it again: the lobby sends a new MatchStart).
    void rejoin_match();
    void set_ready(bool ready);
    void start_match();
    void say(const std::string& text);

    // --- match ---
    void leave_match();   // back to the room
    void back_to_room();  // from the scoreboard

    void update(util::TimePoint now, const client::InputIntent& intent);

    // --- study controls ---
    util::Result<util::Ok, std::string> set_conditions(const net::ConditionerConfig& conditions);
    const net::ConditionerConfig& conditions() const noexcept { return options_.conditions; }
    std::optional<net::RelayStats> relay_stats() const;
    void set_prediction(const client::PredictionOptions& options);
    void set_interpolation(const client::InterpolationOptions& options);
    // Moves the own predicted player by `by` (a local desync the next snapshots correct); how far it moved.
    float nudge_prediction(sim::Vec2 by) {
        client::GameClient* game = player_.game();
        return game ? game->nudge_prediction(by) : 0.0f;
    }
    const client::ClientOptions& client_options() const noexcept { return player_.client_options(); }

    // --- what the screens show ---
    Screen screen() const noexcept;
    client::LobbyState lobby_state() const noexcept;
    const std::string& endpoint_text() const noexcept { return endpoint_; }
    const std::string& player_name() const noexcept { return player_.name(); }
    // Our player id as the lobby's messages carry it (0 until Welcome), to
    // compare with theirs.
    std::uint32_t player_id() const noexcept;
    const protocol::lobby::Welcome* welcome() const noexcept;
    const protocol::lobby::RoomList& rooms() const noexcept { return rooms_; }
    const std::optional<protocol::lobby::RoomState>& room() const noexcept { return room_; }
    const std::optional<protocol::lobby::Stats>& stats() const noexcept { return stats_; }
    const std::optional<protocol::lobby::RecentMatches>& recent_matches() const noexcept { return recent_; }
    bool is_host() const noexcept;
    bool is_ready() const noexcept;
    // In the room as a spectator.
    bool is_spectator() const noexcept;
    const std::deque<ChatLine>& chat() const noexcept { return chat_; }
    const client::GameClient* game() const noexcept { return player_.game(); }
    // Sets a listener on the current game connection (--record-view); it must outlive it or be unset.
    void set_view_tap(client::ViewTap* tap) {
        if (client::GameClient* game = player_.game()) game->set_view_tap(tap);
    }
    const std::optional<protocol::MatchResults>& results() const noexcept { return results_; }
    util::TimePoint results_at() const noexcept { return results_at_; }
    util::Duration scoreboard_time() const noexcept { return options_.scoreboard_time; }
    // Server tick rate / snapshot rate, for the net graph.
    int snapshot_interval_ticks() const noexcept;
    // The newest problem for a person ("connection refused by ...: is skirmish-server running?").
    const std::string& problem() const noexcept { return problem_; }
    util::TimePoint problem_at() const noexcept { return problem_at_; }
    // The match this client could get back into after a crash: set at every
    // MatchStart that carries a secret; none once the match ended, the room or
    // the server was left on purpose, or a rejoin was refused. rejoin_serial()
    // counts its changes, so the app knows when to save or remove its file.
    const std::optional<client::RejoinTicket>& rejoin_ticket() const noexcept { return rejoin_; }
    std::uint16_t rejoin_time_limit_s() const noexcept { return rejoin_time_limit_s_; }
    std::uint64_t rejoin_serial() const noexcept { return rejoin_serial_; }
    // Counts matches entered, so the app can reset per-match views.
    std::uint64_t match_serial() const noexcept { return match_serial_; }

private:
    void close_lobby();
    void take_spectator_seat();
    void handle_lobby(util::TimePoint now);
    void handle_message(const protocol::lobby::ServerMessage& message, util::TimePoint now);
    void game_started(const client::GameStarted& started, util::TimePoint now);
    void end_game();
    void report(std::string text, util::TimePoint now);
    void set_rejoin(std::optional<client::RejoinTicket> ticket, std::uint16_t time_limit_s = 0);
    void add_chat(std::string from, std::string text, util::TimePoint now);
    // Empties the chat, which then starts with the server's message of the day.
    void restart_chat(util::TimePoint now);

    SessionOptions options_;
    util::Logger log_;
    client::PlayerSession player_;
    std::string endpoint_;

    protocol::lobby::RoomList rooms_;
    std::optional<protocol::lobby::RoomState> room_;
    std::optional<protocol::lobby::Stats> stats_;
    std::optional<protocol::lobby::RecentMatches> recent_;
    std::deque<ChatLine> chat_;
    bool ready_sent_for_room_ = false;
    bool watch_pending_ = false;

    std::optional<protocol::MatchResults> results_;
    util::TimePoint results_at_{};
    bool showing_results_ = false;
    std::uint64_t match_serial_ = 0;
    util::TimePoint now_{};

    std::string problem_;
    util::TimePoint problem_at_{};

    std::optional<client::RejoinTicket> rejoin_;
    std::uint16_t rejoin_time_limit_s_ = 0;
    std::uint64_t rejoin_serial_ = 0;
};

} // namespace skirmish::app
