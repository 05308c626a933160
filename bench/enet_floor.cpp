// bench/enet_floor.cpp: skirmish-enet-floor, the floor under a Skirmish
// server's CPU on this machine. It speaks bare ENet with the traffic shape of
// a Skirmish match and nothing else: no lobby, no simulation, no datagram MAC,
// no encoding. `serve` is a fixed-tick ENet server that sends every connected
// peer one snapshot-sized unreliable packet at the snapshot rate and reads
// what arrives; `play` connects N peers that each send one input-sized
// unreliable packet every tick. bench/load_test.sh --vs-floor runs it right
// after the real server with the same N and compares the two servers' CPU per
// player-tick (docs/OPERATIONS.md, "Measuring").
//
//   skirmish-enet-floor serve [--port 0] [--tick-rate 60] [--snapshot-rate 30] [--snapshot-bytes 27]
//   skirmish-enet-floor play --server 127.0.0.1:PORT --peers N --duration S [--input-bytes 14]
//
// `serve` prints "enet-floor serving on UDP port N" when it is ready and a
// summary line when SIGINT or SIGTERM ends it; `play` prints how many peers
// connected and the snapshots each received a second.
#include "shared/net/enet_datagram.hpp"
#include "shared/net/enet_host.hpp"

#include <CLI/CLI.hpp>
#include <enet/enet.h>
#include <fmt/format.h>

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_stop{false}; // set by the signal handler: the one global a signal needs
void on_signal(int) { g_stop = true; }

// How the server configures a peer once it is connected (shared/net/enet_host.cpp):
// the same timeouts, ping interval and pinned throttle, so ENet does the same work.
void configure_peer(ENetPeer* peer) {
    enet_peer_timeout(peer, 1u << 30, skirmish::net::kDefaultReliableTimeoutMs, skirmish::net::kDefaultReliableTimeoutMs);
    enet_peer_ping_interval(peer, 500);
    enet_peer_throttle_configure(peer, skirmish::net::kPinnedThrottleInterval,
                                 skirmish::net::kPinnedThrottleAcceleration, skirmish::net::kPinnedThrottleDeceleration);
    peer->packetThrottle = ENET_PEER_PACKET_THROTTLE_SCALE;
}

// The game's hosts ask for 4 MiB socket buffers (shared/net/enet_host.hpp);
// so do these, so neither side drops datagrams the other would keep.
void raise_socket_buffers(ENetHost* host) {
    constexpr int kBytes = 4 * 1024 * 1024;
    for (int option : {SO_RCVBUFFORCE, SO_RCVBUF})
        if (setsockopt(host->socket, SOL_SOCKET, option, &kBytes, sizeof kBytes) == 0) break;
    for (int option : {SO_SNDBUFFORCE, SO_SNDBUF})
        if (setsockopt(host->socket, SOL_SOCKET, option, &kBytes, sizeof kBytes) == 0) break;
}

constexpr enet_uint8 kUnreliableChannel = 1; // as the game: channel 0 reliable, 1 unreliable sequenced
constexpr std::size_t kChannels = 2;
constexpr auto kServiceInterval = std::chrono::milliseconds(1); // the game server's service_interval

