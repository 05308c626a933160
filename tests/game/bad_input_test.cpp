// Bad UDP input never disturbs the other players: random datagrams, an ENet
// connection that never presents a token, garbage where a Connect should be,
// garbage FlatBuffers after joining, and an input flood from one peer.
#include "support/game_harness.hpp"

#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/version.hpp"
#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace skirmish;
using namespace std::chrono_literals;
using client::ConnectionState;
using test::drive;
using test::GameHarness;

namespace {

// A well-behaved player whose snapshot rate we watch while others misbehave.
struct Witness {
    std::unique_ptr<client::GameClient> client;
    explicit Witness(GameHarness& h) : client(h.client()) {
        EXPECT_TRUE(client->connect(h.ticket(1, 1), std::chrono::steady_clock::now()).has_value());
        EXPECT_TRUE(drive({client.get()}, 5s, [&] { return client->state() == ConnectionState::InMatch; }));
    }
    // Snapshots received over `period` while `act` runs each frame.
    std::uint64_t snapshots_during(std::chrono::milliseconds period, const std::function<void()>& act) {
        const auto before = client->stats().snapshots_received;
        const auto end = std::chrono::steady_clock::now() + period;
        drive({client.get()}, period + 100ms, [&] {
            act();
            return std::chrono::steady_clock::now() >= end;
        });
        return client->stats().snapshots_received - before;
    }
};

// A raw ENet peer under the test's control.
struct RawPeer {
    std::unique_ptr<net::EnetHost> host;
    net::PeerHandle peer;
    bool connected = false;
    bool disconnected = false;
    explicit RawPeer(GameHarness& h, std::optional<net::Compression> compression = std::nullopt) {
        net::HostConfig config;
        config.max_peers = 1;
        config.protocol_version = protocol::kProtocolVersion;
        // Decode the server's range-coded datagrams, like any client.
        config.compression = h.server().config().range_coder ? net::Compression::Receive : net::Compression::None;
        if (compression) config.compression = *compression;
        host = net::EnetHost::create(h.enet(), config).value();
        peer = host->connect("127.0.0.1", h.server().port()).value();
    }
    void pump() {
        net::Event e;
        while (host->poll(e, 0)) {
            if (e.type == net::EventType::Connected) connected = true;
            if (e.type == net::EventType::Disconnected) disconnected = true;
        }
    }
    void send(std::uint8_t channel, const std::vector<std::uint8_t>& bytes) {
        host->send(peer, channel, bytes);
        host->flush();
    }
};

constexpr std::uint64_t kExpectedSnapshotsPerSecond = 30;

} // namespace

