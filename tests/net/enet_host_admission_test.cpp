// A real connecting EnetHost against a server the test plays by hand on a
// UDP socket: it says Hello (the documented 64 bytes, again every 250 ms),
// ignores Challenges from anyone else or for another nonce, and then sends
// exactly the CONNECT docs/PROTOCOL.md describes, cookie in `data`, MAC under
// the zero key. Then an accepting EnetHost and a connecting one talk.
#include "shared/net/enet_host.hpp"
#include "shared/net/enet_datagram.hpp"
#include "support/enet_wire.hpp"

#include <enet/enet.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

using namespace skirmish;
using namespace skirmish::net;
using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kProtocol = 3;

// A UDP socket playing the server by hand.
struct FakeServer {
    int fd = -1;
    std::uint16_t port = 0;
    explicit FakeServer(const char* address = "127.0.0.1") {
        fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        ::inet_pton(AF_INET, address, &a.sin_addr);
        EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~FakeServer() { ::close(fd); }
    // The next datagram within the deadline, and where it came from.
    std::optional<Bytes> receive(std::chrono::milliseconds deadline, sockaddr_in* from = nullptr) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(deadline.count())) <= 0) return std::nullopt;
        Bytes b(4096);
        sockaddr_in f{};
        socklen_t len = sizeof f;
        const ssize_t n = ::recvfrom(fd, b.data(), b.size(), 0, reinterpret_cast<sockaddr*>(&f), &len);
        if (n < 0) return std::nullopt;
        b.resize(static_cast<std::size_t>(n));
        if (from) *from = f;
        return b;
    }
    void send_to(const sockaddr_in& to, std::span<const std::uint8_t> bytes) {
        ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }
};

std::unique_ptr<EnetHost> client_host(const EnetLibrary& enet) {
    HostConfig config;
    config.max_peers = 1;
    config.protocol_version = kProtocol;
    return EnetHost::create(enet, config).value();
}

// Polls the host (which sends what is due) until the fake server gets a datagram.
std::optional<Bytes> next_from(EnetHost& host, FakeServer& server, sockaddr_in* from,
                               std::chrono::milliseconds deadline = 2s) {
    const auto end = Clock::now() + deadline;
    Event e;
    while (Clock::now() < end) {
        host.poll(e, 0);
        if (auto got = server.receive(5ms, from)) return got;
    }
    return std::nullopt;
}

} // namespace

