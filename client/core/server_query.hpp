// client/core/server_query.hpp
//
// Asks one server's game port for its info and its players (docs/PROTOCOL.md,
// "Query"), as skirmish-query HOST:PORT does: a Hello until the Challenge
// comes (the cookie proves this address), then a Query for the info and one
// for each page of players. Each request is repeated every 250 ms until its
// reply comes or the deadline passes.
//
// IMPORTANT: blocks the calling thread up to `timeout` (poll() on one
// socket; nothing sleeps). Replies are untrusted: only those from the server's
// address with this query's nonce are read, each decoded and range-checked;
// at most kMaxPlayerPages pages are asked for.
#pragma once

#include "shared/protocol/discovery_codec.hpp"
#include "shared/util/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace skirmish::client {

inline constexpr std::size_t kMaxPlayerPages = 64;

struct ServerQueryResult {
    std::string address;                  // "ip:port" the replies came from
    protocol::discovery::ServerInfo info;
    std::vector<protocol::discovery::QueryPlayer> players;
    std::uint16_t total_players = 0;      // as the server counted them (players may hold fewer if pages were lost)
    double ping_ms = 0;                   // the Hello's round trip
};

util::Result<ServerQueryResult, std::string> query_server(const std::string& host, std::uint16_t port,
                                                          std::chrono::milliseconds timeout);

} // namespace skirmish::client
