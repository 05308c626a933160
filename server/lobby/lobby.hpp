// server/lobby/lobby.hpp
//
// The lobby's rules, apart from any socket: sessions say Hello and become
// players, players make and join rooms, chat, get ready, and a starting room
// becomes a match order for the game side plus one sealed connect token per
// member. Session state machine and every Error it sends: docs/PROTOCOL.md,
// "Lobby session state machine" and "Lobby error codes".
//
// IMPORTANT: single-threaded. LobbyServer calls every method on the lobby thread;
// what the lobby sends goes out through LobbyOutput, what it orders through GameLink.
// IMPORTANT: time is passed in (util::TimePoint for rate limits) or read through
// LobbyConfig::now_unix_ms (token expiry); nothing here reads a clock itself.
// IMPORTANT: messages arrive already decoded and range-checked by
// protocol::lobby::decode_client_message(); the lobby checks state, not bytes.
#pragma once

#include "server/game_link.hpp"
#include "server/lobby/lobby_config.hpp"
#include "server/lobby/room.hpp"
#include "server/lobby/token_registry.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/log.hpp"
#include "shared/util/rate_limiter.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace skirmish::server {

// One TCP connection, numbered by LobbyServer, never reused in a process.
enum class SessionId : std::uint64_t {};
// The number, for maps keyed by it.
constexpr std::uint64_t raw(SessionId id) noexcept { return static_cast<std::uint64_t>(id); }

// Where the lobby's messages go (LobbyServer in the server, a recorder in tests).
class LobbyOutput {
public:
    virtual ~LobbyOutput() = default;
    // Queues one message for each session listed (encoded once).
    virtual void send(std::span<const SessionId> to, const protocol::lobby::ServerMessage& message) = 0;
    // Sends the error and then closes the session (protocol::lobby::closes_connection codes).
    virtual void close(SessionId session, const protocol::lobby::Error& error) = 0;
};

class Lobby {
public:
    // game_port: the UDP port to put in MatchStart (resolved by LobbyServer);
    // tokens: where the tokens the lobby seals are registered and withdrawn
    // (it outlives the Lobby; the game port reads it from its own thread).
    Lobby(const LobbyConfig& config, std::uint16_t game_port, GameLink& game, LobbyOutput& out, TokenRegistry& tokens,
          util::Logger log);

    // --- sessions -----------------------------------------------------------------
    // `address`: the peer's IP address, for the wrong-password limit and the event log.
    void on_connect(SessionId session, util::TimePoint now, std::string address = {});
    // The connection is gone: the player leaves its room. Unknown ids are ignored.
    void on_disconnect(SessionId session);
    void on_message(SessionId session, const protocol::lobby::ClientMessage& message, util::TimePoint now);
    // A frame that did not decode: answered with the matching ErrorCode; the
    // session is closed unless the problem is one a person can fix (a bad name,
    // bad room settings, a chat line too long).
    void on_bad_message(SessionId session, const protocol::lobby::DecodeFailure& failure, util::TimePoint now);

    // --- from the game side (already on the lobby thread) -----------------------------
    void on_match_ended(const protocol::MatchResults& results);
    void on_player_left_match(protocol::MatchId match_id, sim::PlayerId player_id);

    // --- the host ---------------------------------------------------------------------------
    // The LobbyConfig's hosting settings were replaced (a config reload): the
    // next Welcome, Hello and quick-play room use them; a changed map rotation
    // starts from its first map.
    void on_hosting_changed(const LobbyHosting& before);

    // --- administration (lobby_admin.cpp; server/admin/ calls these on the lobby thread) ----
    struct AdminPlayer {
        sim::PlayerId id{};
        std::string name, address;
        protocol::RoomId room_id{};
        protocol::MatchId match_id{}; // kNoMatch unless playing in (or watching) the room's match
        bool spectator = false;                  // in a spectator seat
    };
    struct AdminRoom {
        protocol::RoomId id{};
        protocol::MatchId match_id{}; // kNoMatch while waiting
        std::string name, map;
        std::size_t members = 0; // players
        std::size_t spectators = 0;
        int max_players = 0;
        bool quick_play = false;
    };
    std::vector<AdminPlayer> admin_players() const;
    std::vector<AdminRoom> admin_rooms() const;
    // Closes every player whose name (any case) or address is `target` with
    // Error{code, text} (Kicked or Banned) and drops its reconnect seat; a seat
    // of that name whose player has no lobby connection is dropped too. Returns
    // who they were (match_id: the running match the game port must kick them from).
    std::vector<AdminPlayer> admin_remove(const std::string& target, protocol::lobby::ErrorCode code,
                                          const std::string& text);
    // A line from the server to every player (ChatMessage from player 0); returns how many.
    std::size_t admin_say(const std::string& text);
    // The map of room `room_id`'s next match, or (kNoRoom) of the next quick-play room.
    util::Result<std::string, std::string> admin_next_map(const std::string& map, protocol::RoomId room_id);
    // Posts work to the lobby thread (set by LobbyServer): an admin reply comes back through it.
    using Poster = std::function<void(std::function<void()>)>;
    void set_poster(Poster post) { post_ = std::move(post); }

