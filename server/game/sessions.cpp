// server/game/sessions.cpp
#include "server/game/sessions.hpp"

namespace skirmish::server {

namespace {
// The disconnect data of an ENet goodbye: the LeaveReason (docs/PROTOCOL.md).
std::uint32_t disconnect_data(protocol::LeaveReason reason) { return static_cast<std::uint32_t>(reason); }
} // namespace

Sessions::Sessions(net::EnetHost& host, std::size_t max_peers) : host_(host), sessions_(max_peers) {}

// --- the table --------------------------------------------------------------------

Session* Sessions::open(net::PeerHandle peer, util::TimePoint now) {
    if (peer.slot >= sessions_.size()) return nullptr;
    Session session;
    session.peer = peer;
    session.connected_at = now;
    sessions_[peer.slot] = session;
    return &*sessions_[peer.slot];
}

void Sessions::forget(net::PeerHandle peer) {
    if (find(peer)) sessions_[peer.slot].reset();
}

Session* Sessions::find(net::PeerHandle peer) {
    if (peer.slot >= sessions_.size()) return nullptr;
    auto& s = sessions_[peer.slot];
    return (s && s->peer == peer) ? &*s : nullptr;
}

Session* Sessions::of_player(sim::PlayerId player_id) {
    auto it = slot_of_player_.find(player_id);
    return it == slot_of_player_.end() ? nullptr : at_slot(it->second.slot);
}

void Sessions::bind(Session& session, sim::PlayerId player_id, protocol::MatchId match_id, bool spectator) {
    unbind(player_id); // a player id maps to one slot: the newest
    session.state = SessionState::Playing;
    session.player_id = player_id;
    session.match_id = match_id;
    session.spectator = spectator;
    slot_of_player_[player_id] = {session.peer.slot, spectator};
    if (spectator) ++spectators_;
}

void Sessions::unbind(sim::PlayerId player_id) {
    const auto it = slot_of_player_.find(player_id);
    if (it == slot_of_player_.end()) return;
    if (it->second.spectator) --spectators_;
    slot_of_player_.erase(it);
}

void Sessions::admit(const Session& session) { host_.mark_admitted(session.peer); }

std::size_t Sessions::awaiting_token() const {
    std::size_t n = 0;
    for (const auto& s : sessions_) {
        if (s && s->state == SessionState::AwaitingToken) ++n;
    }
    return n;
}

// --- sending ----------------------------------------------------------------------

void Sessions::send_control(net::PeerHandle peer, const protocol::ServerControl& message) {
    send_reliable(peer, protocol::encode_control(message));
}

void Sessions::send_reliable(net::PeerHandle peer, std::span<const std::uint8_t> bytes) {
    host_.send(peer, net::kReliableChannel, bytes);
}

void Sessions::broadcast(const Match& match, const protocol::ServerControl& message, sim::PlayerId except_player) {
    const auto bytes = protocol::encode_control(message);
    match.for_each_viewer([&](sim::PlayerId id) {
        if (id == except_player) return;
        if (Session* s = of_player(id)) host_.send(s->peer, net::kReliableChannel, bytes);
    });
}

// --- ending -----------------------------------------------------------------------

void Sessions::close(Session& session, protocol::LeaveReason reason) {
    session.state = SessionState::Closing;
    host_.disconnect_later(session.peer, disconnect_data(reason));
}

void Sessions::close_now(Session& session, protocol::LeaveReason reason) {
    session.state = SessionState::Closing;
    host_.disconnect(session.peer, disconnect_data(reason));
}

std::string Sessions::address(const Session& session) const { return host_.peer_address(session.peer); }

} // namespace skirmish::server
