// When an EnetHost decides a peer is gone (shared/net/enet_host.hpp): after
// HostConfig::silence_timeout_ms with nothing authenticated from it, on both
// ends, and never because reliable resends failed while the link is merely
// down for less than that. Real hosts over 127.0.0.1 through a UdpRelay the
// test cuts and restores; and a server that stalls while its socket fills.
#include "shared/net/enet_host.hpp"
#include "shared/net/udp_relay.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

using namespace skirmish;
using namespace skirmish::net;
using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kProtocol = 7;

std::unique_ptr<EnetHost> server_host(const EnetLibrary& enet, std::uint32_t silence_ms) {
    HostConfig config;
    config.bind_address = "127.0.0.1";
    config.max_peers = 8;
    config.accept_connections = true;
    config.protocol_version = kProtocol;
    config.silence_timeout_ms = silence_ms;
    return EnetHost::create(enet, config).value();
}

std::unique_ptr<EnetHost> client_host(const EnetLibrary& enet, std::uint32_t silence_ms) {
    HostConfig config;
    config.bind_address = "127.0.0.1";
    config.max_peers = 1;
    config.protocol_version = kProtocol;
    config.silence_timeout_ms = silence_ms;
    return EnetHost::create(enet, config).value();
}

// One side of a connection as the test sees it.
struct End {
    std::unique_ptr<EnetHost> host;
    std::optional<PeerHandle> peer;
    std::vector<Event> disconnects; // copies (bytes empty)
    std::size_t reliable_received = 0;
    std::size_t unreliable_received = 0;

    void poll_all() {
        Event e;
        while (host->poll(e, 0)) {
            if (e.type == EventType::Connected) peer = e.peer;
            if (e.type == EventType::Received) {
                if (e.channel == kReliableChannel) ++reliable_received;
                else ++unreliable_received;
            }
            if (e.type == EventType::Disconnected) {
                e.bytes = {};
                disconnects.push_back(e);
            }
        }
    }
};

// Polls both ends every 2 ms until `done` or the deadline; each end sends an
// unreliable packet every `every` (game traffic) while `sending`.
template <typename Done>
bool drive(End& a, End& b, Clock::duration deadline, Done done, bool sending = true,
           Clock::duration every = 16ms) {
    const Bytes packet(40, 0x11);
    const auto end = Clock::now() + deadline;
    auto next_send = Clock::now();
    while (Clock::now() < end) {
        a.poll_all();
        b.poll_all();
        if (done()) return true;
        if (sending && Clock::now() >= next_send) {
            next_send += every;
            for (End* side : {&a, &b})
                if (side->peer) side->host->send(*side->peer, kUnreliableChannel, packet);
            a.host->flush();
            b.host->flush();
        }
        std::this_thread::sleep_for(2ms); // the pace of a game loop, not a wait for a condition
    }
    return done();
}

struct Link {
    std::unique_ptr<EnetLibrary> enet;
    End server;
    End client;
    std::unique_ptr<UdpRelay> relay;
};

// A server and a client connected through a relay, both with this silence timeout.
void connect_through_relay(Link& link, std::uint32_t silence_ms) {
    link.enet = std::make_unique<EnetLibrary>(EnetLibrary::initialize().value());
    link.server.host = server_host(*link.enet, silence_ms);
    link.client.host = client_host(*link.enet, silence_ms);
    RelayConfig relay;
    relay.forward_port = link.server.host->port();
    link.relay = UdpRelay::start(relay).value();
    ASSERT_TRUE(link.client.host->connect("127.0.0.1", link.relay->port()).has_value());
    ASSERT_TRUE(drive(link.server, link.client, 5s, [&] { return link.server.peer && link.client.peer; }));
}

void cut(UdpRelay& relay, bool down) {
    ConditionerConfig c = relay.conditions();
    c.up.loss_pct = down ? 100 : 0;
    c.down.loss_pct = down ? 100 : 0;
    ASSERT_TRUE(relay.set_conditions(c).has_value());
}

} // namespace

