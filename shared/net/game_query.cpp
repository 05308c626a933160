// shared/net/game_query.cpp
#include "shared/net/game_query.hpp"

#include <algorithm>

namespace skirmish::net {

namespace {

constexpr std::size_t kQueryTypeOffset = 4;
constexpr std::size_t kQueryVersionOffset = 5;
constexpr std::size_t kQueryNonceOffset = 9;
constexpr std::size_t kQueryCookieOffset = kQueryNonceOffset + kClientNonceBytes;
constexpr std::size_t kQueryWhatOffset = kQueryCookieOffset + 4;
constexpr std::size_t kQueryFirstOffset = kQueryWhatOffset + 1;
static_assert(kQueryFirstOffset + 2 == kQueryBytes);

} // namespace

std::array<std::uint8_t, kQueryBytes> encode_query(const Query& q) noexcept {
    std::array<std::uint8_t, kQueryBytes> out{};
    std::copy(kAdmissionMagic.begin(), kAdmissionMagic.end(), out.begin());
    out[kQueryTypeOffset] = kQueryType;
    for (std::size_t i = 0; i < 4; ++i) out[kQueryVersionOffset + i] = static_cast<std::uint8_t>(q.protocol_version >> (8 * i));
    std::copy(q.nonce.begin(), q.nonce.end(), out.begin() + kQueryNonceOffset);
    for (std::size_t i = 0; i < 4; ++i) out[kQueryCookieOffset + i] = static_cast<std::uint8_t>(q.cookie >> (24 - 8 * i));
    out[kQueryWhatOffset] = static_cast<std::uint8_t>(q.what);
    out[kQueryFirstOffset] = static_cast<std::uint8_t>(q.first);
    out[kQueryFirstOffset + 1] = static_cast<std::uint8_t>(q.first >> 8);
    return out;
}

std::optional<Query> parse_query(std::span<const std::uint8_t> d) noexcept {
    if (d.size() != kQueryBytes || !is_admission_datagram(d) || d[kQueryTypeOffset] != kQueryType) return std::nullopt;
    const std::uint8_t what = d[kQueryWhatOffset];
    if (what != static_cast<std::uint8_t>(QueryWhat::Info) && what != static_cast<std::uint8_t>(QueryWhat::Players))
        return std::nullopt;
    Query q;
    for (std::size_t i = 0; i < 4; ++i) q.protocol_version |= static_cast<std::uint32_t>(d[kQueryVersionOffset + i]) << (8 * i);
    std::copy_n(d.begin() + kQueryNonceOffset, kClientNonceBytes, q.nonce.begin());
    for (std::size_t i = 0; i < 4; ++i) q.cookie = (q.cookie << 8) | d[kQueryCookieOffset + i];
    q.what = static_cast<QueryWhat>(what);
    q.first = static_cast<std::uint16_t>(d[kQueryFirstOffset] | d[kQueryFirstOffset + 1] << 8);
    if (q.what == QueryWhat::Info && q.first != 0) return std::nullopt;
    return q;
}

std::vector<std::uint8_t> frame_query_reply(std::span<const std::uint8_t> body) {
    std::vector<std::uint8_t> out(kAdmissionMagic.begin(), kAdmissionMagic.end());
    out.push_back(kQueryReplyType);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::optional<std::span<const std::uint8_t>> query_reply_body(std::span<const std::uint8_t> d) noexcept {
    if (d.size() <= kQueryReplyHeaderBytes || !is_admission_datagram(d) || d[kQueryTypeOffset] != kQueryReplyType)
        return std::nullopt;
    return d.subspan(kQueryReplyHeaderBytes);
}

std::uint64_t nonce_value(const ClientNonce& nonce) noexcept {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < nonce.size(); ++i) v |= static_cast<std::uint64_t>(nonce[i]) << (8 * i);
    return v;
}

} // namespace skirmish::net
