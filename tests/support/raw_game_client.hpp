// tests/support/raw_game_client.hpp
//
// A game-port client written from docs/PROTOCOL.md and <enet/protocol.h> with
// a plain UDP socket, no ENet host: Hello → Challenge → CONNECT(data = cookie)
// → VERIFY_CONNECT → acknowledge, then `Connect` with a token, acknowledging
// whatever the server sends reliably and counting snapshots. It knows its own
// session key, so a test can make it misbehave as an admitted client does:
// send any command it likes, correctly MACed.
//
// IMPORTANT: test-only; every wait is bounded by a deadline.
#pragma once

#include "support/enet_wire.hpp"

#include "shared/net/challenge.hpp"
#include "shared/net/enet_datagram.hpp"

#include <arpa/inet.h>
#include <enet/enet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skirmish::test {

class RawGameClient {
public:
    using Clock = std::chrono::steady_clock;

    explicit RawGameClient(std::uint16_t server_port, const std::string& source = "127.0.0.1",
                           std::uint32_t protocol_version = 0)
        : version_(protocol_version) {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) ADD_FAILURE() << "bind";
        socklen_t len = sizeof local;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len);
        local_port_ = ntohs(local.sin_port);
        server_.sin_family = AF_INET;
        server_.sin_port = htons(server_port);
        server_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        coder_ = enet_range_coder_create();
        randombytes_buf(&connect_id_, sizeof connect_id_);
        connect_id_ |= 1; // never 0
    }
    ~RawGameClient() {
        ::close(fd_);
        enet_range_coder_destroy(coder_);
    }
    RawGameClient(const RawGameClient&) = delete;
    RawGameClient& operator=(const RawGameClient&) = delete;

    // Hello until a Challenge, then CONNECT until VERIFY_CONNECT (acknowledged).
    bool connect(std::chrono::milliseconds deadline) {
        const auto end = Clock::now() + deadline;
        net::Hello hello{version_, {}};
        randombytes_buf(hello.nonce.data(), hello.nonce.size());
        auto next = Clock::now();
        while (!challenge_ && Clock::now() < end) {
            if (Clock::now() >= next) {
                send_bytes(net::encode_hello(hello));
                next = Clock::now() + std::chrono::milliseconds(100);
            }
            pump(std::chrono::milliseconds(20));
        }
        if (!challenge_ || challenge_->nonce != hello.nonce) return false;
        EnetDatagram::Connect c;
        c.connect_id = connect_id_;
        c.data = challenge_->cookie;
        const auto connect = EnetDatagram(net::kNoPeerId).connect(1, c).sealed(0, net::SessionKey{});
        next = Clock::now();
        while (!server_peer_ && Clock::now() < end) {
            if (Clock::now() >= next) {
                send_bytes(connect);
                next = Clock::now() + std::chrono::milliseconds(200);
            }
            pump(std::chrono::milliseconds(20));
        }
        return server_peer_.has_value();
    }

    // Presents a token on channel 1 in a Connect envelope (bytes given by the test).
    void send_reliable(std::span<const std::uint8_t> message) {
        send(to_server().send_reliable(1, ++channel1_sequence_, message));
    }

    // A datagram addressed to our peer on the server, to fill and send().
    EnetDatagram to_server() const { return EnetDatagram(server_peer_.value_or(0), session_out_, sent_time()); }
    void send(const EnetDatagram& d) { send_bytes(sealed(d)); }
    std::vector<std::uint8_t> sealed(const EnetDatagram& d) const { return d.sealed(connect_id_, key()); }
    void send_bytes(std::span<const std::uint8_t> bytes) {
        ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&server_), sizeof server_);
    }
    std::uint16_t next_peer_sequence() { return ++peer_sequence_; } // channel 0xFF (ping, bandwidth, ...)

    // Reads what has arrived (waiting up to `wait` for the first), acknowledges it.
    void pump(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
        pollfd p{fd_, POLLIN, 0};
        if (wait.count() > 0 && ::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return;
        std::array<std::uint8_t, 4096> buffer{};
        for (int i = 0; i < 4096; ++i) {
            const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
            if (n <= 0) break;
            bytes_received_ += static_cast<std::size_t>(n);
            on_datagram(std::span<std::uint8_t>(buffer.data(), static_cast<std::size_t>(n)));
        }
    }

    std::uint16_t local_port() const { return local_port_; }
    std::uint64_t snapshots() const { return snapshots_; }
    bool disconnected() const { return disconnected_; }
    std::uint64_t bytes_received() const { return bytes_received_; }
    const std::optional<net::Challenge>& challenge() const { return challenge_; }
    std::uint32_t connect_id() const { return connect_id_; }

private:
    net::SessionKey key() const { return challenge_ ? challenge_->key : net::SessionKey{}; }
    static std::uint16_t sent_time() {
        return static_cast<std::uint16_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count());
    }

    void on_datagram(std::span<std::uint8_t> d) {
        if (net::is_admission_datagram(d)) {
            if (auto c = net::parse_challenge(d); c && !challenge_) challenge_ = *c;
            return;
        }
        if (d.size() < 2) return;
        std::vector<std::uint8_t> plain(d.begin(), d.end());
        const bool sent_time_flag = (d[0] & 0x80) != 0;
        const std::size_t header = (sent_time_flag ? 4 : 2) + 4;
        if (plain.size() < header) return;
        if ((d[0] & 0x40) != 0) { // ENET_PROTOCOL_HEADER_FLAG_COMPRESSED: the server's range coder
            std::vector<std::uint8_t> out(header + 4096);
            const std::size_t n = enet_range_coder_decompress(coder_, d.data() + header, d.size() - header,
                                                              out.data() + header, 4096);
            if (n == 0) return;
            std::copy(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(header), out.begin());
            out[0] &= 0xBF;
            out.resize(header + n);
            plain = std::move(out);
        }
        net::ParsedDatagram parsed;
        if (net::parse_datagram(plain, parsed) != net::DatagramFault::None) return;
        const std::uint16_t their_time = sent_time_flag ? static_cast<std::uint16_t>(d[2] << 8 | d[3]) : 0;
        std::vector<std::pair<std::uint8_t, std::uint16_t>> acks;
        for (std::size_t i = 0; i < parsed.command_count; ++i) {
            const net::EnetCommand& c = parsed.commands[i];
            const std::uint8_t* at = plain.data() + c.offset;
            if (c.number == ENET_PROTOCOL_COMMAND_VERIFY_CONNECT && !server_peer_) {
                server_peer_ = static_cast<std::uint16_t>(at[4] << 8 | at[5]);
                session_out_ = at[7]; // verifyConnect.outgoingSessionID
            }
            if (c.number == ENET_PROTOCOL_COMMAND_DISCONNECT) disconnected_ = true;
            if (c.channel == 0 && (c.number == ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE ||
                                   c.number == ENET_PROTOCOL_COMMAND_SEND_FRAGMENT))
                ++snapshots_;
            if (c.acknowledge) acks.emplace_back(c.channel, c.reliable_sequence);
        }
        if (acks.empty() || !server_peer_) return;
        EnetDatagram reply = to_server();
        for (const auto& [channel, sequence] : acks) reply.ack(channel, sequence, their_time);
        send(reply);
    }

    int fd_ = -1;
    sockaddr_in server_{};
    std::uint16_t local_port_ = 0;
    std::uint32_t version_ = 0;
    std::uint32_t connect_id_ = 0;
    void* coder_ = nullptr; // ENet's range coder, for the server's compressed datagrams
    std::optional<net::Challenge> challenge_;
    std::optional<std::uint16_t> server_peer_;
    std::uint8_t session_out_ = 0;
    std::uint16_t peer_sequence_ = 1; // the CONNECT was 1
    std::uint16_t channel1_sequence_ = 0;
    std::uint64_t snapshots_ = 0;
    std::uint64_t bytes_received_ = 0;
    bool disconnected_ = false;
};

} // namespace skirmish::test
