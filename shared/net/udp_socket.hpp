// shared/net/udp_socket.hpp
//
// The POSIX UDP toolkit under the conditioner's relay: an owned file
// descriptor, a socket address (IPv4 or IPv6) with its text form and a hash
// key, name resolution that prefers IPv4, and non-blocking UDP sockets bound
// to a local address or connected to a remote one.
//
// IMPORTANT: nothing here throws; failures come back as errno values or as
// texts that say what happened, for the caller to put in its own words
// (which flag to change is the caller's knowledge, not this file's).
// IMPORTANT: Linux (SOCK_NONBLOCK | SOCK_CLOEXEC).
#pragma once

#include "shared/util/result.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace skirmish::net {

// strerror() for an errno value, thread-safe.
std::string errno_text(int error);

// --- descriptors ----------------------------------------------------------------

// Owns a file descriptor and closes it on destruction. Move-only.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(Fd&& other) noexcept;
    Fd& operator=(Fd&& other) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    void reset() noexcept;

private:
    int fd_ = -1;
};

// --- addresses ------------------------------------------------------------------

// A socket address as the kernel takes it (sockaddr_in or sockaddr_in6 inside).
struct Endpoint {
    sockaddr_storage storage{};
    socklen_t length = 0;

    const sockaddr* addr() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
    sockaddr* addr() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
    int family() const noexcept { return storage.ss_family; }
};

std::uint16_t port_of(const Endpoint& endpoint) noexcept;
// "127.0.0.1:9000" or "[::1]:9000"; "?" for another family.
std::string to_string(const Endpoint& endpoint);

// An address as a hash key: family, port and address bytes (IPv4 in the
// first 4). Two endpoints of the same peer give equal keys.
struct AddressKey {
    std::array<std::uint8_t, 16> address{};
    std::uint16_t port = 0;
    std::uint8_t family = 0;
    friend bool operator==(const AddressKey&, const AddressKey&) = default;
};
AddressKey key_of(const Endpoint& endpoint) noexcept;
struct AddressKeyHash {
    std::size_t operator()(const AddressKey& key) const noexcept;
};

bool is_wildcard(const Endpoint& endpoint) noexcept; // 0.0.0.0 or ::
bool is_loopback(const Endpoint& endpoint) noexcept; // 127.0.0.0/8 or ::1
// True if datagrams sent to `destination` would reach a socket bound at
// `bound`: the same address and port, or a wildcard bind and a loopback
// destination on its port (a relay forwarding to itself).
bool loops_back(const Endpoint& destination, const Endpoint& bound) noexcept;

// Resolves host:port for UDP, preferring IPv4 (servers commonly bind 0.0.0.0,
// and "localhost" may list ::1 first). `passive` for an address to bind.
// `what` names the address in the error ("the forward host", ...).
util::Result<Endpoint, std::string> resolve_udp(const std::string& host, std::uint16_t port, bool passive,
                                                std::string_view what);

// --- sockets --------------------------------------------------------------------

// A non-blocking UDP socket of `family` (AF_INET, AF_INET6) with send and
// receive buffers of buffer_bytes asked for (the kernel may grant less; 0:
// its defaults). On failure: the errno value (EMFILE, ...).
util::Result<Fd, int> open_udp(int family, int buffer_bytes);

// Binds `socket` to `endpoint`; then `endpoint` holds the bound address (the
// port the kernel chose when it was 0). On failure: the errno value
// (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...), which callers explain in their
// own words: a port in use is the common operational failure.
util::Result<util::Ok, int> bind_udp(const Fd& socket, Endpoint& endpoint);

// A failed bind explained for a person: "UDP port 9000 on 127.0.0.1 is
// already in use: pick another with --listen". `port` and `address` as the
// person gave them; `flag` is the option that picks another port.
std::string explain_bind_failure(int error, std::uint16_t port, std::string_view address, std::string_view flag);

// A non-blocking UDP socket connected to `peer`: send() and recv() talk to it
// only, and an ICMP "port unreachable" comes back as ECONNREFUSED. On failure:
// the errno value.
util::Result<Fd, int> connect_udp(const Endpoint& peer);

// Receives one waiting datagram into `buffer` without blocking. Returns its
// whole size, which is more than buffer.size() when it did not fit (the rest
// is lost: callers drop such a datagram rather than pass on a part), or the
// errno value (would_block() when none is waiting; ECONNREFUSED on a
// connected socket when an earlier send met "port unreachable"). `from`,
// when given, receives the sender's address.
util::Result<std::size_t, int> receive_datagram(const Fd& socket, std::span<std::uint8_t> buffer,
                                                Endpoint* from = nullptr);

// Sends one datagram to the connected peer, or to `*to`. The errno value on
// failure (a full buffer, no route, ECONNREFUSED as above).
util::Result<util::Ok, int> send_datagram(const Fd& socket, std::span<const std::uint8_t> bytes,
                                          const Endpoint* to = nullptr);

// True for the errno values that only mean "nothing to read now".
bool would_block(int error) noexcept;

} // namespace skirmish::net
