// server/lobby/lobby.cpp
//
// The Lobby's sessions and the handlers of what players send; the rooms they
// lead to are in lobby_rooms.cpp, the host's settings in lobby_hosting.cpp,
// rejoining in lobby_reconnect.cpp, administration in lobby_admin.cpp.
#include "server/lobby/lobby.hpp"

#include "server/lobby/lobby_errors.hpp"
#include "shared/protocol/version.hpp"
#include "shared/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::server {

namespace pl = protocol::lobby;
using pl::ErrorCode;
using pl::MessageKind;

namespace {

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}


} // namespace

Lobby::Lobby(const LobbyConfig& config, std::uint16_t game_port, GameLink& game, LobbyOutput& out, TokenRegistry& tokens,
             util::Logger log)
    : config_(config), game_port_(game_port), game_(game), out_(out), log_(std::move(log)), tokens_(tokens),
      admin_attempts_total_(config.limits.admin_attempt_burst_total, config.limits.admin_attempts_per_second_total) {}

// --- sessions -----------------------------------------------------------------------------

void Lobby::on_connect(SessionId session, util::TimePoint now, std::string address) {
    const auto& l = config_.limits;
    sessions_.try_emplace(raw(session),
                          Session{sim::kNoPlayer, util::RateLimiter(l.message_burst, l.messages_per_second, now),
                                  util::RateLimiter(l.chat_burst, l.chat_per_second, now), std::move(address), {},
                                  false});
}

void Lobby::on_disconnect(SessionId session) {
    const auto it = sessions_.find(raw(session));
    if (it == sessions_.end()) return;
    if (Player* player = find_player(it->second.player_id)) {
        leave_room(*player);
        log_.debug("player {} ({}) left the lobby", player->id, player->name);
        emit_event(config_.events, "lobby_leave", {{"player_id", sim::to_int(player->id)}, {"name", player->name}});
        names_.erase(player->name_key);
        players_.erase(player->id);
    }
    sessions_.erase(it);
}

void Lobby::on_message(SessionId id, const pl::ClientMessage& message, util::TimePoint now) {
    const auto it = sessions_.find(raw(id));
    if (it == sessions_.end()) return;
    Session& session = it->second;
    const MessageKind kind = pl::kind_of(message);
    // docs/PROTOCOL.md, "Rejection rules": NotWelcomed, then the budget, then the request.
    const auto* admin = std::get_if<pl::AdminCommand>(&message); // taken before Hello too
    if (session.player_id == sim::kNoPlayer && !admin && !std::holds_alternative<pl::Hello>(message)) {
        out_.close(id, {ErrorCode::NotWelcomed,
                        fmt::format("send Hello first (got {}): every session starts with Hello", pl::name(kind)),
                        kind});
        return;
    }
    if (!session.messages.allow(now)) {
        ++rate_limited_;
        fail(id, ErrorCode::RateLimited,
             fmt::format("too many messages: at most {} per second; this one was dropped",
                         config_.limits.messages_per_second),
             kind);
        return;
    }
    if (admin) return handle_admin(id, session, *admin, now);
    if (session.player_id == sim::kNoPlayer) return handle(id, session, std::get<pl::Hello>(message), now);
    Player& player = players_.at(session.player_id);
    if (std::holds_alternative<pl::Chat>(message) && !session.chat.allow(now)) {
        ++rate_limited_;
        fail(player, ErrorCode::RateLimited,
             fmt::format("chatting too fast: at most {} lines per second; that line was dropped",
                         config_.limits.chat_per_second),
             kind);
        return;
    }
    std::visit([&](const auto& m) { handle(player, m); }, message);
}

