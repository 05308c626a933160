// server/game/sessions.hpp
//
// The game port's peers: one Session per ENet peer slot, the state it is in
// (awaiting its token, playing, closing), which player plays from which slot,
// and the sends that reach them: control messages on the reliable channel,
// to one peer or to everyone in a match.
//
// IMPORTANT: tick thread only, like the EnetHost it sends through. A Session
// lives from ENet's Connected event to its Disconnected (open() .. forget());
// never keep a Session* past the event or tick that produced it.
// IMPORTANT: a player id maps to at most one slot; bind() takes it over and
// unbind() frees it. Only a Playing session is bound.
#pragma once

#include "server/game/match.hpp"
#include "shared/net/enet_host.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/rate_limiter.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace skirmish::server {

enum class SessionState : std::uint8_t { AwaitingToken, Playing, Closing };

struct Session {
    net::PeerHandle peer;
    SessionState state = SessionState::AwaitingToken;
    util::TimePoint connected_at;
    sim::PlayerId player_id{};         // once Playing
    protocol::MatchId match_id{};
    bool spectator = false;            // watching match_id: no entity, its inputs ignored
    int packets_this_tick = 0;         // channel-0 packets: the flood cap
    // Bad packets allowed before a kick: kick_after_bad_packets_per_second at
    // once, refilled at that rate (set by GameServer::on_connected).
    util::RateLimiter bad_packets{1, 1};
    bool leaving_on_purpose = false;   // said Leave, so its disconnect is no time-out
};

class Sessions {
public:
    Sessions(net::EnetHost& host, std::size_t max_peers);

    // --- the table ---
    // A peer connected: a fresh session awaiting its token, or nullptr if the
    // slot is beyond max_peers (the caller resets the peer).
    Session* open(net::PeerHandle peer, util::TimePoint now);
    // The peer is gone: its slot is free. A stale handle is ignored.
    void forget(net::PeerHandle peer);
    // The session of this peer, or nullptr if the handle is stale.
    Session* find(net::PeerHandle peer);
    // The session a player plays from, or nullptr.
    Session* of_player(sim::PlayerId player_id);
    // The session now plays (or watches) `player_id` in `match_id` (state Playing).
    void bind(Session& session, sim::PlayerId player_id, protocol::MatchId match_id, bool spectator = false);
    // The player no longer plays from any slot.
    void unbind(sim::PlayerId player_id);
    // The session's peer presented a valid token: its host lets fragments
    // from it through from now on (EnetHost::mark_admitted).
    void admit(const Session& session);

    // Bound sessions: players, and spectators apart.
    std::size_t players() const noexcept { return slot_of_player_.size() - spectators_; }
    std::size_t spectators() const noexcept { return spectators_; }
    std::size_t awaiting_token() const;
    // Slots in ENet's numbering, for work spread over ticks by slot.
    std::size_t slots() const noexcept { return sessions_.size(); }
    Session* at_slot(std::size_t slot) { return sessions_[slot] ? &*sessions_[slot] : nullptr; }
    template <typename F>
    void for_each(F&& fn) {
        for (auto& s : sessions_)
            if (s) fn(*s);
    }

    // ENet's round-trip time to this peer (ms), for the scoreboard's pings.
    std::uint32_t rtt_ms(net::PeerHandle peer) const { return host_.peer_stats(peer).rtt_ms; }

    // --- sending (reliable channel) ---
    void send_control(net::PeerHandle peer, const protocol::ServerControl& message);
    void send_reliable(net::PeerHandle peer, std::span<const std::uint8_t> bytes);
    // To everyone in the match (players and spectators) who has a session, but `except_player`.
    void broadcast(const Match& match, const protocol::ServerControl& message,
                   sim::PlayerId except_player = sim::kNoPlayer);

    // --- ending ---
    // Closing, and the peer is let go once what is queued for it has gone out
    // (EnetHost::disconnect_later): after a Rejected, the scoreboard, a shutdown.
    void close(Session& session, protocol::LeaveReason reason);
    // Closing, and ENet's disconnect starts now (EnetHost::disconnect): a kick, a Leave.
    void close_now(Session& session, protocol::LeaveReason reason);

    // "ip:port", for logs.
    std::string address(const Session& session) const;

private:
    net::EnetHost& host_;
    std::vector<std::optional<Session>> sessions_; // by ENet peer slot
    struct Binding {
        std::uint32_t slot = 0;
        bool spectator = false;
    };
    std::unordered_map<sim::PlayerId, Binding> slot_of_player_;
    std::size_t spectators_ = 0; // bindings with spectator set
};

} // namespace skirmish::server
