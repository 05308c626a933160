// shared/net/challenge.cpp
#include "shared/net/challenge.hpp"

#include <algorithm>

namespace skirmish::net {

namespace {

constexpr std::size_t kHelloVersionOffset = 5;
constexpr std::size_t kHelloNonceOffset = 9;
constexpr std::size_t kHelloPaddingOffset = kHelloNonceOffset + kClientNonceBytes;
constexpr std::size_t kChallengeNonceOffset = 5;
constexpr std::size_t kChallengeCookieOffset = kChallengeNonceOffset + kClientNonceBytes;
constexpr std::size_t kChallengeKeyOffset = kChallengeCookieOffset + 4;
constexpr std::size_t kChallengeValidOffset = kChallengeKeyOffset + kSessionKeyBytes;
static_assert(kChallengeValidOffset + 4 == kChallengeBytes);

void put_le32(std::uint8_t* p, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t get_le32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

bool starts_as(std::span<const std::uint8_t> d, std::size_t size, std::uint8_t type) {
    return d.size() == size && is_admission_datagram(d) && d[kAdmissionTypeOffset] == type;
}

} // namespace

bool is_admission_datagram(std::span<const std::uint8_t> datagram) noexcept {
    return datagram.size() >= kAdmissionMagic.size() &&
           std::equal(kAdmissionMagic.begin(), kAdmissionMagic.end(), datagram.begin());
}

std::array<std::uint8_t, kHelloBytes> encode_hello(const Hello& hello) noexcept {
    std::array<std::uint8_t, kHelloBytes> out{};
    std::copy(kAdmissionMagic.begin(), kAdmissionMagic.end(), out.begin());
    out[kAdmissionTypeOffset] = kHelloType;
    put_le32(out.data() + kHelloVersionOffset, hello.protocol_version);
    std::copy(hello.nonce.begin(), hello.nonce.end(), out.begin() + kHelloNonceOffset);
    return out;
}

std::optional<Hello> parse_hello(std::span<const std::uint8_t> d) noexcept {
    if (!starts_as(d, kHelloBytes, kHelloType)) return std::nullopt;
    if (!std::all_of(d.begin() + kHelloPaddingOffset, d.end(), [](std::uint8_t b) { return b == 0; }))
        return std::nullopt;
    Hello hello;
    hello.protocol_version = get_le32(d.data() + kHelloVersionOffset);
    std::copy_n(d.begin() + kHelloNonceOffset, kClientNonceBytes, hello.nonce.begin());
    return hello;
}

std::array<std::uint8_t, kChallengeBytes> encode_challenge(const Challenge& c) noexcept {
    std::array<std::uint8_t, kChallengeBytes> out{};
    std::copy(kAdmissionMagic.begin(), kAdmissionMagic.end(), out.begin());
    out[kAdmissionTypeOffset] = kChallengeType;
    std::copy(c.nonce.begin(), c.nonce.end(), out.begin() + kChallengeNonceOffset);
    // ENet writes `data` big-endian; the cookie's bytes are exactly those.
    for (std::size_t i = 0; i < 4; ++i)
        out[kChallengeCookieOffset + i] = static_cast<std::uint8_t>(c.cookie >> (24 - 8 * i));
    std::copy(c.key.begin(), c.key.end(), out.begin() + kChallengeKeyOffset);
    put_le32(out.data() + kChallengeValidOffset, c.valid_for_s);
    return out;
}

std::optional<Challenge> parse_challenge(std::span<const std::uint8_t> d) noexcept {
    if (!starts_as(d, kChallengeBytes, kChallengeType)) return std::nullopt;
    Challenge c;
    std::copy_n(d.begin() + kChallengeNonceOffset, kClientNonceBytes, c.nonce.begin());
    for (std::size_t i = 0; i < 4; ++i)
        c.cookie = (c.cookie << 8) | d[kChallengeCookieOffset + i];
    std::copy_n(d.begin() + kChallengeKeyOffset, kSessionKeyBytes, c.key.begin());
    c.valid_for_s = get_le32(d.data() + kChallengeValidOffset);
    return c;
}

} // namespace skirmish::net