void Lobby::on_bad_message(SessionId id, const pl::DecodeFailure& failure, util::TimePoint now) {
    const auto it = sessions_.find(raw(id));
    if (it == sessions_.end()) return;
    Session& session = it->second;
    // docs/PROTOCOL.md, "Rejection rules": a bad frame closes at once; a field
    // a person can fix is answered after the NotWelcomed and budget checks.
    const DecodeAnswer answer = answer_decode_failure(failure, config_.limits);
    if (answer.closes) return out_.close(id, answer.error);
    if (session.player_id == sim::kNoPlayer && failure.kind != MessageKind::Hello)
        return out_.close(id, {ErrorCode::NotWelcomed,
                               fmt::format("send Hello first (got {}): every session starts with Hello",
                                           pl::name(failure.kind)),
                               failure.kind});
    if (!session.messages.allow(now)) {
        ++rate_limited_;
        fail(id, ErrorCode::RateLimited, "too many messages: this one was dropped", failure.kind);
        return;
    }
    reply(id, answer.error);
}

// --- handlers -------------------------------------------------------------------------------

void Lobby::handle(SessionId id, Session& session, const pl::Hello& hello, util::TimePoint now) {
    if (hello.protocol_version != protocol::kProtocolVersion) {
        out_.close(id, {ErrorCode::WrongProtocolVersion,
                        fmt::format("this server speaks lobby protocol {} and your client speaks {}: use a client "
                                    "and server of the same Skirmish version",
                                    protocol::kProtocolVersion, hello.protocol_version),
                        MessageKind::Hello});
        return;
    }
    // Before the name: who is not let in learns nothing of who is.
    if (auto refused = check_password(session, hello, now)) return out_.close(id, *refused);
    if (auto banned = check_ban(session, hello, now)) return out_.close(id, *banned);
    if (!hello.reconnect_secret.empty()) return reconnect(id, session, hello, now);
    std::string key = util::fold_ascii_case(hello.name);
    if (names_.contains(key)) {
        fail(id, ErrorCode::NameTaken, fmt::format("the name '{}' is taken on this server: pick another", hello.name),
             MessageKind::Hello);
        return;
    }
    const sim::PlayerId player_id{next_player_id_++};
    names_.emplace(key, player_id);
    players_.emplace(player_id, Player{player_id, hello.name, std::move(key), id, protocol::kNoRoom});
    session.player_id = player_id;
    log_.debug("session {} is player {} ({})", raw(id), player_id, hello.name);
    emit_event(config_.events, "lobby_join",
               {{"player_id", sim::to_int(player_id)}, {"name", hello.name}, {"address", session.address}});

    welcome(id, session, players_.at(player_id));
}

void Lobby::welcome(SessionId id, Session& session, const Player& player) {
    session.player_id = player.id;
    pl::Welcome message;
    message.player_id = sim::to_int(player.id);
    message.server_name = config_.hosting.server_name;
    message.motd = config_.hosting.motd;
    message.protocol_version = protocol::kProtocolVersion;
    message.maps = config_.maps;
    message.tick_rate_hz = config_.tick_rate_hz;
    message.snapshot_rate_hz = config_.snapshot_rate_hz;
    const auto idle_s = std::chrono::duration_cast<std::chrono::seconds>(config_.limits.idle_timeout).count();
    message.idle_timeout_s = static_cast<std::uint16_t>(std::clamp<std::int64_t>(idle_s, 1, 65535));
    reply(id, message);
}

void Lobby::handle(Player& player, const pl::Hello&) {
    fail(player, ErrorCode::AlreadyWelcomed, fmt::format("you already said Hello: you are player {}", player.id),
         MessageKind::Hello);
}

void Lobby::handle(Player& player, const pl::ListRooms&) { reply(player.session, room_list()); }

void Lobby::handle(Player& player, const pl::CreateRoom& request) {
    if (player.room_id != protocol::kNoRoom)
        return fail(player, ErrorCode::AlreadyInRoom,
                    fmt::format("you are already in room {}: leave it first", player.room_id), MessageKind::CreateRoom);
    if (!has_map(request.settings.map))
        return fail(player, ErrorCode::UnknownMap,
                    fmt::format("there is no map '{}' on this server: choose one of {}", request.settings.map,
                                join_names(config_.maps)),
                    MessageKind::CreateRoom);
    create_room(player, request.name, request.settings);
}

