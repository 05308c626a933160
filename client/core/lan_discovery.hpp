// client/core/lan_discovery.hpp
//
// LAN discovery, the client's side (docs/PROTOCOL.md, "LAN discovery"): a
// Probe padded to 1200 bytes goes to every IPv4 interface's broadcast address
// (and 127.255.255.255, for servers on this machine) and to ff02::736b on every
// IPv6 interface with multicast; every server that hears it answers by
// unicast. Answers are kept per server (one process heard on two interfaces
// or families is listed once, at its quickest answer) with their ping: the
// time from the probe to the answer.
//
// IMPORTANT: non-blocking: probe() sends, receive() reads what is waiting;
// the caller polls fds() or calls receive() each frame. Answers are untrusted:
// decoded, range-checked, and kept only if they carry this round's nonce, up
// to kMaxLanServers.
#pragma once

#include "shared/net/udp_socket.hpp"
#include "shared/protocol/discovery_codec.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace skirmish::client {

inline constexpr std::uint16_t kDiscoveryPort = 7778;
inline constexpr std::size_t kMaxLanServers = 128;

struct LanServer {
    protocol::discovery::ServerInfo info;
    std::string host;     // where to connect: info.address, or the answer's source address
    std::string from;     // the answer's source, "ip:port" or "[ip%if]:port"
    double ping_ms = 0;   // the probe's send → this answer
    std::uint64_t instance = 0;
    bool compatible() const;  // its protocol version is this client's
};

struct LanTargets {
    bool ipv4 = true; // interfaces' broadcast addresses and 127.255.255.255
    bool ipv6 = true; // ff02::736b on each interface
};

// Where a probe goes: every broadcast address and IPv6 multicast interface of
// this host, on `port`.
std::vector<net::Endpoint> lan_probe_targets(std::uint16_t port, LanTargets which = {});
// Where a probe goes by default: the addresses in the environment variable
// SKIRMISH_LAN_ADDRESS (comma-separated, each as lan_probe_target() reads it;
// the test suite sets it to 127.255.255.255 so no test probes a real LAN),
// else lan_probe_targets(). The error names the variable and the address.
util::Result<std::vector<net::Endpoint>, std::string> default_lan_targets(std::uint16_t port, LanTargets which = {});
// One target typed by a person ("192.168.1.255", "ff02::736b%eth0"), on `port`.
util::Result<net::Endpoint, std::string> lan_probe_target(const std::string& address, std::uint16_t port);

struct LanCounters {
    std::uint64_t probes_sent = 0;
    std::uint64_t probe_bytes = 0;
    std::uint64_t answers = 0;  // kept or merged
    std::uint64_t dropped = 0;  // malformed, another round's nonce, or beyond kMaxLanServers
};

class LanDiscovery {
public:
    // Opens an IPv4 socket allowed to broadcast and, where the host has IPv6, an IPv6 one.
    static util::Result<LanDiscovery, std::string> open();

    // A new round: forgets earlier answers, sends one Probe to each target.
    // Returns how many sends succeeded.
    std::size_t probe(std::span<const net::Endpoint> targets, util::TimePoint now);
    // Reads the answers waiting (bounded), keeps this round's.
    void receive(util::TimePoint now);

    const std::vector<LanServer>& servers() const noexcept { return servers_; }
    std::optional<util::TimePoint> probed_at() const noexcept { return probed_at_; }
    const LanCounters& counters() const noexcept { return counters_; }
    std::vector<int> fds() const; // to wait on with poll()

private:
    LanDiscovery() = default;
    void take(std::span<const std::uint8_t> datagram, const net::Endpoint& from, util::TimePoint now);

    net::Fd v4_;
    net::Fd v6_;
    std::uint64_t nonce_ = 0;
    std::optional<util::TimePoint> probed_at_;
    std::vector<LanServer> servers_;
    LanCounters counters_;
};

} // namespace skirmish::client
