// tests/discovery/discovery_support.hpp
//
// What the discovery tests share: a real Server on 127.0.0.1 with LAN
// discovery on an ephemeral port, and a raw UDP socket for datagrams a test
// writes itself, with waits bounded by a deadline (poll(), never a sleep).
#pragma once

#include "server/server.hpp"
#include "shared/net/udp_socket.hpp"
#include "support/test_maps.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::test {

inline net::Endpoint v4(const char* ip, std::uint16_t port) {
    net::Endpoint e;
    auto* sin = reinterpret_cast<sockaddr_in*>(&e.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    ::inet_pton(AF_INET, ip, &sin->sin_addr);
    e.length = sizeof(sockaddr_in);
    return e;
}

// A UDP socket bound to `ip` (any port), allowed to broadcast.
class RawSocket {
public:
    explicit RawSocket(const char* ip = "127.0.0.1") {
        fd_ = net::open_udp(AF_INET, 0).value();
        const int on = 1;
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
        net::Endpoint local = v4(ip, 0);
        EXPECT_TRUE(net::bind_udp(fd_, local));
    }
    void send(const std::vector<std::uint8_t>& bytes, const net::Endpoint& to) {
        EXPECT_TRUE(net::send_datagram(fd_, bytes, &to));
    }
    template <std::size_t N>
    void send(const std::array<std::uint8_t, N>& bytes, const net::Endpoint& to) {
        send(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), to);
    }
    // The next datagram, or nothing by the deadline.
    std::optional<std::vector<std::uint8_t>> receive(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::vector<std::uint8_t> buffer(4096);
        for (int i = 0; i < 1000; ++i) {
            if (auto got = net::receive_datagram(fd_, buffer)) {
                buffer.resize(std::min(*got, buffer.size()));
                return buffer;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{fd_.get(), POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(left.count()));
        }
        return std::nullopt;
    }
    // Whatever is waiting now, without waiting.
    std::vector<std::vector<std::uint8_t>> drain() {
        std::vector<std::vector<std::uint8_t>> out;
        std::vector<std::uint8_t> buffer(4096);
        for (int i = 0; i < 1000; ++i) {
            auto got = net::receive_datagram(fd_, buffer);
            if (!got) break;
            out.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(std::min(*got, buffer.size())));
        }
        return out;
    }

private:
    net::Fd fd_;
};

inline server::ServerConfig discovery_server_config(const std::string& name, std::uint16_t discovery_port = 0) {
    server::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.maps = {*open_map()};
    config.hosting.server_name = name;
    config.discovery.port = discovery_port;
    config.shutdown_grace = std::chrono::milliseconds(300);
    config.game.match_linger = std::chrono::milliseconds(300);
    return config;
}

// Waits until `done` holds, checking every few ms, up to `limit`.
template <typename F>
bool eventually(std::chrono::milliseconds limit, F&& done) {
    const auto end = std::chrono::steady_clock::now() + limit;
    for (int i = 0; i < 100'000; ++i) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() > end) return false;
        pollfd none{-1, 0, 0};
        ::poll(&none, 0, 2); // a bounded wait between checks of a condition
    }
    return done();
}

} // namespace skirmish::test