void Lobby::handle(Player& player, const pl::JoinRoom& request) {
    if (player.room_id != protocol::kNoRoom)
        return fail(player, ErrorCode::AlreadyInRoom,
                    fmt::format("you are already in room {}: leave it first", player.room_id), MessageKind::JoinRoom);
    Room* room = lookup_room(protocol::RoomId{request.room_id});
    if (!room)
        return fail(player, ErrorCode::RoomNotFound,
                    fmt::format("room {} does not exist (it may have emptied): list the rooms again", request.room_id),
                    MessageKind::JoinRoom);
    // A spectator takes a spectator seat: running match or not, joiners or not.
    if (request.spectator) {
        if (room->spectator_seats_full())
            return fail(player, ErrorCode::RoomFull,
                        room->settings.spectator_slots == 0
                            ? fmt::format("room {} has no spectator seats: join it as a player or pick another room",
                                          room->id)
                            : fmt::format("room {}'s spectator seats are taken ({} of {}): try again later or join "
                                          "as a player",
                                          room->id, room->spectators(), room->settings.spectator_slots),
                        MessageKind::JoinRoom);
        return join_room(player, *room, true);
    }
    if (room->full())
        return fail(player, ErrorCode::RoomFull,
                    fmt::format("room {} is full ({} of {}): pick another, use quick play or watch it", room->id,
                                room->players(), room->settings.max_players),
                    MessageKind::JoinRoom);
    if (!room->takes_joiners())
        return fail(player, ErrorCode::AlreadyInMatch,
                    fmt::format("room {} is playing a match and does not take joiners: wait for it to end", room->id),
                    MessageKind::JoinRoom);
    join_room(player, *room, false);
}

void Lobby::handle(Player& player, const pl::LeaveRoom&) {
    if (player.room_id == protocol::kNoRoom)
        return fail(player, ErrorCode::NotInRoom, "you are not in a room", MessageKind::LeaveRoom);
    const protocol::RoomId room_id = player.room_id;
    leave_room(player);
    seats_.erase(player.name_key); // a player who leaves on purpose gives up its seat
    reply(player.session, pl::LeftRoom{to_int(room_id)});
}

void Lobby::handle(Player& player, const pl::QuickPlay& request) {
    if (player.room_id != protocol::kNoRoom)
        return fail(player, ErrorCode::AlreadyInRoom,
                    fmt::format("you are already in room {}: leave it first", player.room_id), MessageKind::QuickPlay);
    Room* best = nullptr;
    for (auto& [id, room] : rooms_) {
        if (room.takes_joiners() && (!best || room.players() > best->players())) best = &room;
    }
    if (best) return join_room(player, *best, false);
    protocol::MatchSettings settings = config_.hosting.room_defaults;
    settings.map = take_rotation_map();
    settings.max_players = request.max_players;
    create_room(player, "", settings, true);
}

void Lobby::handle(Player& player, const pl::Chat& chat) {
    Room* room = lookup_room(player.room_id);
    if (!room) return fail(player, ErrorCode::NotInRoom, "chat goes to a room: join one first", MessageKind::Chat);
    if (chat.text.size() > config_.limits.max_chat_bytes)
        return fail(player, ErrorCode::ChatTooLong,
                    fmt::format("chat lines are at most {} bytes; that one was dropped", config_.limits.max_chat_bytes),
                    MessageKind::Chat);
    std::string text = pl::remove_control_characters(chat.text);
    if (text.empty())
        return fail(player, ErrorCode::BadChat, "that chat line is empty once control characters are removed",
                    MessageKind::Chat);
    out_.send(sessions_of(*room),
              pl::ChatMessage{to_int(room->id), sim::to_int(player.id), player.name, std::move(text)});
}

