// server/lobby/room.cpp
#include "server/lobby/room.hpp"

#include <algorithm>

namespace skirmish::server {

std::size_t Room::players() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(members.begin(), members.end(), [](const RoomMember& m) { return !m.spectator; }));
}

bool Room::takes_joiners() const noexcept {
    if (full()) return false;
    return phase == protocol::lobby::RoomPhase::Waiting || settings.join_in_progress;
}

bool Room::all_ready() const noexcept {
    return players() >= static_cast<std::size_t>(protocol::kMinRoomPlayers) &&
           std::all_of(members.begin(), members.end(), [](const RoomMember& m) { return m.spectator || m.ready; });
}

RoomMember* Room::find(sim::PlayerId player_id) noexcept {
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const RoomMember& m) { return m.player_id == player_id; });
    return it == members.end() ? nullptr : &*it;
}

const RoomMember* Room::find(sim::PlayerId player_id) const noexcept {
    return const_cast<Room*>(this)->find(player_id);
}

RoomMember& Room::add(sim::PlayerId player_id, bool spectator) {
    if (host_id == sim::kNoPlayer && !spectator) host_id = player_id;
    return members.emplace_back(RoomMember{player_id, false, false, spectator});
}

bool Room::remove(sim::PlayerId player_id) {
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const RoomMember& m) { return m.player_id == player_id; });
    if (it == members.end()) return false;
    members.erase(it);
    if (host_id == player_id) {
        const auto next = std::find_if(members.begin(), members.end(), [](const RoomMember& m) { return !m.spectator; });
        host_id = next == members.end() ? sim::kNoPlayer : next->player_id;
    }
    return true;
}

} // namespace skirmish::server