double percentile(std::vector<float> v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

struct ServeOptions {
    std::uint16_t port = 0;
    std::string bind = "127.0.0.1";
    int tick_rate = 60;
    int snapshot_rate = 30;
    std::size_t snapshot_bytes = 27;
    std::size_t max_peers = 2048; // the game server's default: ENet walks every slot on each service
};

int serve(const ServeOptions& o) {
    ENetAddress address{};
    address.port = o.port;
    if (enet_address_set_host_ip(&address, o.bind.c_str()) != 0) {
        fmt::print(stderr, "skirmish-enet-floor: '{}' is not an IPv4 address to bind to\n", o.bind);
        return 2;
    }
    ENetHost* host = enet_host_create(&address, o.max_peers, kChannels, 0, 0);
    if (!host) {
        fmt::print(stderr, "skirmish-enet-floor: cannot open UDP port {} on {}\n", o.port, o.bind);
        return 1;
    }
    raise_socket_buffers(host);
    ENetAddress bound{};
    enet_socket_get_address(host->socket, &bound);
    fmt::print("enet-floor serving on UDP port {}\n", bound.port);
    std::fflush(stdout);

    const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o.tick_rate));
    const int snapshot_every = std::max(1, o.tick_rate / std::max(1, o.snapshot_rate));
    const std::vector<enet_uint8> snapshot(o.snapshot_bytes, 0x53);
    std::vector<float> tick_ms;
    tick_ms.reserve(1 << 20);
    std::uint64_t ticks = 0, received = 0, sent = 0;
    std::size_t connected = 0, most_connected = 0;
    auto handle = [&](const ENetEvent& e) {
        switch (e.type) {
        case ENET_EVENT_TYPE_CONNECT:
            configure_peer(e.peer);
            most_connected = std::max(most_connected, ++connected);
            break;
        case ENET_EVENT_TYPE_DISCONNECT: --connected; break;
        case ENET_EVENT_TYPE_RECEIVE:
            ++received;
            enet_packet_destroy(e.packet);
            break;
        case ENET_EVENT_TYPE_NONE: break;
        }
    };
    const auto drain = [&] {
        ENetEvent event;
        while (enet_host_service(host, &event, 0) > 0) {
            handle(event);
            while (enet_host_check_events(host, &event) > 0) handle(event);
        }
    };
    auto next = Clock::now() + period;
    while (!g_stop.load()) {
        // Between ticks: as the game server, wake every millisecond, drain
        // what arrived in one go and sleep again (server/game/game_server.cpp).
        for (auto now = Clock::now(); now < next && !g_stop.load(); now = Clock::now()) {
            drain();
            std::this_thread::sleep_until(std::min(next, Clock::now() + kServiceInterval));
        }
        const auto start = Clock::now();
        drain();
        if (++ticks % static_cast<std::uint64_t>(snapshot_every) == 0) {
            // One packet per peer, as the game's snapshots differ per peer.
            for (std::size_t i = 0; i < host->peerCount; ++i) {
                ENetPeer* peer = &host->peers[i];
                if (peer->state != ENET_PEER_STATE_CONNECTED) continue;
                ENetPacket* packet = enet_packet_create(snapshot.data(), snapshot.size(), 0);
                if (packet && enet_peer_send(peer, kUnreliableChannel, packet) == 0) ++sent;
                else if (packet) enet_packet_destroy(packet);
            }
        }
        enet_host_flush(host);
        if (tick_ms.size() < tick_ms.capacity())
            tick_ms.push_back(std::chrono::duration<float, std::milli>(Clock::now() - start).count());
        next += period;
        if (Clock::now() > next + 10 * period) next = Clock::now() + period; // after a stall: no burst of catch-up ticks
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    fmt::print("enet-floor: {} ticks, {} peers at most, tick p50 {:.2f} ms p99 {:.2f} ms, {} packets in, {} out, "
               "CPU {:.1f} s\n",
               ticks, most_connected, percentile(tick_ms, 50), percentile(tick_ms, 99), received, sent, cpu_s);
    enet_host_destroy(host);
    return 0;
}

struct PlayOptions {
    std::string server = "127.0.0.1:7777";
    std::size_t peers = 8;
    double duration_s = 30;
    double ramp_per_s = 100;
    int tick_rate = 60;
    std::size_t input_bytes = 14;
};

