// server/game/admission.hpp
//
// Who may play on the game port (docs/PROTOCOL.md, "Connect"). A peer that
// connects gets nothing of a match until its Connect passes, in this order:
// the protocol version, the connect token the lobby sealed (key, expiry, not
// withdrawn by the lobby, first use), then the match it names (running, with
// room for the token's role: a player's slot or a spectator's seat). The same
// player connecting again replaces their old connection. Every refusal is a Rejected
// with a reason and a text a person can act on. Admission also sends peers
// away: those that never present a token (token_deadline), and kicks.
//
// IMPORTANT: tick thread only. Every way into a match passes through
// on_connect_request() and every refusal through reject(): reconnect and
// spectators (a token's role: Matches::watch) extend this type, not
// GameServer, as the lobby's token withdrawal (LobbyLink::token_live) did. The stateless challenge and the
// per-datagram MAC (issue 10) sit below, in the ENet host (shared/net:
// nothing reaches a Session before them); what admission adds is the one fact
// the host cannot know: that a peer's token was accepted (welcome() →
// Sessions::admit()), after which fragments from it are let through.
// IMPORTANT: the token is untrusted until open_token() accepts it; the replay
// guard spends it at first use, even if the match then refuses the player.
#pragma once

#include "server/game/game_config.hpp"
#include "server/game/matches.hpp"
#include "server/game/server_figures.hpp"
#include "server/game/sessions.hpp"
#include "server/game_link.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/decode_error.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/log.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace skirmish::server {

// Why a peer is turned away: the Rejected it is sent.
struct Refusal {
    protocol::RejectReason reason{};
    std::string text;
};

class Admission {
public:
    using UnixClock = std::function<std::uint64_t()>; // token expiry is wall-clock time

    Admission(const GameConfig& config, const net::TokenKey& key, UnixClock unix_ms, Sessions& sessions,
              Matches& matches, ServerFigures& figures, util::Logger log);

    // Set before the tick loop runs; may be null (tests without a lobby): then
    // no token counts as withdrawn.
    void set_lobby(const LobbyLink* lobby) { lobby_ = lobby; }

    // --- a peer awaiting its token ---
    // Just connected: it waits for its Connect (refused while shutting down).
    void on_connected(Session& session);
    // Its Connect: checked, then the player joins the match and is sent
    // Accepted, who is already there, and to the others PlayerJoined.
    void on_connect_request(Session& session, const protocol::ConnectRequest& request, util::TimePoint now);
    // Its first control message did not decode.
    void on_undecodable(Session& session, protocol::DecodeError error);
    // Peers still without a token token_deadline after connecting are refused.
    void expire_pending(util::TimePoint now);

    // --- sending away ---
    // From now on every new peer and every Connect is refused (shutdown).
    void close_doors() { closed_ = true; }
    // Rejected, then the peer is let go once it has gone out.
    void reject(Session& session, protocol::RejectReason reason, std::string text);
    // Out of its match (if playing) and disconnected now; counted and logged.
    void kick(Session& session, std::string_view why, bool tell_lobby = true);

private:
    // The version and the token: the claims of a first use, or why not.
    util::Result<net::TokenClaims, Refusal> check_credentials(const protocol::ConnectRequest& request);
    void welcome(Session& session, const net::TokenClaims& claims, const Match& match);

    GameConfig config_;
    net::TokenKey key_;
    net::TokenReplayGuard replay_guard_;
    UnixClock unix_ms_;
    Sessions& sessions_;
    Matches& matches_;
    ServerFigures& figures_;
    util::Logger log_;
    const LobbyLink* lobby_ = nullptr; // asked whether a token was withdrawn
    bool closed_ = false;
};

} // namespace skirmish::server
