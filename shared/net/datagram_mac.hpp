// shared/net/datagram_mac.hpp
//
// Every ENet datagram of ours carries a keyed MAC in ENet's 32-bit checksum
// field (docs/PROTOCOL.md, "Datagram authentication"): the first 4 bytes of
// SipHash-2-4 (libsodium crypto_shorthash) over the whole datagram with that
// field holding the connection's connectID, under the connection's session
// key from the Challenge. connectID 0 (a CONNECT, or anything sent before the
// peer has an id) uses the all-zero key: those are protected by the cookie.
//
// IMPORTANT: ENet's checksum callback gets only the buffers, no context. Each
// EnetHost holds its SessionKeys and sets them as this thread's current keys
// (MacScope) around every ENet call that can send or receive; the callback
// reads that thread_local pointer. An ENet call outside a MacScope on a host
// with the callback installed is a programmer error (asserted).
// IMPORTANT: SessionKeys is not thread-safe: one owner, the host's thread.
#pragma once

#include "shared/net/challenge.hpp"
#include "shared/util/clock.hpp"

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

struct _ENetHost;

namespace skirmish::net {

// An IPv4 address as ENet holds it: the address in network byte order, the port in host order.
struct Ipv4Endpoint {
    std::uint32_t host = 0;
    std::uint16_t port = 0;
    friend bool operator==(const Ipv4Endpoint&, const Ipv4Endpoint&) = default;
};

// The MAC of one datagram whose checksum field already holds the connectID.
std::uint32_t datagram_mac(const SessionKey& key, std::span<const std::uint8_t> datagram) noexcept;

// connectID → (session key, address) of one host's connections.
class SessionKeys {
public:
    explicit SessionKeys(std::size_t capacity);

    // Registers a connection's key. False (nothing changes) if the id is 0,
    // is held by another address, or the table is full.
    bool insert(std::uint32_t connect_id, const SessionKey& key, Ipv4Endpoint address, util::TimePoint now);
    void erase(std::uint32_t connect_id);
    // Forgets ids no live peer holds (`live` sorted) that are older than `grace`.
    void sweep(const std::vector<std::uint32_t>& live, util::TimePoint now, util::Duration grace);
    const SessionKey* find(std::uint32_t connect_id) const;
    std::size_t size() const noexcept { return entries_.size(); }

    // The MAC ENet's checksum callback gives for these buffers (incoming: the
    // whole datagram; outgoing: header, then commands).
    std::uint32_t mac_of(std::span<const std::uint8_t> datagram) const noexcept;

private:
    struct Entry {
        SessionKey key;
        Ipv4Endpoint address;
        util::TimePoint added;
    };
    std::size_t capacity_;
    std::unordered_map<std::uint32_t, Entry> entries_;
    // For connectIDs nobody registered: random, so no sender can match it.
    SessionKey unknown_key_{};
};

// Sets `keys` as this thread's current keys for its lifetime (nests).
class MacScope {
public:
    explicit MacScope(const SessionKeys& keys) noexcept;
    ~MacScope();
    MacScope(const MacScope&) = delete;
    MacScope& operator=(const MacScope&) = delete;

private:
    const SessionKeys* previous_;
};

// Makes the host compute and check MACs (ENet's `checksum` callback).
void install_datagram_mac(_ENetHost* host) noexcept;

} // namespace skirmish::net