    // --- figures and inspection ------------------------------------------------------------
    std::size_t session_count() const noexcept { return sessions_.size(); }
    std::size_t player_count() const noexcept { return players_.size(); }
    std::size_t room_count() const noexcept { return rooms_.size(); }
    std::uint64_t matches_started() const noexcept { return matches_started_; }
    std::uint64_t rate_limited() const noexcept { return rate_limited_; }
    std::uint64_t wrong_passwords() const noexcept { return wrong_passwords_; }
    std::uint64_t reconnects() const noexcept { return reconnects_; }
    std::uint64_t reconnects_refused() const noexcept { return reconnects_refused_; }
    // Players the lobby remembers a seat in a running match for (lobby_reconnect.cpp).
    std::size_t seat_count() const noexcept { return seats_.size(); }
    const Room* find_room(protocol::RoomId room_id) const;

private:
    struct Session {
        sim::PlayerId player_id{}; // kNoPlayer until Welcome
        util::RateLimiter messages;
        util::RateLimiter chat;
        std::string address;
        // The admin password hash this connection proved it knew (AdminCommand); it
        // counts only while it is still the server's: a new password logs it out.
        std::string admin_hash;
        bool admin_pending = false; // an AdminCommand is with the admin thread
    };
    // Wrong passwords from one address: a token bucket that is only spent by
    // failures, so a player who types it right is never held back.
    struct PasswordAttempts {
        double tokens = 0;
        util::TimePoint last{};
    };
    // A player's place in a running match, kept from its MatchStart until the
    // match ends or the player leaves the room politely, so that a client that
    // crashed or lost its connection can come back (docs/PROTOCOL.md, "Reconnect").
    struct Seat {
        sim::PlayerId player_id{}; // the id the returning player gets back
        protocol::RoomId room_id{};
        protocol::MatchId match_id{};
        std::vector<std::uint8_t> secret; // the newest MatchStart's; never logged
    };
    struct Player {
        sim::PlayerId id{};
        std::string name;
        std::string name_key; // ASCII-lowercased, for NameTaken
        SessionId session{};
        protocol::RoomId room_id{};
    };

    // --- one handler per client message (the dispatch is in on_message) --------------
    void handle(SessionId, Session&, const protocol::lobby::Hello&, util::TimePoint now);
    void handle(Player&, const protocol::lobby::Hello&);
    void handle(Player&, const protocol::lobby::ListRooms&);
    void handle(Player&, const protocol::lobby::CreateRoom&);
    void handle(Player&, const protocol::lobby::JoinRoom&);
    void handle(Player&, const protocol::lobby::LeaveRoom&);
    void handle(Player&, const protocol::lobby::QuickPlay&);
    void handle(Player&, const protocol::lobby::Chat&);
    void handle(Player&, const protocol::lobby::SetReady&);
    void handle(Player&, const protocol::lobby::StartMatch&);
    void handle(Player&, const protocol::lobby::Ping&);
    // Results and stats (lobby_results.cpp): answered from LobbyConfig::results.
    void handle(Player&, const protocol::lobby::GetStats&);
    void handle(Player&, const protocol::lobby::GetRecentMatches&);
    // Administration (lobby_admin.cpp): before or after Hello.
    void handle_admin(SessionId, Session&, const protocol::lobby::AdminCommand&, util::TimePoint now);
    // Never reached: on_message() hands every AdminCommand to handle_admin() first.
    void handle(Player&, const protocol::lobby::AdminCommand&) {}
    void on_admin_reply(SessionId id, bool ok, const std::string& authenticated_hash, std::string text);
    // Empty when no ban holds this Hello out; else the Error that closes the session.
    std::optional<protocol::lobby::Error> check_ban(const Session& session, const protocol::lobby::Hello& hello,
                                                    util::TimePoint now);
    // Whether a refusal's log line (and event) may be written now (refusal_log_):
    // then "" or " (N more suppressed)" to end the line with; nothing otherwise.
    std::optional<std::string> refusal_line(util::TimePoint now);

