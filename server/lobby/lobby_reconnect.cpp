// server/lobby/lobby_reconnect.cpp
//
// Reconnect (docs/PROTOCOL.md, "Reconnect"): every MatchStart gives its
// player a fresh random secret, and the lobby keeps the player's seat (id,
// room, match, secret) until the match ends or the player leaves the room on
// purpose. A Hello with that name, match and secret gets the old player id
// back, so the game port's token names the same player and the match puts the
// score it kept for that id back on the new entity (server/game/match.cpp).
// IMPORTANT: secrets are compared in constant time and never logged; wrong
// ones spend the address's budget of wrong guesses (shared with passwords).
#include "server/lobby/lobby.hpp"

#include "shared/util/utf8.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

namespace skirmish::server {

namespace pl = protocol::lobby;
using pl::ErrorCode;
using pl::MessageKind;

namespace {
constexpr std::size_t kMaxSeats = 8192; // seats remembered at once; beyond it a MatchStart carries no secret
} // namespace

std::vector<std::uint8_t> Lobby::take_seat(const Player& player, const Room& room) {
    if (seats_.size() >= kMaxSeats && !seats_.contains(player.name_key)) {
        std::erase_if(seats_, [&](const auto& entry) {
            const Room* r = find_room(entry.second.room_id);
            return !r || r->match_id != entry.second.match_id;
        });
        if (seats_.size() >= kMaxSeats) return {};
    }
    if (sodium_init() < 0) return {};
    Seat& seat = seats_[player.name_key];
    seat = Seat{player.id, room.id, room.match_id, std::vector<std::uint8_t>(pl::kReconnectSecretBytes)};
    randombytes_buf(seat.secret.data(), seat.secret.size());
    return seat.secret;
}

void Lobby::forget_seats_of(protocol::MatchId match_id) {
    std::erase_if(seats_, [&](const auto& entry) { return entry.second.match_id == match_id; });
}

void Lobby::reconnect(SessionId id, Session& session, const pl::Hello& hello, util::TimePoint now) {
    const auto refuse = [&](ErrorCode code, std::string text) {
        ++reconnects_refused_;
        fail(id, code, std::move(text), MessageKind::Hello);
    };
    PasswordAttempts& attempts = attempts_of(session.address, now);
    if (attempts.tokens < 1.0)
        return refuse(ErrorCode::ReconnectRefused,
                      fmt::format("too many wrong secrets from {}: wait {:.0f} s before rejoining, or connect "
                                  "without rejoining",
                                  session.address, 1.0 / config_.limits.wrong_passwords_per_second));
    const std::string key = util::fold_ascii_case(hello.name);
    const protocol::MatchId match_id{hello.reconnect_match_id};
    const auto seat_it = seats_.find(key);
    const bool seated = seat_it != seats_.end() && seat_it->second.match_id == match_id;
    const Room* room = seated ? find_room(seat_it->second.room_id) : nullptr;
    const bool running = std::any_of(rooms_.begin(), rooms_.end(), [&](const auto& r) {
        return r.second.phase == pl::RoomPhase::InMatch && r.second.match_id == match_id;
    });
    if (!running) {
        if (seated) seats_.erase(seat_it);
        return refuse(ErrorCode::ReconnectExpired,
                      fmt::format("match {} is over (or its room is gone): connect without rejoining and join a room",
                                  match_id));
    }
    if (!seated || !room ||
        sodium_memcmp(seat_it->second.secret.data(), hello.reconnect_secret.data(), pl::kReconnectSecretBytes) != 0) {
        attempts.tokens -= 1.0;
        if (const auto line = refusal_line(now))
            log_.info("wrong reconnect secret from {} (name '{}', match {}){}", session.address, hello.name, match_id,
                      *line);
        return refuse(ErrorCode::ReconnectRefused,
                      fmt::format("'{}' cannot rejoin match {}: the secret is wrong, or '{}' was not in it; connect "
                                  "without rejoining",
                                  hello.name, match_id, hello.name));
    }
    const Seat seat = seat_it->second;
    Room& seat_room = rooms_.at(seat.room_id);
    if (const auto held = names_.find(key); held != names_.end()) {
        if (held->second != seat.player_id)
            return refuse(ErrorCode::NameTaken,
                          fmt::format("the name '{}' was taken by another player while you were away: connect with "
                                      "another name",
                                      hello.name));
        // The same player on a connection the lobby has not seen end yet
        // (a half-dead TCP connection): it gives way to the new one.
        Player& old = players_.at(seat.player_id);
        if (auto s = sessions_.find(raw(old.session)); s != sessions_.end()) s->second.player_id = sim::kNoPlayer;
        out_.close(old.session, {ErrorCode::Replaced,
                                 fmt::format("'{}' rejoined match {} from another connection; this one is closed",
                                             old.name, match_id),
                                 MessageKind::None});
        old.session = id;
    } else {
        if (seat_room.full() && !seat_room.find(seat.player_id))
            return refuse(ErrorCode::RoomFull,
                          fmt::format("room {} filled up while you were away ({} of {}): connect without rejoining",
                                      seat_room.id, seat_room.players(), seat_room.settings.max_players));
        names_.emplace(key, seat.player_id);
        players_.emplace(seat.player_id, Player{seat.player_id, hello.name, key, id, protocol::kNoRoom});
    }
    Player& player = players_.at(seat.player_id);
    ++reconnects_;
    log_.info("player {} ({}) rejoined match {} in room {}", player.id, player.name, match_id, seat_room.id);
    emit_event(config_.events, "lobby_join",
               {{"player_id", sim::to_int(player.id)},
                {"name", player.name},
                {"address", session.address},
                {"rejoined_match_id", protocol::to_int(match_id)}});
    welcome(id, session, player);
    if (player.room_id != seat_room.id) {
        if (player.room_id != protocol::kNoRoom) leave_room(player);
        seat_room.add(player.id);
        player.room_id = seat_room.id;
    }
    seat_room.find(player.id)->in_match = true;
    push_room_state(seat_room);
    send_match_start(player, seat_room, true);
}

} // namespace skirmish::server
