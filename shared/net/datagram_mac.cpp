// shared/net/datagram_mac.cpp
#include "shared/net/datagram_mac.hpp"

#include "shared/util/assert.hpp"

#include <enet/enet.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace skirmish::net {

namespace {

static_assert(kSessionKeyBytes == crypto_shorthash_KEYBYTES);

// The host whose ENet call is running on this thread (see the header).
thread_local const SessionKeys* t_current_keys = nullptr;

constexpr SessionKey kZeroKey{};

// Where the checksum field sits: after the 2-byte peer id and, when the
// sent-time flag is set, the 2-byte sent time.
std::size_t checksum_offset(std::span<const std::uint8_t> datagram) {
    const bool sent_time = (datagram[0] & 0x80) != 0; // ENET_PROTOCOL_HEADER_FLAG_SENT_TIME, high byte
    return sent_time ? sizeof(ENetProtocolHeader) : offsetof(ENetProtocolHeader, sentTime);
}

enet_uint32 ENET_CALLBACK checksum_callback(const ENetBuffer* buffers, size_t count) {
    const SessionKeys* keys = t_current_keys;
    SKIRMISH_ASSERT(keys != nullptr); // an ENet call outside a MacScope
    // ENet's datagrams are at most ENET_PROTOCOL_MAXIMUM_MTU bytes either way.
    std::array<std::uint8_t, ENET_PROTOCOL_MAXIMUM_MTU> copy;
    std::size_t size = 0;
    for (size_t i = 0; i < count; ++i) {
        if (buffers[i].dataLength > copy.size() - size) return keys->mac_of({});
        std::memcpy(copy.data() + size, buffers[i].data, buffers[i].dataLength);
        size += buffers[i].dataLength;
    }
    return keys->mac_of(std::span<const std::uint8_t>(copy.data(), size));
}

} // namespace

std::uint32_t datagram_mac(const SessionKey& key, std::span<const std::uint8_t> datagram) noexcept {
    std::array<std::uint8_t, crypto_shorthash_BYTES> hash{};
    crypto_shorthash(hash.data(), datagram.data(), datagram.size(), key.data());
    std::uint32_t mac = 0;
    std::memcpy(&mac, hash.data(), sizeof mac); // the field holds the hash's first 4 bytes
    return mac;
}

SessionKeys::SessionKeys(std::size_t capacity) : capacity_(capacity) {
    randombytes_buf(unknown_key_.data(), unknown_key_.size());
    entries_.reserve(capacity);
}

bool SessionKeys::insert(std::uint32_t connect_id, const SessionKey& key, Ipv4Endpoint address, util::TimePoint now) {
    if (connect_id == 0) return false;
    if (auto it = entries_.find(connect_id); it != entries_.end()) {
        if (it->second.address != address) return false;
        it->second.key = key;
        return true;
    }
    if (entries_.size() >= capacity_) return false;
    entries_.emplace(connect_id, Entry{key, address, now});
    return true;
}

void SessionKeys::erase(std::uint32_t connect_id) { entries_.erase(connect_id); }

void SessionKeys::sweep(const std::vector<std::uint32_t>& live, util::TimePoint now, util::Duration grace) {
    std::erase_if(entries_, [&](const auto& item) {
        return now - item.second.added > grace && !std::binary_search(live.begin(), live.end(), item.first);
    });
}

const SessionKey* SessionKeys::find(std::uint32_t connect_id) const {
    if (connect_id == 0) return &kZeroKey;
    auto it = entries_.find(connect_id);
    return it == entries_.end() ? nullptr : &it->second.key;
}

std::uint32_t SessionKeys::mac_of(std::span<const std::uint8_t> datagram) const noexcept {
    if (datagram.size() < 2) return datagram_mac(unknown_key_, datagram);
    const std::size_t at = checksum_offset(datagram);
    std::uint32_t connect_id = 0;
    if (datagram.size() < at + sizeof connect_id) return datagram_mac(unknown_key_, datagram);
    std::memcpy(&connect_id, datagram.data() + at, sizeof connect_id);
    const SessionKey* key = find(connect_id);
    return datagram_mac(key ? *key : unknown_key_, datagram);
}

MacScope::MacScope(const SessionKeys& keys) noexcept : previous_(t_current_keys) { t_current_keys = &keys; }

MacScope::~MacScope() { t_current_keys = previous_; }

void install_datagram_mac(ENetHost* host) noexcept { host->checksum = checksum_callback; }

} // namespace skirmish::net
