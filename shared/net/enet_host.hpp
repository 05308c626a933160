// shared/net/enet_host.hpp
//
// One ENet host (a UDP socket and its peers) behind a small value API: the
// server's game port and every client's connection. Knows nothing of game
// messages: it moves byte packets on two channels.
//
//   channel 0  kUnreliableChannel  unreliable-sequenced: inputs, snapshots
//   channel 1  kReliableChannel    reliable-ordered: control and events
//
// Admission and authentication (docs/PROTOCOL.md, "Admission" and "Datagram
// authentication"): a host that accepts connections answers a Hello with a
// stateless Challenge and lets a CONNECT through only with its cookie; a host
// that connects says Hello first. Every datagram after that carries a keyed
// MAC, and the accepting side checks each client datagram against the
// channel and fragment rules before ENet parses it (enet_host_intercept.cpp).
//
// IMPORTANT: not thread-safe; one thread owns a host. Peers are named by a
// PeerHandle (slot index + ENet connect id) that goes stale when the peer
// disconnects, so a handle kept too long can never reach a different peer.
// Bytes received are untrusted: the host caps packet size and buffered data
// per peer; decoding them is the caller's job.
// IMPORTANT: a host either accepts connections (a server) or makes at most one
// at a time (a client): connect() on a host with a connection fails.
// IMPORTANT: ENet's intercept and checksum callbacks get no context; every
// method here that calls into ENet makes this host the thread's current one
// (a thread_local, set and restored around the call) and the callbacks read
// it (datagram_mac.hpp). Never call ENet on this host's _ENetHost directly.
#pragma once

#include "shared/net/admission_guard.hpp"
#include "shared/net/datagram_mac.hpp"
#include "shared/net/enet_library.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct _ENetHost;
struct _ENetPeer;
struct _ENetPacket;
struct _ENetEvent;

