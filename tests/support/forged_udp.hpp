// tests/support/forged_udp.hpp
//
// UDP datagrams with a source address of the test's choosing: a raw socket
// with IP_HDRINCL, the way a blind spoofer sends. Needs root (CAP_NET_RAW);
// available() says whether this process has it, so a test can skip clearly.
//
// IMPORTANT: test-only, and only ever aimed at 127.0.0.0/8.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace skirmish::test {

class ForgedUdp {
public:
    ForgedUdp() {
        fd_ = ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
        const int one = 1;
        if (fd_ >= 0 && ::setsockopt(fd_, IPPROTO_IP, IP_HDRINCL, &one, sizeof one) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~ForgedUdp() {
        if (fd_ >= 0) ::close(fd_);
    }
    ForgedUdp(const ForgedUdp&) = delete;
    ForgedUdp& operator=(const ForgedUdp&) = delete;

    bool available() const { return fd_ >= 0; }

    // Sends `payload` from source:source_port to 127.0.0.1:port.
    bool send(const std::string& source, std::uint16_t source_port, std::uint16_t port,
              std::span<const std::uint8_t> payload) {
        std::vector<std::uint8_t> packet(sizeof(iphdr) + sizeof(udphdr) + payload.size());
        iphdr ip{};
        ip.version = 4;
        ip.ihl = 5;
        ip.ttl = 64;
        ip.protocol = IPPROTO_UDP;
        ip.tot_len = htons(static_cast<std::uint16_t>(packet.size()));
        ::inet_pton(AF_INET, source.c_str(), &ip.saddr);
        ip.daddr = htonl(INADDR_LOOPBACK); // the kernel fills in the checksum (and the id when 0)
        udphdr udp{};
        udp.source = htons(source_port);
        udp.dest = htons(port);
        udp.len = htons(static_cast<std::uint16_t>(sizeof(udphdr) + payload.size()));
        udp.check = 0; // none: allowed for UDP over IPv4
        std::memcpy(packet.data(), &ip, sizeof ip);
        std::memcpy(packet.data() + sizeof ip, &udp, sizeof udp);
        std::memcpy(packet.data() + sizeof ip + sizeof udp, payload.data(), payload.size());
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::sendto(fd_, packet.data(), packet.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) ==
               static_cast<ssize_t>(packet.size());
    }

private:
    int fd_ = -1;
};

} // namespace skirmish::test
