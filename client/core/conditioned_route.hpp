// client/core/conditioned_route.hpp
//
// The optional detour of a player's game traffic through the network
// conditioner: route() points a MatchTicket at an in-process UDP relay
// (shared/net/udp_relay) that forwards to the ticket's game endpoint under
// the configured loss, latency, jitter, duplication and reordering. One relay
// per game endpoint; every player routed through the same route and endpoint
// shares that relay, and the relay gives each player (each client address)
// its own link, seeded with derive_seed(conditions.seed, link index, direction).
// The desktop client keeps a route of its own (one endpoint at a time); a bot
// fleet shares one route among all its bots.
//
// IMPORTANT: thread-safe (one mutex: a fleet's bots on several threads share
// one route); the relays run their own threads.
// IMPORTANT: the route must outlive every GameClient whose ticket it routed.
#pragma once

#include "client/core/game_client.hpp"
#include "shared/net/udp_relay.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/log.hpp"

#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::client {

struct RoutedTicket {
    MatchTicket ticket;  // where to connect: the relay, or the game endpoint itself
    std::string problem; // why the relay is not in the way (it could not start), for a person; empty when it is
};

class ConditionedRoute {
public:
    // At most `max_endpoints` relays at once: routing to another endpoint
    // beyond that closes the relay used longest ago.
    ConditionedRoute(net::ConditionerConfig conditions, util::Logger log,
                     std::size_t max_endpoints = std::numeric_limits<std::size_t>::max());
    ~ConditionedRoute();
    ConditionedRoute(const ConditionedRoute&) = delete;
    ConditionedRoute& operator=(const ConditionedRoute&) = delete;

    // The ticket pointed at the relay for its endpoint (started on first use).
    // When the relay cannot start, the ticket unchanged and the reason: the
    // player then plays without the conditioner rather than not at all.
    RoutedTicket route(MatchTicket ticket);

    // New conditions for every relay, open or future (see UdpRelay::set_conditions).
    // Rejects what net::validate() rejects and then changes nothing.
    util::Result<util::Ok, std::string> set_conditions(const net::ConditionerConfig& conditions);
    net::ConditionerConfig conditions() const;

    // The figures of the relay the last routed ticket went through; nullopt before any.
    std::optional<net::RelayStats> stats() const;
    std::size_t relays() const;
    // How long a goodbye sent now takes to leave the relay: the upstream
    // latency plus jitter (capped at 2 s), or nothing when no relay is open.
    util::Duration goodbye_time() const;

private:
    struct Relay {
        std::string endpoint; // "host:port" of the game server
        std::unique_ptr<net::UdpRelay> relay;
    };

    mutable std::mutex mutex_; // guards conditions_ and relays_
    net::ConditionerConfig conditions_;
    util::Logger log_; // the relays hold a pointer to it: declared before them
    std::size_t max_endpoints_;
    std::vector<Relay> relays_; // the most recently used last
};

} // namespace skirmish::client