TEST(EnetHostAdmission, AClientSaysHelloUntilAnsweredThenSendsTheDocumentedConnect) {
    auto enet = EnetLibrary::initialize().value();
    FakeServer server;
    auto host = client_host(enet);
    auto handle = host->connect("127.0.0.1", server.port);
    ASSERT_TRUE(handle.has_value());
    sockaddr_in client{};
    const auto first = next_from(*host, server, &client);
    ASSERT_TRUE(first.has_value());
    const auto hello = parse_hello(*first);
    ASSERT_TRUE(hello.has_value()) << "the first datagram is not a Hello";
    EXPECT_EQ(hello->protocol_version, kProtocol);
    // Unanswered, it comes again, the same.
    const auto t0 = Clock::now();
    const auto again = next_from(*host, server, nullptr);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *first);
    EXPECT_GE(Clock::now() - t0, 150ms);

    // A Challenge for another nonce, and one from another address, change nothing.
    Challenge challenge;
    challenge.nonce = hello->nonce;
    challenge.nonce[0] ^= 1;
    challenge.cookie = 0xa1b2c3d4;
    for (std::size_t i = 0; i < challenge.key.size(); ++i) challenge.key[i] = static_cast<std::uint8_t>(i);
    challenge.valid_for_s = 30;
    server.send_to(client, encode_challenge(challenge));
    FakeServer impostor("127.0.0.2");
    challenge.nonce = hello->nonce;
    impostor.send_to(client, encode_challenge(challenge));
    auto next = next_from(*host, server, nullptr);
    ASSERT_TRUE(next.has_value());
    EXPECT_TRUE(parse_hello(*next).has_value()) << "the client acted on a Challenge it should have ignored";
    EXPECT_GE(host->admission_counters().not_from_server, 1u);

    // The real one: the CONNECT follows.
    server.send_to(client, encode_challenge(challenge));
    std::optional<Bytes> connect;
    for (int i = 0; i < 5 && !connect; ++i) {
        auto d = next_from(*host, server, nullptr);
        ASSERT_TRUE(d.has_value());
        if (!is_admission_datagram(*d)) connect = d;
    }
    ASSERT_TRUE(connect.has_value());
    ParsedDatagram parsed;
    ASSERT_EQ(parse_datagram(*connect, parsed), DatagramFault::None);
    EXPECT_EQ(check_connect(parsed, *connect), DatagramFault::None);
    EXPECT_TRUE(parsed.header.sent_time);
    const ConnectFields fields = read_connect(parsed, *connect);
    EXPECT_EQ(fields.data, 0xa1b2c3d4u) << "the cookie is not in the CONNECT's data";
    EXPECT_EQ(fields.connect_id, handle->connect_id);
    EXPECT_NE(fields.connect_id, 0u);
    // channelCount 2 (big-endian u32 at command offset 16), mtu 1400.
    const std::size_t at = parsed.commands[0].offset;
    EXPECT_EQ((*connect)[at + 19], 2);
    EXPECT_EQ((*connect)[at + 8] << 24 | (*connect)[at + 9] << 16 | (*connect)[at + 10] << 8 | (*connect)[at + 11], 1400);
    // Its MAC: the field held 0 under the zero key.
    Bytes check = *connect;
    const std::uint32_t sent = read_checksum(parsed.header, check);
    write_checksum(parsed.header, check, 0);
    EXPECT_EQ(datagram_mac(SessionKey{}, check), sent);
}

TEST(EnetHostAdmission, AnAcceptingAndAConnectingHostConnectAndTalk) {
    auto enet = EnetLibrary::initialize().value();
    HostConfig server_config;
    server_config.bind_address = "127.0.0.1";
    server_config.max_peers = 4;
    server_config.accept_connections = true;
    server_config.protocol_version = kProtocol;
    auto server = EnetHost::create(enet, server_config).value();
    auto client = client_host(enet);
    auto peer = client->connect("127.0.0.1", server->port());
    ASSERT_TRUE(peer.has_value());
    EXPECT_FALSE(client->connect("127.0.0.1", server->port()).has_value()) << "a second connection from one host";
    EXPECT_FALSE(server->connect("127.0.0.1", client->port()).has_value()) << "an accepting host connecting out";
    bool server_saw = false, client_saw = false, delivered = false;
    PeerHandle on_server;
    const Bytes message(3000, 0x5a); // fragmented: the server must admit the peer first
    const auto end = Clock::now() + 5s;
    Event e;
    while (!delivered && Clock::now() < end) {
        while (server->poll(e, 1)) {
            if (e.type == EventType::Connected) {
                server_saw = true;
                on_server = e.peer;
                server->mark_admitted(on_server);
            }
            if (e.type == EventType::Received) delivered = e.bytes.size() == message.size();
        }
        while (client->poll(e, 1)) {
            if (e.type == EventType::Connected && !client_saw) {
                client_saw = true;
                client->send(*peer, kReliableChannel, message);
                client->flush();
            }
        }
    }
    EXPECT_TRUE(server_saw);
    EXPECT_TRUE(client_saw);
    EXPECT_TRUE(delivered) << "a fragmented reliable message from an admitted peer did not arrive";
    const auto counters = server->admission_counters();
    EXPECT_EQ(counters.challenges, 1u);
    EXPECT_EQ(counters.connects, 1u);
    EXPECT_EQ(counters.bad_mac, 0u);
}
