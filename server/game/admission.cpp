// server/game/admission.cpp
#include "server/game/admission.hpp"

#include "shared/protocol/version.hpp"

#include <fmt/format.h>

namespace skirmish::server {

using protocol::LeaveReason;
using protocol::RejectReason;

Admission::Admission(const GameConfig& config, const net::TokenKey& key, UnixClock unix_ms, Sessions& sessions,
                     Matches& matches, ServerFigures& figures, util::Logger log)
    : config_(config),
      key_(key),
      unix_ms_(std::move(unix_ms)),
      sessions_(sessions),
      matches_(matches),
      figures_(figures),
      log_(std::move(log)) {}

// --- a peer awaiting its token ----------------------------------------------------

void Admission::on_connected(Session& session) {
    if (closed_) reject(session, RejectReason::ServerShuttingDown, "the server is shutting down");
}

void Admission::on_connect_request(Session& session, const protocol::ConnectRequest& request, util::TimePoint now) {
    auto claims = check_credentials(request);
    if (!claims) return reject(session, claims.error().reason, claims.error().text);
    // The token carries plain numbers (docs/PROTOCOL.md, "Connect tokens").
    const sim::PlayerId player{claims->player_id};
    Match* match = matches_.find_or_start(protocol::MatchId{claims->match_id}, now);
    if (!match || match->over()) return reject(session, RejectReason::MatchNotFound, "that match is not running");
    const bool spectator = claims->role == net::TokenRole::Spectator;
    // Room for the token's role first (the same player's old seat in that
    // role counts as free: it is about to be replaced), so a refusal leaves
    // an old connection of this player as it was.
    if (spectator ? match->spectators_full() && !match->has_spectator(player)
                  : match->full() && !match->has_player(player))
        return reject(session, RejectReason::MatchFull,
                      spectator ? "the match's spectator seats are taken" : "the match is full");
    // The same player again (a reconnect): the old connection gives way; its
    // score waits in the match for the new one (Match::add_player).
    if (Session* old = sessions_.of_player(player);
        old && old->state == SessionState::Playing && old != &session)
        kick(*old, "replaced by a new connection of the same player", false);
    const auto joined = spectator ? matches_.watch(*match, player, claims->player_name)
                                  : matches_.join(*match, player, claims->player_name, now);
    switch (joined) {
    case Matches::JoinResult::Full:
        return reject(session, RejectReason::MatchFull,
                      spectator ? "the match's spectator seats are taken" : "the match is full");
    case Matches::JoinResult::AlreadyIn: return reject(session, RejectReason::MatchFull, "already in that match");
    case Matches::JoinResult::Joined: break;
    }
    welcome(session, *claims, *match);
}

void Admission::on_undecodable(Session& session, protocol::DecodeError error) {
    figures_.count(PeerEvent::BadPacket);
    reject(session, RejectReason::BadMessage,
           fmt::format("the first message must be a Connect with a token ({})", protocol::name(error)));
}

void Admission::expire_pending(util::TimePoint now) {
    sessions_.for_each([&](Session& s) {
        if (s.state == SessionState::AwaitingToken && now - s.connected_at > config_.token_deadline)
            reject(s, RejectReason::TokenDeadline, "no connect token was presented in time");
    });
}

util::Result<net::TokenClaims, Refusal> Admission::check_credentials(const protocol::ConnectRequest& request) {
    if (closed_) return util::fail(Refusal{RejectReason::ServerShuttingDown, "the server is shutting down"});
    if (request.protocol_version != protocol::kProtocolVersion)
        return util::fail(Refusal{RejectReason::WrongProtocolVersion,
                                  fmt::format("this server speaks protocol {} and the client {}: use matching versions",
                                              protocol::kProtocolVersion, request.protocol_version)});
    const std::uint64_t unix_now = unix_ms_();
    auto claims = net::open_token(request.token, key_, protocol::kProtocolVersion, unix_now);
    if (!claims) {
        switch (claims.error()) {
        case net::TokenError::Expired:
            return util::fail(Refusal{RejectReason::TokenExpired,
                                      "the connect token expired: ask the lobby for a new one (join the room again)"});
        case net::TokenError::Reused:
            return util::fail(Refusal{RejectReason::TokenReused, "that connect token was already used"});
        default:
            return util::fail(Refusal{RejectReason::BadToken, fmt::format("the connect token is not valid here ({})",
                                                                          net::name(claims.error()))});
        }
    }
    if (lobby_ && !lobby_->token_live(sim::PlayerId{claims->player_id}, claims->token_id))
        return util::fail(Refusal{RejectReason::TokenWithdrawn,
                                  "that connect token was withdrawn: you left the room or the lobby since it was given "
                                  "(or a newer one was): join the room again for a new one"});
    if (!replay_guard_.first_use(*claims, unix_now))
        return util::fail(Refusal{RejectReason::TokenReused, "that connect token was already used"});
    return std::move(claims).value();
}

void Admission::welcome(Session& session, const net::TokenClaims& claims, const Match& match) {
    const bool spectator = claims.role == net::TokenRole::Spectator;
    const sim::PlayerId player{claims.player_id};
    sessions_.bind(session, player, match.id(), spectator);
    sessions_.admit(session);
    if (!spectator) figures_.note_player_joined();
    protocol::Accepted accepted;
    accepted.player_id = claims.player_id;
    accepted.match_id = protocol::to_int(match.id());
    accepted.server_tick = match.world().tick;
    accepted.tick_rate_hz = static_cast<std::uint16_t>(config_.tick_rate_hz);
    accepted.snapshot_rate_hz = static_cast<std::uint16_t>(config_.tick_rate_hz / snapshot_interval_ticks(config_));
    accepted.settings = match.settings();
    accepted.map = *match.world().map;
    accepted.spectator = spectator;
    sessions_.send_control(session.peer, accepted);
    for (const auto& [id, name] : match.roster()) {
        if (id != player) sessions_.send_control(session.peer, protocol::PlayerJoined{sim::to_int(id), name, false});
    }
    for (const auto& [id, name] : match.spectator_roster()) {
        if (id != player) sessions_.send_control(session.peer, protocol::PlayerJoined{sim::to_int(id), name, true});
    }
    sessions_.broadcast(match, protocol::PlayerJoined{claims.player_id, claims.player_name, spectator}, player);
    log_.info("{} {} '{}' joined match {} from {} ({} players, {} spectators)", spectator ? "spectator" : "player",
              claims.player_id, claims.player_name, match.id(), sessions_.address(session), match.player_count(),
              match.spectator_count());
}

// --- sending away -----------------------------------------------------------------

void Admission::reject(Session& session, RejectReason reason, std::string text) {
    figures_.count_rejection(reason);
    log_.info("rejected {}: {}", sessions_.address(session), text);
    sessions_.send_control(session.peer, protocol::Rejected{reason, std::move(text)});
    sessions_.close(session, LeaveReason::Rejected);
}

void Admission::kick(Session& session, std::string_view why, bool tell_lobby) {
    if (session.state == SessionState::Closing) return;
    figures_.count(PeerEvent::Kicked);
    log_.warn("kicked {} (player {}): {}", sessions_.address(session), session.player_id, why);
    if (session.state == SessionState::Playing) matches_.leave(session, LeaveReason::Kicked, tell_lobby);
    sessions_.close_now(session, LeaveReason::Kicked);
}

} // namespace skirmish::server
