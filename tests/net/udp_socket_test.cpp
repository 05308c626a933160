// tests/net/udp_socket_test.cpp
//
// shared/net/udp_socket and poller: the POSIX toolkit under the relay, on real
// sockets over loopback with ephemeral ports. Waits are on the poller with a
// deadline, never on sleeps.
#include "shared/net/poller.hpp"
#include "shared/net/udp_socket.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

using namespace skirmish::net;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

Endpoint loopback(std::uint16_t port) { return resolve_udp("127.0.0.1", port, false, "test address").value(); }

// A socket bound to 127.0.0.1 on an ephemeral port; `at` gets the bound address.
Fd bound_socket(Endpoint& at) {
    at = loopback(0);
    Fd fd = open_udp(at.family(), 0).value();
    EXPECT_TRUE(bind_udp(fd, at).has_value());
    return fd;
}

// Waits (bounded) until `id` is readable on the poller.
bool wait_readable(Poller& poller, std::uint64_t id) {
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
        for (std::uint64_t ready : poller.wait(100ms))
            if (ready == id) return true;
    }
    return false;
}

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

} // namespace

// --- addresses ------------------------------------------------------------------

TEST(UdpSocket, ResolvesNumericAddressesAndPrefersIpv4) {
    const Endpoint v4 = loopback(7777);
    EXPECT_EQ(v4.family(), AF_INET);
    EXPECT_EQ(port_of(v4), 7777);
    EXPECT_EQ(to_string(v4), "127.0.0.1:7777");
    auto localhost = resolve_udp("localhost", 9, false, "forward host");
    ASSERT_TRUE(localhost.has_value()) << localhost.error();
    EXPECT_EQ(localhost->family(), AF_INET); // even where ::1 is listed first
    auto v6 = resolve_udp("::1", 9000, false, "forward host");
    ASSERT_TRUE(v6.has_value()) << v6.error();
    EXPECT_EQ(to_string(*v6), "[::1]:9000");
}

TEST(UdpSocket, AnEmptyHostSaysWhichAddress) {
    auto empty = resolve_udp("", 1, false, "forward host");
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error(), "the forward host is empty: give a host name or address");
}

TEST(UdpSocket, AddressKeysTellPeersApart) {
    const AddressKeyHash hash;
    EXPECT_EQ(key_of(loopback(5000)), key_of(loopback(5000)));
    EXPECT_EQ(hash(key_of(loopback(5000))), hash(key_of(loopback(5000))));
    EXPECT_NE(key_of(loopback(5000)), key_of(loopback(5001)));
    EXPECT_NE(key_of(loopback(5000)), key_of(resolve_udp("127.0.0.2", 5000, false, "x").value()));
    EXPECT_NE(key_of(loopback(5000)), key_of(resolve_udp("::1", 5000, false, "x").value()));
    std::unordered_set<std::size_t> hashes;
    for (std::uint16_t port = 1000; port < 1100; ++port) hashes.insert(hash(key_of(loopback(port))));
    EXPECT_EQ(hashes.size(), 100u);
}

TEST(UdpSocket, KnowsWildcardLoopbackAndAForwardToItself) {
    const Endpoint any = resolve_udp("0.0.0.0", 9000, true, "listen address").value();
    EXPECT_TRUE(is_wildcard(any));
    EXPECT_FALSE(is_loopback(any));
    EXPECT_TRUE(is_loopback(loopback(9000)));
    EXPECT_TRUE(is_loopback(resolve_udp("127.8.9.10", 1, false, "x").value()));
    EXPECT_TRUE(is_loopback(resolve_udp("::1", 1, false, "x").value()));
    EXPECT_FALSE(is_loopback(resolve_udp("192.0.2.1", 1, false, "x").value()));
    EXPECT_TRUE(loops_back(loopback(9000), loopback(9000)));
    EXPECT_TRUE(loops_back(loopback(9000), any));
    EXPECT_FALSE(loops_back(loopback(9001), any));
    EXPECT_FALSE(loops_back(resolve_udp("192.0.2.1", 9000, false, "x").value(), loopback(9000)));
}

// --- sockets --------------------------------------------------------------------

TEST(UdpSocket, BindsAnEphemeralPortAndExplainsAPortInUse) {
    Endpoint first;
    const Fd a = bound_socket(first);
    ASSERT_TRUE(a);
    EXPECT_NE(port_of(first), 0);
    Endpoint same = first;
    const Fd b = open_udp(same.family(), 1 << 16).value();
    auto bound = bind_udp(b, same);
    ASSERT_FALSE(bound.has_value());
    EXPECT_EQ(bound.error(), EADDRINUSE);
    EXPECT_EQ(explain_bind_failure(bound.error(), port_of(first), "127.0.0.1", "--listen"),
              "UDP port " + std::to_string(port_of(first)) + " on 127.0.0.1 is already in use: pick another with --listen");
}

