// server/lobby/room.cpp
#include "server/lobby/room.hpp"

#include <algorithm>

namespace skirmish::server {

bool Room::takes_joiners() const noexcept {
    if (full()) return false;
    return phase == protocol::lobby::RoomPhase::Waiting || settings.join_in_progress;
}

bool Room::all_ready() const noexcept {
    return members.size() >= static_cast<std::size_t>(protocol::kMinRoomPlayers) &&
           std::all_of(members.begin(), members.end(), [](const RoomMember& m) { return m.ready; });
}

RoomMember* Room::find(std::uint32_t player_id) noexcept {
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const RoomMember& m) { return m.player_id == player_id; });
    return it == members.end() ? nullptr : &*it;
}

RoomMember& Room::add(std::uint32_t player_id) {
    if (members.empty()) host_id = player_id;
    return members.emplace_back(RoomMember{player_id, false, false});
}

bool Room::remove(std::uint32_t player_id) {
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const RoomMember& m) { return m.player_id == player_id; });
    if (it == members.end()) return false;
    members.erase(it);
    if (host_id == player_id) host_id = members.empty() ? 0 : members.front().player_id;
    return true;
}

} // namespace skirmish::server
