// shared/net/challenge.hpp
//
// The game port's admission exchange, before any ENet datagram: the client's
// Hello and the server's stateless Challenge (docs/PROTOCOL.md, "Admission").
//
//   Hello (client → server), exactly 64 bytes:
//   offset  size  field
//   0       4     magic FF FF 53 4B ("\xFF\xFFSK": as an ENet header, a compressed CONNECT, which no client sends)
//   4       1     type 1
//   5       4     protocol version, uint32 little-endian
//   9       8     client nonce (random; echoed by the Challenge)
//   17      47    zero                                   total kHelloBytes = 64
//
//   Challenge (server → client), exactly 37 bytes (never more than a Hello):
//   0       4     magic FF FF 53 4B
//   4       1     type 2
//   5       8     the Hello's client nonce
//   13      4     cookie: the 4 bytes the client's ENet CONNECT carries in its `data` field, unchanged
//   17      16    session key (SipHash-2-4 key of every later datagram, datagram_mac.hpp)
//   33      4     epoch seconds the cookie is good for at least, uint32 little-endian
//
// IMPORTANT: parse_*() read untrusted bytes: exact size, magic, type and zero
// padding are checked; anything else is "not one", never an error thrown.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace skirmish::net {

inline constexpr std::array<std::uint8_t, 4> kAdmissionMagic = {0xFF, 0xFF, 'S', 'K'};
inline constexpr std::size_t kAdmissionTypeOffset = 4; // the type byte, after the magic
inline constexpr std::uint8_t kHelloType = 1;
inline constexpr std::uint8_t kChallengeType = 2;
inline constexpr std::size_t kHelloBytes = 64;
inline constexpr std::size_t kChallengeBytes = 37;
inline constexpr std::size_t kClientNonceBytes = 8;
inline constexpr std::size_t kSessionKeyBytes = 16;
static_assert(kChallengeBytes <= kHelloBytes, "a Challenge is never larger than the Hello it answers");

using ClientNonce = std::array<std::uint8_t, kClientNonceBytes>;
using SessionKey = std::array<std::uint8_t, kSessionKeyBytes>;

struct Hello {
    std::uint32_t protocol_version = 0;
    ClientNonce nonce{};
    friend bool operator==(const Hello&, const Hello&) = default;
};

struct Challenge {
    ClientNonce nonce{};
    // The cookie's 4 bytes as ENet's `data` (uint32, big-endian on the wire)
    // reads them: the value to pass to enet_host_connect.
    std::uint32_t cookie = 0;
    SessionKey key{};
    std::uint32_t valid_for_s = 0;
    friend bool operator==(const Challenge&, const Challenge&) = default;
};

// True if the datagram starts with kAdmissionMagic (then it is ours, not ENet's).
bool is_admission_datagram(std::span<const std::uint8_t> datagram) noexcept;

std::array<std::uint8_t, kHelloBytes> encode_hello(const Hello& hello) noexcept;
std::optional<Hello> parse_hello(std::span<const std::uint8_t> datagram) noexcept;

std::array<std::uint8_t, kChallengeBytes> encode_challenge(const Challenge& challenge) noexcept;
std::optional<Challenge> parse_challenge(std::span<const std::uint8_t> datagram) noexcept;

} // namespace skirmish::net
