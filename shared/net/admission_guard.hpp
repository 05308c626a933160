// shared/net/admission_guard.hpp
//
// The server side of game-port admission (docs/PROTOCOL.md, "Admission";
// docs/OPERATIONS.md, "Security: the game port"): answers Hellos with a
// stateless Challenge and later recognises the cookie in a CONNECT. Nothing
// is kept per client: cookie and session key are a keyed hash (BLAKE2b,
// libsodium crypto_generichash) of a random per-process secret, the epoch
// number, the client's IPv4 address and port and the protocol version. A
// cookie is accepted during its epoch and the next one.
//
// IMPORTANT: defends against blind, off-path senders only: a Challenge goes to
// the address the Hello names, so only whoever receives there can answer it.
// IMPORTANT: time is passed in; not thread-safe (one owner: the host's thread).
// Memory is fixed at construction: per-address buckets are a hashed table.
#pragma once

#include "shared/net/challenge.hpp"
#include "shared/net/datagram_mac.hpp"
#include "shared/net/enet_datagram.hpp"
#include "shared/net/game_query.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/rate_limiter.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace skirmish::net {

struct AdmissionLimits {
    // Challenges sent toward one IPv4 address (all its ports together): what a
    // Hello flood can reflect at one victim (never more bytes than it sent).
    // Room for a household or a LAN party behind one NAT joining at once.
    double challenges_per_address_burst = 64;
    double challenges_per_address_per_second = 32;
    // Challenges sent in total: bounds what a Hello flood can make the server send.
    double challenges_burst = 2000;
    double challenges_per_second = 2000;
    // Queries (game_query.hpp) answered, from addresses that proved themselves
    // with a cookie: per IPv4 address, and in total.
    double queries_per_address_burst = 16;
    double queries_per_address_per_second = 8;
    double queries_burst = 500;
    double queries_per_second = 500;
    std::chrono::seconds epoch{30};
    std::size_t address_buckets = 4096; // per-address buckets; addresses that hash alike share one
};

struct AdmissionCounters {
    std::uint64_t hellos = 0;              // Hellos that parsed
    std::uint64_t hellos_malformed = 0;    // ours by their magic but not a valid Hello (or a Challenge sent to us)
    std::uint64_t hellos_wrong_version = 0;
    std::uint64_t hellos_rate_limited = 0; // per address or in total
    std::uint64_t challenges = 0;          // sent
    std::uint64_t challenge_bytes = 0;
    std::uint64_t connects = 0;            // CONNECTs with a good cookie, passed to ENet
    std::uint64_t connects_bad_cookie = 0;
    std::uint64_t connects_refused = 0;    // good cookie, but the connectID is another address's (or the table is full)
    std::uint64_t queries = 0;             // Queries that parsed
    std::uint64_t queries_malformed = 0;   // type 3 but not a valid Query
    std::uint64_t queries_bad_cookie = 0;  // not this address's cookie (or another version): no answer
    std::uint64_t queries_rate_limited = 0;
    std::uint64_t query_replies = 0;       // sent
    std::uint64_t query_reply_bytes = 0;
    std::uint64_t limits_pinned = 0;       // datagrams whose bandwidth or throttle request was rewritten
    std::uint64_t bad_mac = 0;             // datagrams dropped by the game port for a wrong MAC before ENet saw them
    std::array<std::uint64_t, 9> dropped{}; // by DatagramFault (index 0 unused)
    std::uint64_t not_from_server = 0;     // client side: datagrams from anyone but the server
};

class AdmissionGuard {
public:
    AdmissionGuard(const AdmissionLimits& limits, std::uint32_t protocol_version, util::TimePoint start);

    // The Challenge to send for this datagram (which starts with the
    // admission magic), or nothing: malformed, another version, rate-limited.
    std::optional<Challenge> answer_hello(std::span<const std::uint8_t> datagram, Ipv4Endpoint from,
                                          util::TimePoint now);
    // The session key if `cookie` is this address's, of this epoch or the last.
    std::optional<SessionKey> check_cookie(std::uint32_t cookie, Ipv4Endpoint from, util::TimePoint now);
    // The Query to answer for this datagram (type 3), or nothing: malformed,
    // another version, not this address's cookie, rate-limited. Counted.
    std::optional<Query> check_query(std::span<const std::uint8_t> datagram, Ipv4Endpoint from, util::TimePoint now);

    AdmissionCounters& counters() noexcept { return counters_; }
    const AdmissionCounters& counters() const noexcept { return counters_; }

private:
    struct Derived {
        std::uint32_t cookie = 0;
        SessionKey key{};
    };
    Derived derive(std::uint64_t epoch, Ipv4Endpoint from) const;
    std::uint64_t epoch_at(util::TimePoint now) const;
    std::size_t bucket_of(Ipv4Endpoint from) const;

    AdmissionLimits limits_;
    std::uint32_t protocol_version_;
    util::TimePoint start_;
    std::array<std::uint8_t, 32> secret_{};
    SessionKey bucket_key_{};
    std::vector<util::RateLimiter> per_address_;
    util::RateLimiter total_;
    std::vector<util::RateLimiter> queries_per_address_;
    util::RateLimiter queries_total_;
    AdmissionCounters counters_;
};

} // namespace skirmish::net