TEST(BadInput, RandomDatagramsAreIgnored) {
    GameHarness h;
    h.start_match(1);
    Witness w(h);
    const int sock = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(sock, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(h.server().port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    util::Rng rng(1);
    int sent = 0;
    const auto got = w.snapshots_during(1000ms, [&] {
        for (int i = 0; i < 50; ++i, ++sent) {
            std::vector<std::uint8_t> bytes(1 + rng.below(1400));
            for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.next_u32());
            ::sendto(sock, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
        }
    });
    ::close(sock);
    EXPECT_GT(sent, 1000);
    EXPECT_GE(got, kExpectedSnapshotsPerSecond * 8 / 10);
    EXPECT_EQ(w.client->state(), ConnectionState::InMatch);
}

TEST(BadInput, AConnectionWithoutATokenIsDroppedAtTheDeadline) {
    server::GameConfig config;
    config.token_deadline = 300ms;
    GameHarness h(config);
    h.start_match(1);
    Witness w(h);
    RawPeer silent(h);
    const auto got = w.snapshots_during(1500ms, [&] { silent.pump(); });
    EXPECT_TRUE(silent.connected);
    EXPECT_TRUE(silent.disconnected);
    EXPECT_GE(got, kExpectedSnapshotsPerSecond * 15 / 10 * 8 / 10);
}

TEST(BadInput, GarbageInsteadOfAConnectIsRejected) {
    GameHarness h;
    h.start_match(1);
    Witness w(h);
    RawPeer rude(h);
    drive({w.client.get()}, 3s, [&] {
        rude.pump();
        return rude.connected;
    });
    // A verified FlatBuffer with the right identifier but the wrong message,
    // then plain garbage.
    rude.send(net::kReliableChannel, protocol::encode_control(protocol::ServerControl{protocol::KillFeed{1, 2, 3}}));
    rude.send(net::kReliableChannel, std::vector<std::uint8_t>(64, 0xee));
    ASSERT_TRUE(drive({w.client.get()}, 3s, [&] {
        rude.pump();
        return rude.disconnected;
    }));
    EXPECT_EQ(w.client->state(), ConnectionState::InMatch);
}

TEST(BadInput, GarbageFlatBuffersFromAPlayerAreDroppedAndCounted) {
    GameHarness h;
    h.start_match(1);
    Witness w(h);
    RawPeer player(h);
    drive({w.client.get()}, 3s, [&] {
        player.pump();
        return player.connected;
    });
    player.send(net::kReliableChannel,
                protocol::encode_control(protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion,
                                                                                          h.ticket(2, 1).token}}));
    // Inputs with a valid frame kind but bit-flipped contents, and garbage.
    protocol::InputPacket bad;
    protocol::TickInput t;
    t.tick = 5;
    bad.inputs.push_back(t);
    auto bytes = protocol::encode_input_packet(bad);
    util::Rng rng(3);
    int frames = 0;
    const auto got = w.snapshots_during(1000ms, [&] {
        player.pump();
        if (++frames % 4 != 0) return;
        auto flipped = bytes;
        flipped[1 + rng.below(static_cast<std::uint32_t>(flipped.size() - 1))] ^= 0x5a; // after the kind byte
        player.send(net::kUnreliableChannel, flipped);
        player.send(net::kUnreliableChannel, std::vector<std::uint8_t>(40, 0x7f));
    });
    EXPECT_GE(got, kExpectedSnapshotsPerSecond * 8 / 10);
    EXPECT_GT(h.server().stats().bad_packets, 0u);
    EXPECT_EQ(w.client->state(), ConnectionState::InMatch);
}

TEST(BadInput, AnInputFloodCostsOnlyTheFlooder) {
    GameHarness h;
    h.start_match(1);
    Witness w(h);
    RawPeer flooder(h);
    drive({w.client.get()}, 3s, [&] {
        flooder.pump();
        return flooder.connected;
    });
    flooder.send(net::kReliableChannel,
                 protocol::encode_control(protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion,
                                                                                           h.ticket(3, 1).token}}));
    protocol::InputPacket packet;
    for (sim::Tick tick = 1000; tick > 984; --tick) {
        protocol::TickInput t;
        t.tick = tick;
        t.input.move_x = 127;
        packet.inputs.push_back(t);
    }
    const auto bytes = protocol::encode_input_packet(packet);
    std::uint64_t flood = 0;
    const auto got = w.snapshots_during(1500ms, [&] {
        flooder.pump();
        for (int i = 0; i < 200; ++i) flood += flooder.host->send(flooder.peer, net::kUnreliableChannel, bytes) ? 1 : 0;
        flooder.host->flush();
    });
    EXPECT_GE(flood, 400u); // 200 a frame against the 1 a tick a client sends: kicked within a few frames
    EXPECT_GE(got, kExpectedSnapshotsPerSecond * 15 / 10 * 8 / 10);
    EXPECT_EQ(w.client->state(), ConnectionState::InMatch);
    const auto stats = h.server().stats();
    EXPECT_GT(stats.flood_dropped, 0u);
    EXPECT_GE(stats.kicked, 1u);
    EXPECT_TRUE(flooder.disconnected);
}

TEST(BadInput, CompressedDatagramsToTheServerAreDroppedUnread) {
    // Clients send plain datagrams (docs/PROTOCOL.md, "Datagrams"): the server
    // never spends CPU decoding. A peer that compresses cannot even connect.
    GameHarness h;
    h.start_match(1);
    Witness w(h);
    RawPeer squeezer(h, net::Compression::Send);
    const auto got = w.snapshots_during(1000ms, [&] { squeezer.pump(); });
    EXPECT_FALSE(squeezer.connected);
    EXPECT_GE(got, kExpectedSnapshotsPerSecond * 8 / 10);
    EXPECT_EQ(w.client->state(), ConnectionState::InMatch);
}