TEST(EnetHostLiveness, ALinkDownForLessThanTheSilenceTimeoutSurvivesEveryFailedResend) {
    // 4 s without a datagram either way: every reliable message in flight is
    // resent about ten times and lost each time. ENet's own rule (drop after 5
    // failed resends once 3-5 s have passed) would have ended the connection;
    // the silence rule (6 s here) keeps it, and the messages arrive after.
    Link link;
    connect_through_relay(link, 6000);
    if (HasFatalFailure()) return;
    const Bytes message(100, 0x22);
    cut(*link.relay, true);
    for (int i = 0; i < 5; ++i) link.client.host->send(*link.client.peer, kReliableChannel, message);
    link.client.host->flush();
    const auto down_until = Clock::now() + 4s;
    drive(link.server, link.client, 4s, [&] { return !link.server.disconnects.empty() || Clock::now() >= down_until; });
    cut(*link.relay, false);
    // ENet resends on its doubled delay, so the messages may take a few seconds more.
    EXPECT_TRUE(drive(link.server, link.client, 10s, [&] { return link.server.reliable_received == 5; }))
        << "reliable messages sent during the cut arrived: " << link.server.reliable_received << " of 5";
    EXPECT_TRUE(link.server.disconnects.empty()) << "the server dropped a client that was down for 4 s";
    EXPECT_TRUE(link.client.disconnects.empty()) << "the client dropped a server that was down for 4 s";
    EXPECT_TRUE(link.client.host->connected(*link.client.peer));
}

TEST(EnetHostLiveness, APeerSilentForTheTimeoutIsDroppedOnBothEnds) {
    Link link;
    connect_through_relay(link, 800);
    if (HasFatalFailure()) return;
    // Healthy traffic for a while: nobody is dropped while datagrams flow.
    EXPECT_FALSE(drive(link.server, link.client, 1500ms, [&] {
        return !link.server.disconnects.empty() || !link.client.disconnects.empty();
    }));
    cut(*link.relay, true);
    const auto cut_at = Clock::now();
    ASSERT_TRUE(drive(link.server, link.client, 5s, [&] {
        return !link.server.disconnects.empty() && !link.client.disconnects.empty();
    })) << "a peer silent for 5 s was not dropped (timeout 800 ms)";
    const auto after = Clock::now() - cut_at;
    EXPECT_GE(after, 700ms) << "dropped before the silence timeout";
    for (const End* side : {&link.server, &link.client}) {
        ASSERT_EQ(side->disconnects.size(), 1u);
        EXPECT_TRUE(side->disconnects[0].silent);
        EXPECT_EQ(side->disconnects[0].peer, *side->peer) << "the event names the handle its owner knows";
        EXPECT_FALSE(side->host->connected(*side->peer));
    }
    EXPECT_EQ(link.server.host->connected_peers(), 0u);
}

TEST(EnetHostLiveness, AServerThatStallsDrainsItsSocketBeforeJudgingSilence) {
    // The server is not polled for 1.2 s (a debugger, a starved machine), more
    // than its 500 ms silence timeout. Meanwhile 600 junk datagrams fill its
    // socket, then both clients send: ENet reads at most 256 datagrams per
    // service call, so the first call after the stall yields only junk. Both
    // clients are alive and must stay.
    auto enet = EnetLibrary::initialize().value();
    End server;
    End a;
    End b;
    server.host = server_host(enet, 500);
    a.host = client_host(enet, 10000); // the server sends them nothing here
    b.host = client_host(enet, 10000);
    ASSERT_TRUE(a.host->connect("127.0.0.1", server.host->port()).has_value());
    ASSERT_TRUE(b.host->connect("127.0.0.1", server.host->port()).has_value());
    ASSERT_TRUE(drive(server, a, 5s, [&] {
        b.poll_all();
        return a.peer && b.peer && server.host->connected_peers() == 2;
    }));
    // Let the handshake's last acknowledgements arrive, so nothing from the
    // clients waits in the server's socket ahead of the junk.
    drive(server, a, 300ms, [&] { b.poll_all(); return false; }, false);
    const auto stall_end = Clock::now() + 1200ms;
    const int junk = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(junk, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server.host->port());
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    const std::uint8_t garbage[8] = {0x12, 0x34, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 600; ++i)
        ::sendto(junk, garbage, sizeof garbage, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    ::close(junk);
    const Bytes packet(20, 0x33);
    for (End* c : {&a, &b}) {
        for (int i = 0; i < 10; ++i) {
            c->host->send(*c->peer, kUnreliableChannel, packet);
            c->host->flush();
        }
    }
    while (Clock::now() < stall_end) { // the clients stay serviced; the server does not
        a.poll_all();
        b.poll_all();
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(drive(server, a, 5s, [&] {
        b.poll_all();
        return server.unreliable_received >= 20 || !server.disconnects.empty();
    }, false));
    EXPECT_TRUE(server.disconnects.empty()) << "a client whose datagrams waited in the socket was dropped";
    EXPECT_EQ(server.unreliable_received, 20u);
    EXPECT_EQ(server.host->connected_peers(), 2u);
}
