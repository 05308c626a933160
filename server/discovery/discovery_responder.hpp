// server/discovery/discovery_responder.hpp
//
// LAN discovery, the server's side (docs/PROTOCOL.md, "LAN discovery";
// docs/OPERATIONS.md, "Discovery and query"): a UDP socket on the discovery
// port (default 7778) on every interface, IPv4 (broadcasts) and IPv6 (the
// link-local group ff02::736b, joined on every interface that has IPv6 and
// multicast), answering each valid Probe by unicast with an Answer that is
// never larger than the Probe.
//
//   ProbeAnswerer       the decision, pure: decode, rate limits, encode (tests, fuzzing)
//   DiscoveryResponder  the sockets and their thread
//
// IMPORTANT: every probe is untrusted: size, identifier, verifier, zero
// padding; malformed ones and those over the rate limits (per source address,
// and in total) get nothing. An answer is ≤ the probe's bytes, so a forged
// source address cannot be used to amplify.
// IMPORTANT: the info source is called on the responder's thread; it must be
// thread-safe and quick.
#pragma once

#include "shared/net/udp_socket.hpp"
#include "shared/protocol/discovery_codec.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/log.hpp"
#include "shared/util/rate_limiter.hpp"
#include "shared/util/result.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace skirmish::server {

inline constexpr std::uint16_t kDefaultDiscoveryPort = 7778;
// The IPv6 link-local group a client's probe goes to (on each interface).
inline constexpr std::string_view kDiscoveryGroupV6 = "ff02::736b";

struct DiscoveryConfig {
    bool enabled = true;
    std::uint16_t port = kDefaultDiscoveryPort; // 0: any free port (tests)
    // Answers per source address (its ports together), then in total.
    double per_address_burst = 4;
    double per_address_per_second = 2;
    double total_burst = 200;
    double total_per_second = 200;
    std::size_t address_buckets = 1024; // addresses that hash alike share a bucket
};

struct DiscoveryCounters {
    std::uint64_t probes = 0;        // datagrams received
    std::uint64_t probe_bytes = 0;
    std::uint64_t answers = 0;       // sent
    std::uint64_t answer_bytes = 0;
    std::uint64_t malformed = 0;     // not a valid Probe: no answer
    std::uint64_t rate_limited = 0;  // valid, over a limit: no answer
};

// The thread-safe source of what an Answer says.
using InfoSource = std::function<protocol::discovery::ServerInfo()>;

class ProbeAnswerer {
public:
    ProbeAnswerer(const DiscoveryConfig& config, std::uint64_t instance);
    // The Answer's bytes for this datagram (≤ its size), or empty: no answer.
    std::vector<std::uint8_t> answer(std::span<const std::uint8_t> datagram, const net::Endpoint& from,
                                     const InfoSource& info, util::TimePoint now);
    const DiscoveryCounters& counters() const noexcept { return counters_; }

private:
    std::vector<util::RateLimiter> per_address_;
    util::RateLimiter total_;
    std::uint64_t instance_;
    std::uint64_t salt_;
    DiscoveryCounters counters_;
};

class DiscoveryResponder {
public:
    // Binds the discovery port (IPv4 first, then IPv6 on the same number if the
    // host has IPv6) and starts the thread. The error names the port and the flag.
    static util::Result<std::unique_ptr<DiscoveryResponder>, std::string> start(const DiscoveryConfig& config,
                                                                                InfoSource info, util::Logger log);
    ~DiscoveryResponder();
    DiscoveryResponder(const DiscoveryResponder&) = delete;
    DiscoveryResponder& operator=(const DiscoveryResponder&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    bool ipv6() const noexcept { return static_cast<bool>(v6_); }
    std::size_t ipv6_groups() const noexcept { return groups_joined_; } // interfaces whose ff02::736b it joined
    DiscoveryCounters counters() const;
    void stop();

private:
    DiscoveryResponder(const DiscoveryConfig& config, InfoSource info, util::Logger log);
    void run();
    void drain(const net::Fd& socket);

    ProbeAnswerer answerer_;
    InfoSource info_;
    util::Logger log_;
    util::SteadyClock clock_;
    net::Fd v4_;
    net::Fd v6_;
    std::uint16_t port_ = 0;
    std::size_t groups_joined_ = 0;
    mutable std::mutex counters_mutex_;
    DiscoveryCounters published_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace skirmish::server
