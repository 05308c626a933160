// bench/gameport_flood.cpp: skirmish-gameport-flood, the spoofed-CONNECT flood of
// issue 10 for as long as asked. From N sources on loopback (127.2.0.1,
// 127.2.0.2, ...: one UDP socket bound to each, standing for N spoofed
// addresses) it sends ENet CONNECTs with guessed cookies at RATE a second in
// total, plus one Hello a second from every source, to 127.0.0.1:PORT. Every
// source counts the bytes it sent and the bytes that came back to it; the
// summary says whether any source got more than it sent.
//
//   skirmish-gameport-flood --port P [--sources 1000] [--rate 10000] [--seconds 60]
//
// IMPORTANT: sends only to 127.0.0.1, from 127.2.0.0/16.
#include "shared/net/challenge.hpp"
#include "shared/net/datagram_mac.hpp"
#include "shared/protocol/version.hpp"

#include <CLI/CLI.hpp>
#include <enet/enet.h>
#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace skirmish;
using Clock = std::chrono::steady_clock;

namespace {

struct Source {
    int fd = -1;
    std::uint64_t sent = 0, received = 0;
};

// A CONNECT as ENet 1.3 writes it (docs/PROTOCOL.md, "Admission"), to no
// peer, with sent time and a guessed cookie, MACed under the zero key.
std::vector<std::uint8_t> connect_datagram(std::uint32_t connect_id, std::uint32_t cookie) {
    ENetProtocolConnect c{};
    c.header.command = +ENET_PROTOCOL_COMMAND_CONNECT | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE;
    c.header.channelID = 0xFF;
    c.header.reliableSequenceNumber = ENET_HOST_TO_NET_16(1);
    c.incomingSessionID = c.outgoingSessionID = 0xFF;
    c.mtu = ENET_HOST_TO_NET_32(ENET_HOST_DEFAULT_MTU);
    c.windowSize = ENET_HOST_TO_NET_32(ENET_PROTOCOL_MAXIMUM_WINDOW_SIZE);
    c.channelCount = ENET_HOST_TO_NET_32(2);
    c.packetThrottleInterval = ENET_HOST_TO_NET_32(ENET_PEER_PACKET_THROTTLE_INTERVAL);
    c.packetThrottleAcceleration = ENET_HOST_TO_NET_32(ENET_PEER_PACKET_THROTTLE_ACCELERATION);
    c.packetThrottleDeceleration = ENET_HOST_TO_NET_32(ENET_PEER_PACKET_THROTTLE_DECELERATION);
    c.connectID = connect_id;
    c.data = ENET_HOST_TO_NET_32(cookie);
    std::vector<std::uint8_t> d(8 + sizeof c, 0);
    d[0] = 0x8F; // no peer (0xFFF), a sent time follows
    d[1] = 0xFF;
    std::memcpy(d.data() + 8, &c, sizeof c);
    const std::uint32_t mac = net::datagram_mac(net::SessionKey{}, d); // the field holds 0
    std::memcpy(d.data() + 4, &mac, sizeof mac);
    return d;
}

void drain(Source& s) {
    std::array<std::uint8_t, 2048> buffer{};
    for (ssize_t n; (n = ::recv(s.fd, buffer.data(), buffer.size(), MSG_DONTWAIT)) > 0;)
        s.received += static_cast<std::uint64_t>(n);
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-gameport-flood: spoofed CONNECTs and Hellos from many loopback addresses"};
    int port = 0, sources = 1000, rate = 10000;
    double seconds = 60;
    app.add_option("--port", port, "The game port (UDP) on 127.0.0.1")->required();
    app.add_option("--sources", sources, "Source addresses (127.2.0.1 ...)")->check(CLI::Range(1, 60000));
    app.add_option("--rate", rate, "CONNECTs per second in total")->check(CLI::Range(1, 1000000));
    app.add_option("--seconds", seconds, "How long")->check(CLI::Range(0.1, 86400.0));
    CLI11_PARSE(app, argc, argv);

    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    std::vector<Source> all(static_cast<std::size_t>(sources));
    for (int i = 0; i < sources; ++i) {
        all[i].fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        const std::string address = fmt::format("127.2.{}.{}", i / 250, 1 + i % 250);
        ::inet_pton(AF_INET, address.c_str(), &local.sin_addr);
        if (all[i].fd < 0 || ::bind(all[i].fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
            fmt::print(stderr, "skirmish-gameport-flood: cannot bind {} (open files limit?)\n", address);
            return 1;
        }
    }
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<std::uint16_t>(port));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto send = [&](Source& s, std::span<const std::uint8_t> bytes) {
        if (::sendto(s.fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&server), sizeof server) > 0)
            s.sent += bytes.size();
    };

    std::mt19937 rng(1);
    net::Hello hello{protocol::kProtocolVersion, {}};
    std::uint64_t connects = 0, hellos = 0;
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    // Ticks of 10 ms: rate / 100 CONNECTs each, round-robin over the sources;
    // each source's Hello once a second, spread over the ticks.
    std::size_t next_source = 0;
    std::uint64_t tick = 0;
    const double per_tick = rate / 100.0;
    double owed = 0;
    while (Clock::now() < end) {
        owed += per_tick;
        for (; owed >= 1; owed -= 1, ++connects) {
            send(all[next_source], connect_datagram(static_cast<std::uint32_t>(rng()) | 1, static_cast<std::uint32_t>(rng())));
            next_source = (next_source + 1) % all.size();
        }
        for (std::size_t i = tick % 100; i < all.size(); i += 100, ++hellos) {
            hello.nonce[0] = static_cast<std::uint8_t>(tick);
            send(all[i], net::encode_hello(hello));
        }
        for (std::size_t i = tick % 10; i < all.size(); i += 10) drain(all[i]);
        ++tick;
        std::this_thread::sleep_until(start + std::chrono::milliseconds(10) * tick); // pacing the load
    }
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    // Late answers still count.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::uint64_t sent = 0, received = 0, over = 0;
    double worst = 0;
    for (auto& s : all) {
        drain(s);
        sent += s.sent;
        received += s.received;
        if (s.received > s.sent) ++over;
        if (s.sent) worst = std::max(worst, static_cast<double>(s.received) / static_cast<double>(s.sent));
        ::close(s.fd);
    }
    fmt::print("{{\"seconds\": {:.1f}, \"sources\": {}, \"connects\": {}, \"connects_per_s\": {:.0f}, \"hellos\": {}, "
               "\"bytes_sent\": {}, \"bytes_received\": {}, \"worst_source_received_over_sent\": {:.3f}, "
               "\"sources_receiving_more_than_sent\": {}}}\n",
               took, sources, connects, static_cast<double>(connects) / took, hellos, sent, received, worst, over);
    return over == 0 ? 0 : 3;
}
