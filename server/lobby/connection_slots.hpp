// server/lobby/connection_slots.hpp
//
// Who may hold a lobby connection: two pools, counted in total and per
// address. Players (welcomed connections) are capped and refused beyond the
// cap. Handshakes (accepted, not yet welcomed) are a separate, smaller pool in
// which a newcomer always gets a slot: when it is full, the oldest handshake of
// the busiest address is evicted, so silent connections opened from many
// addresses cannot keep a client that says Hello at once from getting in
// (docs/PROTOCOL.md, "Limits"; docs/OPERATIONS.md, "Security: the lobby").
//
// IMPORTANT: bookkeeping only, no sockets; single-threaded (the lobby thread).
// IMPORTANT: "address" is address_key(): an IPv4 address, or an IPv6 /64.
#pragma once

#include "server/lobby/lobby.hpp"

#include <asio/ip/address.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace skirmish::server {

// The key connections are counted under: the IPv4 address (IPv4-mapped IPv6
// included), or the /64 prefix of an IPv6 address ("2001:db8:1:2::/64"),
// since one IPv6 host commonly holds a whole /64.
std::string address_key(const asio::ip::address& address);

struct SlotLimits {
    std::size_t max_players = 1000;
    std::size_t max_players_per_address = 512;
    std::size_t max_handshakes = 256;
    std::size_t max_handshakes_per_address = 32;
};

class ConnectionSlots {
public:
    enum class Verdict : std::uint8_t {
        Admitted,
        ServerFull,  // max_players players
        AddressFull, // max_players_per_address players from this address
    };
    enum class Eviction : std::uint8_t {
        None,
        AddressHandshakesFull, // the newcomer's address had max_handshakes_per_address handshakes
        HandshakesFull,        // the pool had max_handshakes; the busiest address lost one
    };
    struct Admission {
        Verdict verdict = Verdict::Admitted;
        std::optional<SessionId> evicted; // already released here; the caller closes it
        Eviction why = Eviction::None;
    };
    // True for a handshake whose bytes are already waiting to be read: it is
    // about to say Hello, so another is evicted before it where there is one.
    using Spare = std::function<bool(SessionId)>;

    explicit ConnectionSlots(SlotLimits limits) : limits_(limits) {}

    // A new connection: refused while the players are at their cap (the
    // server or this address is full); otherwise it takes a handshake slot,
    // evicting another handshake if a pool is full.
    Admission admit(SessionId id, const std::string& address, const Spare& spare);
    // Whether a handshake may become a player now (checked at its Hello).
    Verdict check_welcome(SessionId id) const;
    // The handshake was welcomed: it moves to the players' pool.
    void welcome(SessionId id);
    // The connection closed (unknown ids are ignored).
    void release(SessionId id);

    std::size_t players() const noexcept { return players_; }
    std::size_t handshakes() const noexcept { return handshakes_; }
    std::size_t handshakes_from(const std::string& address) const;

private:
    struct Entry {
        std::string address;
        bool player = false;
    };
    struct Address {
        std::size_t players = 0;
        std::deque<SessionId> handshakes; // oldest first (session ids grow with time)
    };

    std::optional<SessionId> unspared_oldest(const Address& address, const Spare& spare) const;
    std::optional<SessionId> victim_in_busiest(const Spare& spare) const;
    const Address* busiest_address(const std::vector<const Address*>& except) const;
    void erase_handshake(Address& address, SessionId id);
    void forget_if_empty(const std::string& address);

    SlotLimits limits_;
    std::unordered_map<std::uint64_t, Entry> entries_; // by SessionId
    std::unordered_map<std::string, Address> addresses_;
    std::size_t players_ = 0;
    std::size_t handshakes_ = 0;
};

} // namespace skirmish::server