    // --- reconnect (lobby_reconnect.cpp) ------------------------------------------------------------
    // A Hello with a reconnect secret: back into the seat, or refused with the reason.
    void reconnect(SessionId id, Session& session, const protocol::lobby::Hello& hello, util::TimePoint now);
    // The player's seat in `room`'s running match, with a fresh secret for its MatchStart.
    std::vector<std::uint8_t> take_seat(const Player& player, const Room& room);
    void forget_seats_of(protocol::MatchId match_id);
    void welcome(SessionId id, Session& session, const Player& player);

    // --- the password ----------------------------------------------------------------------------
    // Empty when the Hello may go on; else the Error that closes the session.
    std::optional<protocol::lobby::Error> check_password(const Session& session, const protocol::lobby::Hello& hello,
                                                         util::TimePoint now);
    PasswordAttempts& attempts_of(const std::string& address, util::TimePoint now);

    // --- rooms ---------------------------------------------------------------------------------
    Room& create_room(Player& host, std::string name, protocol::MatchSettings settings, bool quick_play = false);
    // The map a new quick-play room starts on, and the one after `current` for a quick-play room.
    std::string take_rotation_map();
    std::string rotation_after(const std::string& current);
    void join_room(Player& player, Room& room, bool spectator);
    void leave_room(Player& player);
    void start_match(Room& room);
    void send_match_start(const Player& player, const Room& room, bool in_progress);
    void push_room_state(const Room& room);
    void start_if_all_ready(Room& room);
    protocol::lobby::RoomState room_state(const Room& room) const;
    protocol::lobby::RoomList room_list() const;
    std::vector<SessionId> sessions_of(const Room& room) const;
    Room* lookup_room(protocol::RoomId room_id);
    Player* find_player(sim::PlayerId player_id);
    bool has_map(const std::string& map) const;

    // --- replies -----------------------------------------------------------------------------------
    void reply(SessionId to, const protocol::lobby::ServerMessage& message);
    void fail(const Player& to, protocol::lobby::ErrorCode code, std::string text, protocol::lobby::MessageKind kind);
    void fail(SessionId to, protocol::lobby::ErrorCode code, std::string text, protocol::lobby::MessageKind kind);

    const LobbyConfig& config_;
    std::uint16_t game_port_;
    GameLink& game_;
    LobbyOutput& out_;
    util::Logger log_;

    std::unordered_map<std::uint64_t, Session> sessions_;       // by SessionId
    std::unordered_map<sim::PlayerId, Player> players_;         // by player id
    std::unordered_map<std::string, sim::PlayerId> names_;      // name_key → player id
    std::map<protocol::RoomId, Room> rooms_;                    // by room id (ordered: listing)
    TokenRegistry& tokens_;
    std::uint32_t next_player_id_ = 1; // the number of the next sim::PlayerId
    std::uint32_t next_room_id_ = 1; // the number of the next RoomId
    std::uint32_t next_match_id_ = 1; // the number of the next MatchId
    std::uint64_t matches_started_ = 0;
    std::uint64_t rate_limited_ = 0;
    std::uint64_t wrong_passwords_ = 0;
    std::unordered_map<std::string, PasswordAttempts> password_attempts_; // by address, capped
    std::unordered_map<std::string, Seat> seats_; // by name_key: at most one per player in a running match
    std::uint64_t reconnects_ = 0;
    std::uint64_t reconnects_refused_ = 0;
    std::size_t rotation_next_ = 0;
    std::optional<std::string> next_quick_play_map_; // an administrator's `map NAME`
    Poster post_;
    util::RateLimiter admin_attempts_total_;
    std::unordered_map<std::string, util::RateLimiter> admin_attempts_; // by address, capped
    // Log and event-log lines of refusals an outsider can cause at will (a
    // banned Hello, a wrong password or secret, a rate-limited admin attempt).
    util::RateLimiter refusal_log_{20, 5};
};

} // namespace skirmish::server
