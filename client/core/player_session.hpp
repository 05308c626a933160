// client/core/player_session.hpp
//
// One player's way from a server address into matches, the same for the
// desktop client, every bot and the tests:
//
//   connect ─▶ LobbyClient (Hello, Welcome, rooms, ready) ─MatchStart─▶ ticket
//     ─▶ ConditionedRoute (when there is one) ─▶ GameClient ─ended─▶ end_game()
//
// PlayerSession owns the lobby connection and the game connection and routes
// the game traffic; what to do in the lobby and in the match stays with its
// owner (the app's screens, a bot's brain and figures). next_event() passes
// on the lobby's messages and its end, and turns each MatchStart into a
// GameStarted (game() is connecting) or a GameNotStarted.
//
// IMPORTANT: one thread: the caller polls the asio::io_context, then drains
// next_event() and calls update_game() each frame, time as a value.
// IMPORTANT: a game connection that has ended stays in game() (its view and
// figures readable) until the owner calls end_game(), leave_game() or close().
#pragma once

#include "client/core/conditioned_route.hpp"
#include "client/core/game_client.hpp"
#include "client/core/lobby_client.hpp"

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace skirmish::client {

// A MatchStart arrived and the game connection is under way: game() is set.
struct GameStarted {
    protocol::lobby::MatchStart start;
    std::string warning; // for a person, e.g. the conditioner could not start; empty when all is well
};

// A MatchStart arrived and no game connection came of it.
struct GameNotStarted {
    protocol::lobby::MatchStart start;
    bool already_playing = false; // a game connection was already open: the MatchStart was ignored
    std::string text;             // for a person: what happened
};

using SessionEvent = std::variant<protocol::lobby::ServerMessage, Disconnected, GameStarted, GameNotStarted>;

// What a client keeps to get back into a match after a crash: the match and
// the secret of its newest MatchStart (none: match_id 0). The numbers as
// MatchStart and Hello carry them (and the app's rejoin file keeps them).
struct RejoinTicket {
    std::uint32_t match_id = 0;
    std::vector<std::uint8_t> secret;
    friend bool operator==(const RejoinTicket&, const RejoinTicket&) = default;
};

struct PlayerSessionOptions {
    LobbyClientConfig lobby; // its name is the one connect() is given
    ClientOptions client;
    // Where game traffic goes: through this route's relays, or (null) straight to the server.
    std::shared_ptr<ConditionedRoute> route;
};

class PlayerSession {
public:
    PlayerSession(const net::EnetLibrary& enet, asio::io_context& io, PlayerSessionOptions options, util::Logger log);
    ~PlayerSession(); // close()s
    PlayerSession(const PlayerSession&) = delete;
    PlayerSession& operator=(const PlayerSession&) = delete;

    // --- lobby ---
    // Starts a lobby connection as `name` (closing any previous one and its
    // game), with the server's password if it has one.
    // `rejoin`: the match and secret of a MatchStart, to get back into that
    // match (docs/PROTOCOL.md, "Reconnect"); the lobby then sends a new MatchStart.
    void connect(const std::string& host, std::uint16_t port, const std::string& name,
                 const std::string& password = {}, const RejoinTicket& rejoin = {});
    // Queues a request (held until Welcome while connecting); ignored when not connected.
    void send(const protocol::lobby::ClientMessage& message);
    bool can_send() const noexcept;
    // Leaves the game politely and closes the lobby connection.
    void close();
    // The next lobby message, lobby end or game start; `now` stamps a game connect.
    std::optional<SessionEvent> next_event(util::TimePoint now);

    LobbyState lobby_state() const noexcept;
    sim::PlayerId player_id() const noexcept;
    const protocol::lobby::Welcome* welcome() const noexcept;
    const std::string& host() const noexcept { return host_; }
    const std::string& name() const noexcept { return name_; }

    // --- game ---
    GameClient* game() noexcept { return game_.get(); }
    const GameClient* game() const noexcept { return game_.get(); }
    // `socket_quiet`: see GameClient::update.
    void update_game(util::TimePoint now, const InputIntent& intent, bool socket_quiet = false);
    // Says goodbye to the game server and forgets the game connection.
    void leave_game();
    // Forgets the game connection (one that ended, or without a goodbye).
    void end_game();
    void set_prediction(const PredictionOptions& options);
    void set_interpolation(const InterpolationOptions& options);
    const ClientOptions& client_options() const noexcept { return options_.client; }

    // --- route ---
    ConditionedRoute* route() noexcept { return options_.route.get(); }
    const ConditionedRoute* route() const noexcept { return options_.route.get(); }
    // How long to keep polling after a goodbye so it gets through the route.
    util::Duration goodbye_time() const;

private:
    SessionEvent start_game(protocol::lobby::MatchStart start, util::TimePoint now);

    const net::EnetLibrary& enet_;
    asio::io_context& io_;
    PlayerSessionOptions options_;
    util::Logger log_;
    std::string host_;
    std::string name_;
    std::unique_ptr<LobbyClient> lobby_;
    std::unique_ptr<GameClient> game_;
};

} // namespace skirmish::client
