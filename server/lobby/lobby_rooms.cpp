// server/lobby/lobby_rooms.cpp
//
// The Lobby's rooms (lobby.cpp takes the messages that lead here): a room
// created, joined and left, its match started when every player is ready,
// and each member sent the MatchStart with its ticket.
#include "server/lobby/lobby.hpp"

#include "shared/net/connect_token.hpp"
#include "shared/protocol/version.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::server {

namespace pl = protocol::lobby;
using pl::ErrorCode;
using pl::MessageKind;

// --- rooms ----------------------------------------------------------------------------------------

Room& Lobby::create_room(Player& host, std::string name, protocol::MatchSettings settings, bool quick_play) {
    const protocol::RoomId id{next_room_id_++};
    Room& room = rooms_[id];
    room.id = id;
    room.name = name.empty() ? fmt::format("Quick play {}", id) : std::move(name);
    room.settings = std::move(settings);
    room.quick_play = quick_play;
    room.add(host.id);
    host.room_id = id;
    log_.debug("player {} created room {} ({})", host.id, id, room.name);
    const auto& s = room.settings;
    emit_event(config_.events, "room_created",
               {{"room_id", to_int(id)},
                {"name", room.name},
                {"host_id", sim::to_int(host.id)},
                {"host", host.name},
                {"quick_play", quick_play},
                {"map", s.map},
                {"max_players", s.max_players},
                {"frag_limit", s.frag_limit},
                {"time_limit_s", s.time_limit_s},
                {"join_in_progress", s.join_in_progress},
                {"lag_compensation", s.lag_compensation},
                {"spectator_slots", s.spectator_slots}});
    push_room_state(room);
    return room;
}

void Lobby::join_room(Player& player, Room& room, bool spectator) {
    RoomMember& member = room.add(player.id, spectator);
    player.room_id = room.id;
    const bool in_progress = room.phase == pl::RoomPhase::InMatch;
    member.in_match = in_progress;
    push_room_state(room);
    if (in_progress) send_match_start(player, room, true);
}

void Lobby::leave_room(Player& player) {
    Room* room = lookup_room(player.room_id);
    player.room_id = protocol::kNoRoom;
    tokens_.revoke(player.id); // a ticket into this room's match is withdrawn
    if (!room) return;
    // A spectator's seat in the match goes with its seat in the room (it has
    // no seat to come back to), so the room's and the match's counts agree.
    const auto stop_watching = [&](const RoomMember& m) {
        if (m.spectator && m.in_match && room->phase == pl::RoomPhase::InMatch)
            game_.stop_watching(room->match_id, m.player_id);
    };
    if (const RoomMember* member = room->find(player.id)) stop_watching(*member);
    room->remove(player.id);
    if (room->players() == 0) {
        // Nobody left to play: the spectators are let out of the room with it.
        for (const RoomMember& m : room->members) {
            stop_watching(m);
            Player* watcher = find_player(m.player_id);
            if (!watcher) continue;
            watcher->room_id = protocol::kNoRoom;
            tokens_.revoke(watcher->id);
            reply(watcher->session, pl::LeftRoom{to_int(room->id)});
        }
        log_.debug("room {} has no players left and is removed", room->id);
        emit_event(config_.events, "room_removed", {{"room_id", to_int(room->id)}, {"name", room->name}});
        rooms_.erase(room->id);
        return;
    }
    push_room_state(*room);
    start_if_all_ready(*room);
}

void Lobby::start_if_all_ready(Room& room) {
    if (room.phase == pl::RoomPhase::Waiting && room.all_ready()) start_match(room);
}

void Lobby::start_match(Room& room) {
    room.phase = pl::RoomPhase::InMatch;
    room.match_id = protocol::MatchId{next_match_id_++};
    ++matches_started_;
    MatchOrder order;
    order.match_id = room.match_id;
    order.room_id = room.id;
    order.settings = room.settings;
    for (auto& m : room.members) {
        m.ready = false;
        m.in_match = true; // a spectator: watching
        if (!m.spectator) order.players.push_back({m.player_id, find_player(m.player_id)->name});
    }
    log_.info("room {} starts match {} on {} with {} players and {} spectators", room.id, room.match_id,
              room.settings.map, room.players(), room.spectators());
    // The game side learns of the match before any token for it exists.
    game_.start_match(std::move(order));
    push_room_state(room);
    for (const auto& m : room.members) send_match_start(*find_player(m.player_id), room, false);
}

void Lobby::send_match_start(const Player& player, const Room& room, bool in_progress) {
    const RoomMember* member = room.find(player.id);
    const bool spectator = member && member->spectator;
    net::TokenClaims claims;
    claims.player_id = sim::to_int(player.id);
    claims.room_id = to_int(room.id);
    claims.match_id = to_int(room.match_id);
    claims.role = spectator ? net::TokenRole::Spectator : net::TokenRole::Player;
    claims.player_name = player.name;
    claims.expires_unix_ms = config_.now_unix_ms() + config_.token_lifetime_ms;
    claims.token_id = net::draw_token_id();
    tokens_.issue(player.id, claims.token_id);
    pl::MatchStart start;
    start.game_address = config_.game_address;
    start.port = game_port_;
    start.connect_token = net::seal_token(claims, config_.token_key, protocol::kProtocolVersion);
    start.match_id = to_int(room.match_id);
    start.room_id = to_int(room.id);
    start.settings = room.settings;
    start.in_progress = in_progress;
    start.spectator = spectator;
    // A spectator has no seat to keep: it watches again by joining as one.
    if (!spectator) start.reconnect_secret = take_seat(player, room);
    reply(player.session, start);
}

void Lobby::push_room_state(const Room& room) { out_.send(sessions_of(room), room_state(room)); }

std::vector<SessionId> Lobby::sessions_of(const Room& room) const {
    std::vector<SessionId> out;
    out.reserve(room.members.size());
    for (const auto& m : room.members) {
        const auto it = players_.find(m.player_id);
        if (it != players_.end()) out.push_back(it->second.session);
    }
    return out;
}

const Room* Lobby::find_room(protocol::RoomId room_id) const {
    const auto it = rooms_.find(room_id);
    return it == rooms_.end() ? nullptr : &it->second;
}
Room* Lobby::lookup_room(protocol::RoomId room_id) {
    const auto it = rooms_.find(room_id);
    return it == rooms_.end() ? nullptr : &it->second;
}
Lobby::Player* Lobby::find_player(sim::PlayerId player_id) {
    const auto it = players_.find(player_id);
    return it == players_.end() ? nullptr : &it->second;
}
bool Lobby::has_map(const std::string& map) const {
    return std::find(config_.maps.begin(), config_.maps.end(), map) != config_.maps.end();
}

} // namespace skirmish::server
