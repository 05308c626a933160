// server/lobby/connection_slots.cpp
#include "server/lobby/connection_slots.hpp"

#include <algorithm>
#include <vector>

namespace skirmish::server {

namespace {
// Addresses tried for a victim that is not about to say Hello before the
// oldest handshake of the busiest is taken anyway (bounds the work per accept).
constexpr int kMaxAddressesTried = 8;
} // namespace

std::string address_key(const asio::ip::address& address) {
    if (address.is_v4()) return address.to_string();
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), std::uint8_t{0});
    return asio::ip::address_v6(bytes).to_string() + "/64";
}

// --- admission --------------------------------------------------------------------------

ConnectionSlots::Admission ConnectionSlots::admit(SessionId id, const std::string& address, const Spare& spare) {
    Admission admission;
    if (players_ >= limits_.max_players) {
        admission.verdict = Verdict::ServerFull;
        return admission;
    }
    if (const auto it = addresses_.find(address);
        it != addresses_.end() && it->second.players >= limits_.max_players_per_address) {
        admission.verdict = Verdict::AddressFull;
        return admission;
    }
    // Make room first: the newcomer's own address if it has its share, else
    // the busiest address if the pool is full.
    if (const auto it = addresses_.find(address);
        it != addresses_.end() && it->second.handshakes.size() >= limits_.max_handshakes_per_address) {
        const Address& own = it->second;
        admission.evicted = unspared_oldest(own, spare).value_or(own.handshakes.front());
        admission.why = Eviction::AddressHandshakesFull;
    } else if (handshakes_ >= limits_.max_handshakes) {
        admission.evicted = victim_in_busiest(spare);
        admission.why = Eviction::HandshakesFull;
    }
    if (admission.evicted) release(*admission.evicted);
    else admission.why = Eviction::None;

    entries_.insert_or_assign(raw(id), Entry{address, false});
    addresses_[address].handshakes.push_back(id);
    ++handshakes_;
    return admission;
}

ConnectionSlots::Verdict ConnectionSlots::check_welcome(SessionId id) const {
    const auto it = entries_.find(raw(id));
    if (it == entries_.end() || it->second.player) return Verdict::Admitted;
    if (players_ >= limits_.max_players) return Verdict::ServerFull;
    if (addresses_.at(it->second.address).players >= limits_.max_players_per_address) return Verdict::AddressFull;
    return Verdict::Admitted;
}

void ConnectionSlots::welcome(SessionId id) {
    const auto it = entries_.find(raw(id));
    if (it == entries_.end() || it->second.player) return;
    Address& address = addresses_.at(it->second.address);
    erase_handshake(address, id);
    --handshakes_;
    ++address.players;
    ++players_;
    it->second.player = true;
}

void ConnectionSlots::release(SessionId id) {
    const auto it = entries_.find(raw(id));
    if (it == entries_.end()) return;
    const std::string address = std::move(it->second.address);
    Address& slots = addresses_.at(address);
    if (it->second.player) {
        --slots.players;
        --players_;
    } else {
        erase_handshake(slots, id);
        --handshakes_;
    }
    entries_.erase(it);
    forget_if_empty(address);
}

std::size_t ConnectionSlots::handshakes_from(const std::string& address) const {
    const auto it = addresses_.find(address);
    return it == addresses_.end() ? 0 : it->second.handshakes.size();
}

// --- helpers ----------------------------------------------------------------------------

std::optional<SessionId> ConnectionSlots::unspared_oldest(const Address& address, const Spare& spare) const {
    for (const SessionId id : address.handshakes)
        if (!spare || !spare(id)) return id;
    return std::nullopt;
}

// The oldest handshake not about to say Hello from the busiest address that
// has one; if the busiest few have none, the oldest of the busiest.
std::optional<SessionId> ConnectionSlots::victim_in_busiest(const Spare& spare) const {
    std::vector<const Address*> tried;
    for (int i = 0; i < kMaxAddressesTried; ++i) {
        const Address* busiest = busiest_address(tried);
        if (!busiest) break;
        if (auto victim = unspared_oldest(*busiest, spare)) return victim;
        tried.push_back(busiest);
    }
    if (tried.empty()) return std::nullopt;
    return tried.front()->handshakes.front();
}

// The address with the most handshakes; among equals, the one holding the
// oldest. Linear in the addresses holding handshakes (at most max_handshakes).
const ConnectionSlots::Address* ConnectionSlots::busiest_address(const std::vector<const Address*>& except) const {
    const Address* best = nullptr;
    for (const auto& [key, slots] : addresses_) {
        if (slots.handshakes.empty() || std::find(except.begin(), except.end(), &slots) != except.end()) continue;
        if (!best || slots.handshakes.size() > best->handshakes.size() ||
            (slots.handshakes.size() == best->handshakes.size() &&
             raw(slots.handshakes.front()) < raw(best->handshakes.front())))
            best = &slots;
    }
    return best;
}

void ConnectionSlots::erase_handshake(Address& address, SessionId id) {
    const auto it = std::find(address.handshakes.begin(), address.handshakes.end(), id);
    if (it != address.handshakes.end()) address.handshakes.erase(it);
}

void ConnectionSlots::forget_if_empty(const std::string& address) {
    const auto it = addresses_.find(address);
    if (it != addresses_.end() && it->second.players == 0 && it->second.handshakes.empty()) addresses_.erase(it);
}

} // namespace skirmish::server