namespace skirmish::net {

inline constexpr std::uint8_t kUnreliableChannel = 0;
inline constexpr std::uint8_t kReliableChannel = 1;
inline constexpr std::size_t kChannelCount = 2;

// When a peer is gone, the defaults of every host: the game port and each
// client (docs/OPERATIONS.md, "Timeouts"). Tests shorten them.
// The rule is silence: a peer from which nothing authenticated has arrived
// (no packet, no acknowledgement) for kDefaultSilenceTimeoutMs is dropped.
// Game traffic flows both ways many times a second, so only a peer that is
// really gone (or a network that is down) is silent that long.
inline constexpr std::uint32_t kDefaultSilenceTimeoutMs = 8000;
// ENet's own timeout is only a backstop: reliable data unacknowledged this
// long drops the peer. ENet's other rule (drop after 5 resends, each after
// twice the delay of the one before) is switched off: at 10 % loss each way a
// resend fails 19 % of the time, five in a row once in 4,000 reliable
// messages, which dropped a live player every few minutes (docs/TESTING.md,
// "Soak").
inline constexpr std::uint32_t kDefaultReliableTimeoutMs = 60000;

struct PeerHandle {
    std::uint32_t slot = 0;
    std::uint32_t connect_id = 0;
    friend bool operator==(const PeerHandle&, const PeerHandle&) = default;
    bool valid() const noexcept { return connect_id != 0; }
};

struct PeerHandleHash {
    std::size_t operator()(const PeerHandle& p) const noexcept {
        return (static_cast<std::size_t>(p.slot) << 32) ^ p.connect_id;
    }
};

// ENet's range coder, by direction. Compressing what a host sends is cheap
// and shrinks snapshots by a quarter; decoding every input a thousand clients
// send was most of the server's CPU. So the server compresses and never
// decodes (a compressed datagram to it is dropped), and clients decode and
// never compress (docs/PROTOCOL.md, "Datagrams").
enum class Compression : std::uint8_t {
    None,
    Send,    // compress what this host sends; drop compressed datagrams received
    Receive, // send plain; decompress what arrives compressed
};

struct HostConfig {
    std::string bind_address = "0.0.0.0"; // "" or "0.0.0.0": every interface
    std::uint16_t port = 0;               // 0: any free port (clients, tests)
    std::size_t max_peers = 64;           // at most 4095 (ENet's peer id space)
    // ENet's 256 KiB default overflowed at ~1,000 peers; inputs were silently
    // lost in the kernel. Raised with SO_RCVBUFFORCE when allowed.
    int socket_buffer_bytes = 4 * 1024 * 1024;
    std::size_t max_packet_bytes = 64 * 1024;      // larger incoming packets are refused by ENet
    std::size_t max_waiting_bytes = 256 * 1024;    // per peer, reassembly and queued data
    Compression compression = Compression::None;
    // A peer is dropped (a Disconnected event with `silent` set) after this
    // long without anything authenticated from it; and by ENet when reliable
    // data stays unacknowledged for reliable_timeout_ms.
    std::uint32_t silence_timeout_ms = kDefaultSilenceTimeoutMs;
    std::uint32_t reliable_timeout_ms = kDefaultReliableTimeoutMs;
    std::uint32_t ping_interval_ms = 500;
    // Admission: a host that accepts connections (the game port) answers
    // Hellos of this protocol version; a connecting host says Hello with it,
    // every hello_interval until the Challenge comes.
    bool accept_connections = false;
    std::uint32_t protocol_version = 0;
    AdmissionLimits admission;
    std::chrono::milliseconds hello_interval{250};
    const util::Clock* clock = nullptr; // null: the steady clock
};

enum class EventType : std::uint8_t { None, Connected, Disconnected, Received };

// IMPORTANT: `bytes` points into a packet owned by the host; it stays valid
// only until the next call to poll() or the host's destruction.
struct Event {
    EventType type = EventType::None;
    PeerHandle peer;
    std::uint8_t channel = 0;
    std::uint32_t data = 0; // connect/disconnect data (a disconnect reason)
    // Disconnected: this host dropped the peer because it fell silent
    // (HostConfig::silence_timeout_ms); `data` is 0.
    bool silent = false;
    std::span<const std::uint8_t> bytes;
};

struct PeerStats {
    std::uint32_t rtt_ms = 0;          // ENet's smoothed round-trip time
    std::uint32_t rtt_variance_ms = 0; // ENet's mean deviation of it
    double reliable_loss = 0.0;        // ENet's loss estimate (reliable packets only)
    bool connected = false;            // false: no such peer (yet, or any more); the rest is 0
};

struct HostCounters {
    std::uint64_t bytes_sent = 0;     // UDP payload bytes, ENet headers included
    std::uint64_t bytes_received = 0;
    std::uint64_t packets_sent = 0;
    std::uint64_t packets_received = 0;
};

class EnetHost {
public:
    // Binds the socket. A port in use gives "UDP port N is already in use ..."
    static util::Result<std::unique_ptr<EnetHost>, std::string> create(const EnetLibrary& library,
                                                                       const HostConfig& config);
    ~EnetHost();
    EnetHost(const EnetHost&) = delete;
    EnetHost& operator=(const EnetHost&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    int socket_buffer_bytes() const noexcept { return socket_buffer_bytes_; }
    // The UDP socket, for a readiness poll (epoll) over many hosts: a caller
    // may learn from it that nothing waits to be read, but reads only through poll().
    int socket_fd() const noexcept;

    // Starts connecting: Hello, then (once the Challenge comes) ENet's CONNECT
    // with the cookie. A Connected event follows, or nothing if no Challenge
    // ever comes (the caller's deadline says when to give up: reset()).
    util::Result<PeerHandle, std::string> connect(const std::string& host, std::uint16_t port);

    // Next event, waiting up to timeout_ms (0: do not wait). Hands out queued
    // events first; only when none is queued does it service the socket
    // (send acks and queued packets, receive a batch).
    bool poll(Event& out, std::uint32_t timeout_ms = 0);

    // Queues bytes to a peer. Returns false if the peer is gone.
    bool send(PeerHandle peer, std::uint8_t channel, std::span<const std::uint8_t> bytes);
    // Sends everything queued now.
    void flush();
    // Graceful: queued reliable data goes first, then a Disconnected event.
    void disconnect(PeerHandle peer, std::uint32_t reason);
    // Like disconnect, after queued packets are sent.
    void disconnect_later(PeerHandle peer, std::uint32_t reason);
    // Immediate: drops the peer without telling it (after a protocol violation);
    // a connection still waiting for its Challenge stops saying Hello.
    void reset(PeerHandle peer);
    // The peer presented a valid connect token: fragments from it are let
    // through from now on (before, a fragment drops its whole datagram).
    void mark_admitted(PeerHandle peer);
    // A reliable ping, acknowledged by the other side: a fresh RTT sample.
    // IMPORTANT: ENet pings by itself only after pingInterval without receiving
    // anything, which never happens while snapshots flow; clients call this.
    void ping(PeerHandle peer);

    // A host that accepts connections answers a Query (game_query.hpp) whose
    // cookie is its sender's with the body this returns (a QueryReply
    // FlatBuffer; empty: no answer). Called on the host's thread, inside poll().
    using QueryHandler = std::function<std::vector<std::uint8_t>(const Query&)>;
    void set_query_handler(QueryHandler handler) { query_handler_ = std::move(handler); }

    bool connected(PeerHandle peer) const;
    PeerStats peer_stats(PeerHandle peer) const; // cheap: clients read it every frame
    // "ip:port" of a peer; empty when there is no such peer.
    std::string peer_address(PeerHandle peer) const;
    HostCounters counters();
    // What the admission and datagram rules let through and dropped.
    AdmissionCounters admission_counters() const;
    std::size_t connected_peers() const;

private:
    class Scope;
    struct PendingConnect {
        PeerHandle handle;
        Ipv4Endpoint server;
        ClientNonce nonce{};
        util::TimePoint next_hello{};
        std::optional<Challenge> challenge;
    };

    EnetHost(_ENetHost* host, const HostConfig& config);
    _ENetPeer* find(PeerHandle peer) const;
    PeerHandle handle_of(_ENetPeer* peer) const;
    void configure_peer(_ENetPeer* peer);
    util::TimePoint now() const;
    void send_raw(Ipv4Endpoint to, std::span<const std::uint8_t> bytes);
    void progress_connect(util::TimePoint now);
    void sweep_keys(util::TimePoint now);
    void note_heard(std::uint32_t slot, util::TimePoint now);
    void drop_silent_peers(util::TimePoint now);

    // --- enet_host_intercept.cpp: every datagram before ENet sees it ---
    static int intercept_callback(_ENetHost* host, _ENetEvent* event);
    int intercept(std::span<std::uint8_t> datagram, Ipv4Endpoint from);
    int intercept_as_server(std::span<std::uint8_t> datagram, Ipv4Endpoint from, util::TimePoint now);
    int intercept_as_client(std::span<std::uint8_t> datagram, Ipv4Endpoint from);
    int admit_connect(const ParsedDatagram& parsed, std::span<std::uint8_t> datagram, Ipv4Endpoint from,
                      util::TimePoint now);
    bool pin_with_mac(const ParsedDatagram& parsed, std::span<std::uint8_t> datagram, std::uint32_t connect_id);
    int drop(DatagramFault fault);
    void answer_admission(std::span<const std::uint8_t> datagram, Ipv4Endpoint from, util::TimePoint now);

    _ENetHost* host_ = nullptr;
    _ENetPacket* held_packet_ = nullptr;
    HostConfig config_;
    util::SteadyClock steady_clock_;
    SessionKeys keys_;
    std::optional<AdmissionGuard> guard_; // hosts that accept connections
    QueryHandler query_handler_;
    AdmissionCounters client_counters_;   // hosts that connect
    std::optional<PendingConnect> pending_;
    Ipv4Endpoint server_;                 // where a connecting host's server is
    std::vector<std::uint32_t> admitted_; // per slot: connect id of a peer that presented a token
    std::vector<std::uint32_t> live_ids_; // scratch for sweep_keys()
    util::TimePoint next_sweep_{};
    std::uint16_t port_ = 0;
    int socket_buffer_bytes_ = 0;
    HostCounters counters_;
    // ENet clears a peer's connect id before reporting its disconnect; this
    // remembers it per slot so the Disconnected event carries the handle the
    // owner knows.
    std::vector<std::uint32_t> slot_connect_ids_;
    // Silence (drop_silent_peers): per slot, when something authenticated was
    // last heard from it (a Received or Connected event; ENet's own time of
    // the last acknowledgement counts too). Peers dropped for silence wait in
    // silent_ to be handed out by poll().
    std::vector<util::TimePoint> last_heard_;
    std::vector<Event> silent_;
    util::TimePoint last_poll_{};
    util::TimePoint next_silence_check_{};
};

} // namespace skirmish::net
