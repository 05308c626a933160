// server/lobby/lobby_views.cpp
//
// What the Lobby shows of its rooms: a room's RoomState (sent to its members
// on every change) and the RoomList (rooms a player can join first). The
// rules that change rooms: lobby.cpp.
#include "server/lobby/lobby.hpp"

#include <algorithm>

namespace skirmish::server {

namespace pl = protocol::lobby;

pl::RoomState Lobby::room_state(const Room& room) const {
    pl::RoomState state;
    state.room_id = to_int(room.id);
    state.name = room.name;
    state.settings = room.settings;
    state.host_id = sim::to_int(room.host_id);
    state.phase = room.phase;
    state.last_results = room.last_results;
    for (const auto& m : room.members) {
        const auto it = players_.find(m.player_id);
        state.members.push_back({sim::to_int(m.player_id), it == players_.end() ? std::string("?") : it->second.name,
                                 m.ready, m.in_match, m.spectator});
    }
    return state;
}

pl::RoomList Lobby::room_list() const {
    std::vector<const Room*> order;
    order.reserve(rooms_.size());
    for (const auto& [id, room] : rooms_) order.push_back(&room);
    // Rooms a player can join first, each group by id (the map is ordered).
    std::stable_partition(order.begin(), order.end(), [](const Room* r) { return r->takes_joiners(); });
    pl::RoomList list;
    list.total_rooms = static_cast<std::uint32_t>(rooms_.size());
    for (const Room* r : order) {
        if (list.rooms.size() == pl::kMaxListedRooms) break;
        list.rooms.push_back({to_int(r->id), r->name, r->settings, static_cast<std::uint8_t>(r->players()), r->phase,
                              static_cast<std::uint8_t>(r->spectators())});
    }
    return list;
}

} // namespace skirmish::server
