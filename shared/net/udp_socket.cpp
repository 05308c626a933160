// shared/net/udp_socket.cpp
#include "shared/net/udp_socket.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace skirmish::net {

std::string errno_text(int error) { return std::system_category().message(error); }

// --- descriptors ----------------------------------------------------------------

Fd::Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void Fd::reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

// --- addresses ------------------------------------------------------------------

std::uint16_t port_of(const Endpoint& e) noexcept {
    if (e.family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&e.storage)->sin_port);
    if (e.family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&e.storage)->sin6_port);
    return 0;
}

std::string to_string(const Endpoint& e) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (e.family() == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&e.storage);
        ::inet_ntop(AF_INET, &v4->sin_addr, text.data(), text.size());
        return fmt::format("{}:{}", text.data(), port_of(e));
    }
    if (e.family() == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&e.storage);
        ::inet_ntop(AF_INET6, &v6->sin6_addr, text.data(), text.size());
        return fmt::format("[{}]:{}", text.data(), port_of(e));
    }
    return "?";
}

AddressKey key_of(const Endpoint& e) noexcept {
    AddressKey key;
    key.family = static_cast<std::uint8_t>(e.family());
    key.port = port_of(e);
    if (e.family() == AF_INET) {
        std::memcpy(key.address.data(), &reinterpret_cast<const sockaddr_in*>(&e.storage)->sin_addr, 4);
    } else if (e.family() == AF_INET6) {
        std::memcpy(key.address.data(), &reinterpret_cast<const sockaddr_in6*>(&e.storage)->sin6_addr, 16);
    }
    return key;
}

std::size_t AddressKeyHash::operator()(const AddressKey& key) const noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a
    const auto mix = [&h](std::uint8_t byte) { h = (h ^ byte) * 0x100000001b3ULL; };
    for (auto byte : key.address) mix(byte);
    mix(static_cast<std::uint8_t>(key.port));
    mix(static_cast<std::uint8_t>(key.port >> 8));
    mix(key.family);
    return static_cast<std::size_t>(h);
}

bool is_wildcard(const Endpoint& e) noexcept {
    const AddressKey key = key_of(e);
    return std::all_of(key.address.begin(), key.address.end(), [](std::uint8_t byte) { return byte == 0; });
}

bool is_loopback(const Endpoint& e) noexcept {
    const AddressKey key = key_of(e);
    if (e.family() == AF_INET) return key.address[0] == 127;
    return e.family() == AF_INET6 && key.address[15] == 1 &&
           std::all_of(key.address.begin(), key.address.end() - 1, [](std::uint8_t byte) { return byte == 0; });
}

bool loops_back(const Endpoint& destination, const Endpoint& bound) noexcept {
    return port_of(destination) == port_of(bound) &&
           (key_of(destination) == key_of(bound) || (is_wildcard(bound) && is_loopback(destination)));
}

util::Result<Endpoint, std::string> resolve_udp(const std::string& host, std::uint16_t port, bool passive,
                                                std::string_view what) {
    if (host.empty()) return util::fail(fmt::format("the {} is empty: give a host name or address", what));
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        const std::string reason = rc == EAI_SYSTEM ? errno_text(errno) : ::gai_strerror(rc);
        return util::fail(fmt::format("cannot resolve {} '{}': {}", what, host, reason));
    }
    const addrinfo* pick = found;
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            pick = ai;
            break;
        }
    }
    Endpoint endpoint;
    std::memcpy(&endpoint.storage, pick->ai_addr, pick->ai_addrlen);
    endpoint.length = pick->ai_addrlen;
    ::freeaddrinfo(found);
    return endpoint;
}

// --- sockets --------------------------------------------------------------------

util::Result<Fd, int> open_udp(int family, int buffer_bytes) {
    Fd fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return util::fail(errno);
    if (buffer_bytes > 0) {
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
        ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
    }
    return fd;
}

util::Result<util::Ok, int> bind_udp(const Fd& socket, Endpoint& endpoint) {
    if (::bind(socket.get(), endpoint.addr(), endpoint.length) != 0) return util::fail(errno);
    endpoint.length = sizeof endpoint.storage;
    ::getsockname(socket.get(), endpoint.addr(), &endpoint.length);
    return util::Ok{};
}

std::string explain_bind_failure(int error, std::uint16_t port, std::string_view address, std::string_view flag) {
    const std::string where = fmt::format("UDP port {} on {}", port, address);
    switch (error) {
    case EADDRINUSE: return fmt::format("{} is already in use: pick another with {}", where, flag);
    case EACCES: return fmt::format("{} needs privileges to bind: pick a port above 1023", where);
    case EADDRNOTAVAIL:
        return fmt::format("cannot listen on {}: '{}' is not an address of this machine "
                           "(use 127.0.0.1, or 0.0.0.0 for every interface)",
                           where, address);
    default: return fmt::format("cannot bind {}: {}", where, errno_text(error));
    }
}

util::Result<Fd, int> connect_udp(const Endpoint& peer) {
    auto fd = open_udp(peer.family(), 0);
    if (!fd) return fd;
    if (::connect(fd->get(), peer.addr(), peer.length) != 0) return util::fail(errno);
    return fd;
}

util::Result<std::size_t, int> receive_datagram(const Fd& socket, std::span<std::uint8_t> buffer, Endpoint* from) {
    for (int attempt = 0;; ++attempt) { // a signal may interrupt even a non-blocking call; retry a little
        socklen_t length = sizeof(sockaddr_storage);
        // MSG_TRUNC: the result is the datagram's real size, even beyond the buffer.
        const ssize_t received = ::recvfrom(socket.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                                            from ? from->addr() : nullptr, from ? &length : nullptr);
        if (received >= 0) {
            if (from) from->length = length;
            return static_cast<std::size_t>(received);
        }
        if (errno != EINTR || attempt == 3) return util::fail(errno);
    }
}

util::Result<util::Ok, int> send_datagram(const Fd& socket, std::span<const std::uint8_t> bytes, const Endpoint* to) {
    const ssize_t sent = to ? ::sendto(socket.get(), bytes.data(), bytes.size(), 0, to->addr(), to->length)
                            : ::send(socket.get(), bytes.data(), bytes.size(), 0);
    if (sent < 0) return util::fail(errno);
    return util::Ok{};
}

bool would_block(int error) noexcept { return error == EAGAIN || error == EWOULDBLOCK || error == EINTR; }

} // namespace skirmish::net
