// shared/net/game_query.hpp
//
// The game port's server query (docs/PROTOCOL.md, "Query"), in the admission
// family of datagrams (challenge.hpp): a client that holds a Challenge's
// cookie for its address asks for the server's info or a page of its players.
//
//   Query (client → server), exactly 24 bytes:
//   offset  size  field
//   0       4     magic FF FF 53 4B
//   4       1     type 3
//   5       4     protocol version, uint32 little-endian
//   9       8     client nonce (echoed in the reply)
//   17      4     cookie: the Challenge's bytes 13..16, unchanged
//   21      1     what: 1 info, 2 players
//   22      2     first: index of the first player wanted, uint16 little-endian (0 for info)
//
//   QueryReply (server → client): magic, type 4, then one QueryReply
//   FlatBuffer (schemas/discovery.fbs, identifier "SKQR") of at most 1200 bytes.
//
// IMPORTANT: parse_query() reads untrusted bytes (exact size, magic, type,
// `what`); a Query is answered only when its cookie is the sender's, so a
// forged source address never gets a reply (a forged Hello gets a Challenge
// smaller than itself).
#pragma once

#include "shared/net/challenge.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace skirmish::net {

inline constexpr std::uint8_t kQueryType = 3;
inline constexpr std::uint8_t kQueryReplyType = 4;
inline constexpr std::size_t kQueryBytes = 24;
inline constexpr std::size_t kQueryReplyHeaderBytes = 5;

enum class QueryWhat : std::uint8_t { Info = 1, Players = 2 };

struct Query {
    std::uint32_t protocol_version = 0;
    ClientNonce nonce{};
    std::uint32_t cookie = 0; // as Challenge::cookie
    QueryWhat what = QueryWhat::Info;
    std::uint16_t first = 0;
    friend bool operator==(const Query&, const Query&) = default;
};

std::array<std::uint8_t, kQueryBytes> encode_query(const Query& query) noexcept;
std::optional<Query> parse_query(std::span<const std::uint8_t> datagram) noexcept;

// The reply datagram: the 5-byte header, then `body` (a QueryReply FlatBuffer).
std::vector<std::uint8_t> frame_query_reply(std::span<const std::uint8_t> body);
// The body of a reply datagram, or nothing if the header is not a reply's.
std::optional<std::span<const std::uint8_t>> query_reply_body(std::span<const std::uint8_t> datagram) noexcept;

// The nonce as the QueryReply carries it (little-endian uint64 of its bytes).
std::uint64_t nonce_value(const ClientNonce& nonce) noexcept;

} // namespace skirmish::net
