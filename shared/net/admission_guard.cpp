// shared/net/admission_guard.cpp
#include "shared/net/admission_guard.hpp"

#include "shared/util/little_endian.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace skirmish::net {

namespace {

constexpr std::string_view kLabel = "skirmish challenge";

} // namespace

AdmissionGuard::AdmissionGuard(const AdmissionLimits& limits, std::uint32_t protocol_version, util::TimePoint start)
    : limits_(limits),
      protocol_version_(protocol_version),
      start_(start),
      per_address_(std::max<std::size_t>(1, limits.address_buckets),
                    util::RateLimiter(limits.challenges_per_address_burst, limits.challenges_per_address_per_second)),
      total_(limits.challenges_burst, limits.challenges_per_second),
      queries_per_address_(std::max<std::size_t>(1, limits.address_buckets),
                           util::RateLimiter(limits.queries_per_address_burst, limits.queries_per_address_per_second)),
      queries_total_(limits.queries_burst, limits.queries_per_second) {
    randombytes_buf(secret_.data(), secret_.size());
    randombytes_buf(bucket_key_.data(), bucket_key_.size());
}

std::uint64_t AdmissionGuard::epoch_at(util::TimePoint now) const {
    const auto since = std::max(util::Duration::zero(), now - start_);
    return static_cast<std::uint64_t>(since / limits_.epoch);
}

AdmissionGuard::Derived AdmissionGuard::derive(std::uint64_t epoch, Ipv4Endpoint from) const {
    std::array<std::uint8_t, kLabel.size() + 8 + 4 + 2 + 4> message{};
    std::uint8_t* p = message.data();
    std::memcpy(p, kLabel.data(), kLabel.size());
    p += kLabel.size();
    util::put_le(p, epoch);
    std::memcpy(p, &from.host, sizeof from.host); // network order, as ENet holds it
    p += sizeof from.host;
    util::put_le(p, from.port);
    util::put_le(p, protocol_version_);
    std::array<std::uint8_t, 4 + kSessionKeyBytes> out{};
    crypto_generichash(out.data(), out.size(), message.data(), message.size(), secret_.data(), secret_.size());
    Derived d;
    d.cookie = static_cast<std::uint32_t>(out[0]) << 24 | static_cast<std::uint32_t>(out[1]) << 16 |
               static_cast<std::uint32_t>(out[2]) << 8 | out[3];
    std::copy(out.begin() + 4, out.end(), d.key.begin());
    return d;
}

std::optional<Challenge> AdmissionGuard::answer_hello(std::span<const std::uint8_t> datagram, Ipv4Endpoint from,
                                                      util::TimePoint now) {
    const auto hello = parse_hello(datagram);
    if (!hello) {
        ++counters_.hellos_malformed;
        return std::nullopt;
    }
    ++counters_.hellos;
    if (hello->protocol_version != protocol_version_) {
        ++counters_.hellos_wrong_version;
        return std::nullopt;
    }
    // The address's own bucket first, so one flooding address cannot empty
    // the total for everyone else.
    if (!per_address_[bucket_of(from) % per_address_.size()].allow(now) || !total_.allow(now)) {
        ++counters_.hellos_rate_limited;
        return std::nullopt;
    }
    const Derived d = derive(epoch_at(now), from);
    Challenge c;
    c.nonce = hello->nonce;
    c.cookie = d.cookie;
    c.key = d.key;
    c.valid_for_s = static_cast<std::uint32_t>(limits_.epoch.count());
    ++counters_.challenges;
    counters_.challenge_bytes += kChallengeBytes;
    return c;
}

std::size_t AdmissionGuard::bucket_of(Ipv4Endpoint from) const {
    std::array<std::uint8_t, crypto_shorthash_BYTES> h{};
    crypto_shorthash(h.data(), reinterpret_cast<const std::uint8_t*>(&from.host), sizeof from.host, bucket_key_.data());
    std::uint64_t index = 0;
    std::memcpy(&index, h.data(), sizeof index);
    return static_cast<std::size_t>(index);
}

std::optional<Query> AdmissionGuard::check_query(std::span<const std::uint8_t> datagram, Ipv4Endpoint from,
                                                 util::TimePoint now) {
    const auto query = parse_query(datagram);
    if (!query) {
        ++counters_.queries_malformed;
        return std::nullopt;
    }
    ++counters_.queries;
    // The cookie binds the version too: a Query of another version has none.
    if (query->protocol_version != protocol_version_ || !check_cookie(query->cookie, from, now)) {
        ++counters_.queries_bad_cookie;
        return std::nullopt;
    }
    if (!queries_per_address_[bucket_of(from) % queries_per_address_.size()].allow(now) || !queries_total_.allow(now)) {
        ++counters_.queries_rate_limited;
        return std::nullopt;
    }
    return query;
}

std::optional<SessionKey> AdmissionGuard::check_cookie(std::uint32_t cookie, Ipv4Endpoint from, util::TimePoint now) {
    const std::uint64_t epoch = epoch_at(now);
    for (std::uint64_t e : {epoch, epoch - 1}) {
        if (e > epoch) break; // no epoch before the first
        const Derived d = derive(e, from);
        if (sodium_memcmp(&d.cookie, &cookie, sizeof cookie) == 0) return d.key;
    }
    return std::nullopt;
}

} // namespace skirmish::net