TEST(UdpSocket, ExplainsAnAddressThatIsNotThisMachines) {
    Endpoint elsewhere = resolve_udp("192.0.2.1", 0, true, "listen address").value(); // TEST-NET-1
    const Fd fd = open_udp(elsewhere.family(), 0).value();
    auto bound = bind_udp(fd, elsewhere);
    ASSERT_FALSE(bound.has_value());
    EXPECT_EQ(bound.error(), EADDRNOTAVAIL);
    EXPECT_NE(explain_bind_failure(bound.error(), 9000, "192.0.2.1", "--listen")
                  .find("'192.0.2.1' is not an address of this machine"),
              std::string::npos);
}

TEST(UdpSocket, SendsAndReceivesDatagramsBothWays) {
    Endpoint server_at;
    const Fd server = bound_socket(server_at);
    Fd client = connect_udp(server_at).value();
    Poller poller = Poller::create().value();
    ASSERT_TRUE(poller.watch(server, 1).has_value());
    ASSERT_TRUE(poller.watch(client, 2).has_value());

    std::vector<std::uint8_t> buffer(64);
    ASSERT_TRUE(send_datagram(client, bytes_of("hello")).has_value());
    ASSERT_TRUE(wait_readable(poller, 1));
    Endpoint from;
    auto got = receive_datagram(server, buffer, &from);
    ASSERT_TRUE(got.has_value()) << errno_text(got.error());
    EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<long>(*got)), "hello");
    EXPECT_TRUE(is_loopback(from));

    ASSERT_TRUE(send_datagram(server, bytes_of("back"), &from).has_value());
    ASSERT_TRUE(wait_readable(poller, 2));
    got = receive_datagram(client, buffer);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<long>(*got)), "back");

    // Nothing more waiting: that is "would block", not an error to report.
    got = receive_datagram(client, buffer);
    ASSERT_FALSE(got.has_value());
    EXPECT_TRUE(would_block(got.error()));
}

TEST(UdpSocket, ADatagramTooBigForTheBufferReportsItsWholeSize) {
    Endpoint server_at;
    const Fd server = bound_socket(server_at);
    const Fd client = connect_udp(server_at).value();
    Poller poller = Poller::create().value();
    ASSERT_TRUE(poller.watch(server, 1).has_value());
    ASSERT_TRUE(send_datagram(client, std::vector<std::uint8_t>(1000, 7)).has_value());
    ASSERT_TRUE(wait_readable(poller, 1));
    std::vector<std::uint8_t> small(100);
    auto got = receive_datagram(server, small);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, 1000u); // so the caller can drop it instead of passing on a part
}

TEST(UdpSocket, AConnectedSocketHearsPortUnreachable) {
    Endpoint gone_at;
    { Fd gone = bound_socket(gone_at); } // bound, then closed: nothing listens there now
    const Fd client = connect_udp(gone_at).value();
    Poller poller = Poller::create().value();
    ASSERT_TRUE(poller.watch(client, 1).has_value());
    ASSERT_TRUE(send_datagram(client, bytes_of("anyone?")).has_value());
    ASSERT_TRUE(wait_readable(poller, 1)); // the ICMP error makes it readable
    std::vector<std::uint8_t> buffer(16);
    auto got = receive_datagram(client, buffer);
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), ECONNREFUSED);
}

// --- poller ---------------------------------------------------------------------

TEST(Poller, ATimeoutWithNothingReadyReturnsNothingAndNeverEarly) {
    Poller poller = Poller::create().value();
    const auto start = Clock::now();
    EXPECT_TRUE(poller.wait(20ms).empty());
    EXPECT_GE(Clock::now() - start, 20ms);
    EXPECT_TRUE(poller.wait(-5ms).empty()); // a due time already passed: a poll
}

TEST(Poller, AWakeFromAnotherThreadEndsTheWait) {
    Poller poller = Poller::create().value();
    const auto start = Clock::now();
    std::thread waker([&poller] { poller.wake(); });
    const auto ready = poller.wait(30s);
    waker.join();
    EXPECT_TRUE(ready.empty()); // the wake-up itself is not reported
    EXPECT_LT(Clock::now() - start, 10s);
    // A wake-up rung while nobody waits ends the next wait, once.
    poller.wake();
    EXPECT_TRUE(poller.wait(30s).empty());
    const auto again = Clock::now();
    EXPECT_TRUE(poller.wait(10ms).empty());
    EXPECT_GE(Clock::now() - again, 10ms);
}

TEST(Poller, AnEmptyPollerWaitsOnNothing) {
    Poller empty;
    EXPECT_TRUE(empty.wait(1s).empty());
}