void Lobby::handle(Player& player, const pl::SetReady& request) {
    Room* room = lookup_room(player.room_id);
    if (!room) return fail(player, ErrorCode::NotInRoom, "join a room before getting ready", MessageKind::SetReady);
    RoomMember& member = *room->find(player.id);
    if (member.spectator)
        return fail(player, ErrorCode::Spectating,
                    "spectators do not get ready: leave the room and join it as a player to play",
                    MessageKind::SetReady);
    if (room->phase == pl::RoomPhase::InMatch)
        return fail(player, ErrorCode::AlreadyInMatch, "the room's match is already running", MessageKind::SetReady);
    member.ready = request.ready;
    push_room_state(*room);
    start_if_all_ready(*room);
}

void Lobby::handle(Player& player, const pl::StartMatch&) {
    Room* room = lookup_room(player.room_id);
    if (!room) return fail(player, ErrorCode::NotInRoom, "join a room first", MessageKind::StartMatch);
    if (room->find(player.id)->spectator)
        return fail(player, ErrorCode::Spectating,
                    "spectators cannot start the match: the host starts it, or everyone gets ready",
                    MessageKind::StartMatch);
    if (room->phase == pl::RoomPhase::InMatch)
        return fail(player, ErrorCode::AlreadyInMatch, "the room's match is already running", MessageKind::StartMatch);
    if (room->host_id != player.id) {
        const Player* host = find_player(room->host_id);
        return fail(player, ErrorCode::NotHost,
                    fmt::format("only the host ({}) can start the match; get ready instead",
                                host ? host->name : std::string("?")),
                    MessageKind::StartMatch);
    }
    if (room->players() < static_cast<std::size_t>(protocol::kMinRoomPlayers))
        return fail(player, ErrorCode::NotEnoughPlayers,
                    fmt::format("a match needs at least {} players; this room has {}", protocol::kMinRoomPlayers,
                                room->players()),
                    MessageKind::StartMatch);
    start_match(*room);
}

void Lobby::handle(Player& player, const pl::Ping& ping) { reply(player.session, pl::Pong{ping.nonce}); }

// --- from the game side --------------------------------------------------------------------------

void Lobby::on_match_ended(const protocol::MatchResults& results) {
    const protocol::MatchId match_id{results.match_id};
    forget_seats_of(match_id);
    Room* room = lookup_room(protocol::RoomId{results.room_id});
    if (!room || room->phase != pl::RoomPhase::InMatch || room->match_id != match_id) {
        log_.debug("match {} ended but room {} no longer waits for it", match_id, results.room_id);
        return;
    }
    room->phase = pl::RoomPhase::Waiting;
    room->match_id = protocol::kNoMatch;
    room->last_results = results;
    if (room->next_map) {
        room->settings.map = std::move(*room->next_map); // an administrator's pick wins over the rotation
        room->next_map.reset();
    } else if (room->quick_play) {
        room->settings.map = rotation_after(room->settings.map);
    }
    for (auto& m : room->members) {
        m.ready = m.in_match = false;
        tokens_.revoke(m.player_id); // the match is over: its tokens open nothing
    }
    log_.info("match {} in room {} ended ({})", match_id, room->id, protocol::name(results.reason));
    out_.send(sessions_of(*room), pl::MatchEnded{results});
    push_room_state(*room);
}

void Lobby::on_player_left_match(protocol::MatchId match_id, sim::PlayerId player_id) {
    const Player* player = find_player(player_id);
    if (!player) return;
    Room* room = lookup_room(player->room_id);
    if (!room || room->match_id != match_id) return;
    RoomMember* member = room->find(player_id);
    if (!member || !member->in_match) return;
    member->in_match = false;
    push_room_state(*room);
}

// --- replies --------------------------------------------------------------------------------------

void Lobby::reply(SessionId to, const pl::ServerMessage& message) { out_.send(std::span(&to, 1), message); }

void Lobby::fail(const Player& to, ErrorCode code, std::string text, MessageKind kind) {
    fail(to.session, code, std::move(text), kind);
}

void Lobby::fail(SessionId to, ErrorCode code, std::string text, MessageKind kind) {
    reply(to, pl::Error{code, fit_error_text(std::move(text)), kind});
}

} // namespace skirmish::server
