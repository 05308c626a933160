// shared/net/udp_relay.hpp
//
// The network conditioner on real sockets: a UDP relay between clients and a
// server. Clients send to the relay's port; for each distinct client address
// the relay opens its own upstream socket to the forward address (like a NAT,
// so the server sees distinct peers) and gives that link its own pair of
// LinkConditioners seeded with derive_seed(seed, link index, direction).
// Semantics of the conditions: conditioner.hpp and docs/NETCODE.md.
//
// IMPORTANT: threading: start() spawns one thread that owns every socket and
// conditioner (epoll over all of them, so hundreds of links cost one thread).
// Every public method is thread-safe.
// IMPORTANT: real time by nature: the relay thread reads the steady clock; all
// random decisions are the LinkConditioners', which are pure and seeded.
// IMPORTANT: datagrams are untrusted and opaque: never parsed; one larger than
// max_datagram_bytes is dropped and counted, never delivered in part.
// IMPORTANT: Linux only (epoll, eventfd).
#pragma once

#include "shared/net/conditioner.hpp"
#include "shared/util/log.hpp"
#include "shared/util/result.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace skirmish::net {

inline constexpr std::size_t kMaxRelayDatagramBytes = 65536;

struct RelayConfig {
    std::string listen_address = "127.0.0.1"; // numeric address or host name
    std::uint16_t listen_port = 0;            // 0: an ephemeral port, see port()
    std::string forward_host = "127.0.0.1";   // resolved once at start(); IPv4 preferred
    std::uint16_t forward_port = 0;
    ConditionerConfig conditions;
    // A link with no traffic either way and nothing in flight for this long is
    // closed (its upstream socket too); the client's next datagram opens a new one.
    std::chrono::milliseconds idle_timeout{60'000};
    std::size_t max_links = 4096;                      // datagrams from more clients are dropped
    std::size_t max_datagram_bytes = kMaxRelayDatagramBytes; // 1..65536; larger ones are dropped
    // Under load (more than 32 link directions with packets in flight) a
    // datagram leaves up to this much after its due time, never before, so one
    // wake-up sends everything due in the window: half the relay's CPU at
    // 256 links x 60 Hz. Below that load it leaves on its due time (plus the
    // scheduler's own delay).
    std::chrono::microseconds timer_slack{500};
    // Socket buffers asked of the kernel (it may grant less: net.core.rmem_max).
    int socket_buffer_bytes = 4 << 20;
    util::Logger* logger = nullptr; // optional; must outlive the relay
};

// Counters of one direction since start(). Up = client → server.
struct RelayDirectionStats {
    std::uint64_t packets_in = 0;   // datagrams received that went to a conditioner
    std::uint64_t bytes_in = 0;
    std::uint64_t dropped = 0;      // lost on purpose, cut off by an outage, or refused by the queue limits
    std::uint64_t overflowed = 0;   // the part of `dropped` refused by the queue limits
    std::uint64_t cut_off = 0;      // the part of `dropped` that came during an outage
    std::uint64_t duplicated = 0;
    std::uint64_t reordered = 0;
    std::uint64_t delivered = 0;    // datagrams sent on, duplicates included
    std::uint64_t bytes_out = 0;
    std::uint64_t send_errors = 0;  // the kernel refused a send (buffer full, no route, ...)
    // Measured added delay over delivered datagrams: time sent on − time received.
    double added_delay_ms_sum = 0;
    double added_delay_ms_max = 0;

    double mean_added_delay_ms() const noexcept {
        return delivered ? added_delay_ms_sum / static_cast<double>(delivered) : 0.0;
    }
    double loss_pct() const noexcept {
        return packets_in ? 100.0 * static_cast<double>(dropped) / static_cast<double>(packets_in) : 0.0;
    }
};

struct RelayStats {
    RelayDirectionStats up;
    RelayDirectionStats down;
    std::size_t links = 0;              // open now
    std::uint64_t links_opened = 0;
    std::uint64_t links_reaped = 0;     // closed after idle_timeout
    std::uint64_t links_refused = 0;    // datagrams dropped: max_links reached or no socket
    std::uint64_t oversized = 0;        // datagrams dropped for exceeding max_datagram_bytes
    std::uint64_t upstream_refused = 0; // the forward address answered "port unreachable"
    double thread_cpu_ms = 0;           // CPU time of the relay thread (sampled every 10 ms)
};

class UdpRelay {
public:
    // Validates the config, resolves the forward host, binds the listen port and
    // starts the relay thread. Errors say what happened and what to do, e.g.
    // "UDP port 9000 on 127.0.0.1 is already in use: pick another with --listen".
    static util::Result<std::unique_ptr<UdpRelay>, std::string> start(const RelayConfig& config);

    ~UdpRelay(); // stop()s
    UdpRelay(const UdpRelay&) = delete;
    UdpRelay& operator=(const UdpRelay&) = delete;

    // The bound listen port (the ephemeral one when listen_port was 0).
    std::uint16_t port() const noexcept;
    // "127.0.0.1:9000 -> 127.0.0.1:7777", resolved addresses.
    std::string describe_route() const;

    // New conditions for every link, open or future, from the next datagram on
    // (see LinkConditioner::set_conditions). The seed only affects links opened
    // afterwards. Rejects what validate() rejects and then changes nothing.
    util::Result<util::Ok, std::string> set_conditions(const ConditionerConfig& conditions);
    ConditionerConfig conditions() const;

    // A consistent copy, at most one relay-loop iteration old.
    RelayStats stats() const;

    // Stops the thread and closes every socket; datagrams still in flight are
    // discarded. Prompt (it does not wait for in-flight delays). Idempotent.
    void stop();

private:
    struct Impl;
    explicit UdpRelay(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace skirmish::net