int play(const PlayOptions& o) {
    const auto colon = o.server.rfind(':');
    ENetAddress address{};
    if (colon == std::string::npos || enet_address_set_host(&address, o.server.substr(0, colon).c_str()) != 0) {
        fmt::print(stderr, "skirmish-enet-floor: '{}' is not HOST:PORT\n", o.server);
        return 2;
    }
    address.port = static_cast<enet_uint16>(std::stoi(o.server.substr(colon + 1)));
    // One host (one socket) for every peer: the floor's players must cost the
    // machine as little as possible, so the server is what is measured.
    ENetHost* host = enet_host_create(nullptr, o.peers, kChannels, 0, 0);
    if (!host) {
        fmt::print(stderr, "skirmish-enet-floor: cannot create a client host for {} peers\n", o.peers);
        return 1;
    }
    raise_socket_buffers(host);
    std::vector<ENetPeer*> peers;
    std::vector<std::uint64_t> snapshots(o.peers, 0);
    std::vector<char> up(o.peers, 0); // connected now (a peer that never connects also gets a DISCONNECT)
    const std::vector<enet_uint8> input(o.input_bytes, 0x49);
    const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o.tick_rate));
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
    std::size_t connected = 0;
    auto next = start;
    while (!g_stop.load() && Clock::now() < end) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        const std::size_t due = o.ramp_per_s <= 0 ? o.peers
                                                  : std::min(o.peers, static_cast<std::size_t>(1 + elapsed * o.ramp_per_s));
        while (peers.size() < due) {
            ENetPeer* peer = enet_host_connect(host, &address, kChannels, 0);
            if (!peer) break;
            peer->data = reinterpret_cast<void*>(peers.size());
            peers.push_back(peer);
        }
        ENetEvent event;
        while (enet_host_service(host, &event, 0) > 0) {
            const auto index = reinterpret_cast<std::size_t>(event.peer->data);
            if (event.type == ENET_EVENT_TYPE_CONNECT) {
                configure_peer(event.peer);
                connected += up[index] ? 0 : 1;
                up[index] = 1;
            } else if (event.type == ENET_EVENT_TYPE_DISCONNECT) {
                connected -= up[index] ? 1 : 0;
                up[index] = 0;
            } else if (event.type == ENET_EVENT_TYPE_RECEIVE) {
                ++snapshots[index];
                enet_packet_destroy(event.packet);
            }
        }
        for (ENetPeer* peer : peers) {
            if (peer->state != ENET_PEER_STATE_CONNECTED) continue;
            if (ENetPacket* packet = enet_packet_create(input.data(), input.size(), 0);
                packet && enet_peer_send(peer, kUnreliableChannel, packet) != 0)
                enet_packet_destroy(packet);
        }
        enet_host_flush(host);
        next += period;
        std::this_thread::sleep_until(next);
        if (Clock::now() > next + 10 * period) next = Clock::now();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<float> rates;
    for (std::size_t i = 0; i < peers.size(); ++i) rates.push_back(static_cast<float>(snapshots[i] / seconds));
    fmt::print("enet-floor play: {} of {} peers connected at the end, snapshots per peer {:.1f}/s median, {:.1f}/s "
               "lowest (over the whole run, ramp included)\n",
               connected, o.peers, percentile(rates, 50), rates.empty() ? 0.0 : *std::min_element(rates.begin(), rates.end()));
    for (ENetPeer* peer : peers) enet_peer_disconnect_now(peer, 0);
    enet_host_flush(host);
    enet_host_destroy(host);
    return connected == o.peers ? 0 : 3;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-enet-floor: bare ENet with a Skirmish match's traffic shape, the floor under the "
                 "server's CPU (bench/load_test.sh --vs-floor)"};
    app.require_subcommand(1);
    ServeOptions s;
    auto* serve_cmd = app.add_subcommand("serve", "A fixed-tick ENet server sending snapshot-sized packets");
    serve_cmd->add_option("--port", s.port, "UDP port (0: any free one)")->capture_default_str();
    serve_cmd->add_option("--bind", s.bind, "IPv4 address to bind")->capture_default_str();
    serve_cmd->add_option("--tick-rate", s.tick_rate, "Ticks a second")->check(CLI::Range(1, 240))->capture_default_str();
    serve_cmd->add_option("--snapshot-rate", s.snapshot_rate, "Snapshots a second to every peer")
        ->check(CLI::Range(1, 240))->capture_default_str();
    serve_cmd->add_option("--snapshot-bytes", s.snapshot_bytes, "Bytes in each snapshot packet")
        ->check(CLI::Range(1, 1200))->capture_default_str();
    serve_cmd->add_option("--max-peers", s.max_peers, "Peer slots")->check(CLI::Range(1, 4095))->capture_default_str();
    PlayOptions p;
    auto* play_cmd = app.add_subcommand("play", "Peers that send an input-sized packet every tick");
    play_cmd->add_option("--server", p.server, "HOST:PORT of `serve`")->required();
    play_cmd->add_option("--peers", p.peers, "How many peers")->check(CLI::Range(1, 4095))->capture_default_str();
    play_cmd->add_option("--duration", p.duration_s, "Seconds to run")->check(CLI::Range(1.0, 86400.0))
        ->capture_default_str();
    play_cmd->add_option("--ramp-per-s", p.ramp_per_s, "Peers connected per second (0: all at once)")
        ->capture_default_str();
    play_cmd->add_option("--tick-rate", p.tick_rate, "Input packets a second per peer")
        ->check(CLI::Range(1, 240))->capture_default_str();
    play_cmd->add_option("--input-bytes", p.input_bytes, "Bytes in each input packet")
        ->check(CLI::Range(1, 1200))->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    if (enet_initialize() != 0) {
        fmt::print(stderr, "skirmish-enet-floor: ENet failed to initialise\n");
        return 1;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    const int status = *serve_cmd ? serve(s) : play(p);
    enet_deinitialize();
    return status;
}
