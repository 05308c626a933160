// shared/net/enet_datagram.cpp
#include "shared/net/enet_datagram.hpp"

#include <enet/enet.h>

#include <cstddef>
#include <cstring>

namespace skirmish::net {

namespace {

static_assert(kNoPeerId == ENET_PROTOCOL_MAXIMUM_PEER_ID);
static_assert(kMaxCommandsPerDatagram == ENET_PROTOCOL_MAXIMUM_PACKET_COMMANDS);
static_assert(kPinnedThrottleInterval == ENET_PEER_PACKET_THROTTLE_INTERVAL);

// protocol.c's commandSizes: the fixed part of each command.
constexpr std::array<std::size_t, ENET_PROTOCOL_COMMAND_COUNT> kCommandSizes = {
    0,
    sizeof(ENetProtocolAcknowledge),
    sizeof(ENetProtocolConnect),
    sizeof(ENetProtocolVerifyConnect),
    sizeof(ENetProtocolDisconnect),
    sizeof(ENetProtocolPing),
    sizeof(ENetProtocolSendReliable),
    sizeof(ENetProtocolSendUnreliable),
    sizeof(ENetProtocolSendFragment),
    sizeof(ENetProtocolSendUnsequenced),
    sizeof(ENetProtocolBandwidthLimit),
    sizeof(ENetProtocolThrottleConfigure),
    sizeof(ENetProtocolSendFragment),
};

std::uint16_t be16(std::span<const std::uint8_t> d, std::size_t at) {
    return static_cast<std::uint16_t>(d[at] << 8 | d[at + 1]);
}

std::uint32_t be32(std::span<const std::uint8_t> d, std::size_t at) {
    return static_cast<std::uint32_t>(d[at]) << 24 | static_cast<std::uint32_t>(d[at + 1]) << 16 |
           static_cast<std::uint32_t>(d[at + 2]) << 8 | static_cast<std::uint32_t>(d[at + 3]);
}

void put_be32(std::span<std::uint8_t> d, std::size_t at, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) d[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// Where a command's payload length sits, if it has a payload.
std::size_t payload_length_offset(std::uint8_t number) {
    switch (number) {
    case ENET_PROTOCOL_COMMAND_SEND_RELIABLE: return offsetof(ENetProtocolSendReliable, dataLength);
    case ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE: return offsetof(ENetProtocolSendUnreliable, dataLength);
    case ENET_PROTOCOL_COMMAND_SEND_UNSEQUENCED: return offsetof(ENetProtocolSendUnsequenced, dataLength);
    case ENET_PROTOCOL_COMMAND_SEND_FRAGMENT:
    case ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE_FRAGMENT: return offsetof(ENetProtocolSendFragment, dataLength);
    default: return 0;
    }
}

// Distance from the channel's last delivered reliable sequence number, for
// numbers ahead of it (half the sequence space counts as ahead).
bool too_far_ahead(std::uint16_t sequence, std::uint16_t incoming) {
    const auto ahead = static_cast<std::uint16_t>(sequence - incoming);
    return ahead > kMaxReliableAhead && ahead <= 0x8000;
}

DatagramFault check_fragment(const EnetCommand& c, std::span<const std::uint8_t> d, std::size_t max_packet_bytes,
                             std::uint16_t incoming) {
    const std::size_t at = c.offset;
    const std::uint16_t start = be16(d, at + offsetof(ENetProtocolSendFragment, startSequenceNumber));
    const std::uint32_t length = be16(d, at + offsetof(ENetProtocolSendFragment, dataLength));
    const std::uint32_t count = be32(d, at + offsetof(ENetProtocolSendFragment, fragmentCount));
    const std::uint32_t number = be32(d, at + offsetof(ENetProtocolSendFragment, fragmentNumber));
    const std::uint32_t total = be32(d, at + offsetof(ENetProtocolSendFragment, totalLength));
    const std::uint32_t offset = be32(d, at + offsetof(ENetProtocolSendFragment, fragmentOffset));
    if (too_far_ahead(start, incoming)) return DatagramFault::OutOfWindow;
    if (total == 0 || total > max_packet_bytes) return DatagramFault::FragmentOutOfBounds;
    // ENet's senders cut fragments of MTU minus headers (at least ~500 bytes):
    // a packet of `total` bytes has at most this many.
    const std::uint32_t most = (total + kMinFragmentBytes - 1) / kMinFragmentBytes + 1;
    if (count == 0 || count > most || number >= count) return DatagramFault::FragmentOutOfBounds;
    if (offset >= total || length > total - offset) return DatagramFault::FragmentOutOfBounds;
    return DatagramFault::None;
}

} // namespace

std::string_view name(DatagramFault fault) noexcept {
    switch (fault) {
    case DatagramFault::None: return "none";
    case DatagramFault::Malformed: return "malformed";
    case DatagramFault::Compressed: return "compressed";
    case DatagramFault::NotAConnect: return "not a CONNECT";
    case DatagramFault::UnexpectedCommand: return "unexpected command";
    case DatagramFault::WrongChannel: return "wrong channel";
    case DatagramFault::OutOfWindow: return "out of window";
    case DatagramFault::FragmentBeforeToken: return "fragment before the token";
    case DatagramFault::FragmentOutOfBounds: return "fragment out of bounds";
    }
    return "unknown";
}

DatagramFault parse_datagram(std::span<const std::uint8_t> d, ParsedDatagram& out) noexcept {
    out = ParsedDatagram{};
    if (d.size() < 2) return DatagramFault::Malformed;
    const std::uint16_t field = be16(d, 0);
    DatagramHeader& h = out.header;
    h.peer_id = field & ENET_PROTOCOL_MAXIMUM_PEER_ID;
    h.session = static_cast<std::uint8_t>((field & ENET_PROTOCOL_HEADER_SESSION_MASK) >> ENET_PROTOCOL_HEADER_SESSION_SHIFT);
    h.compressed = (field & ENET_PROTOCOL_HEADER_FLAG_COMPRESSED) != 0;
    h.sent_time = (field & ENET_PROTOCOL_HEADER_FLAG_SENT_TIME) != 0;
    h.checksum_offset = h.sent_time ? sizeof(ENetProtocolHeader) : offsetof(ENetProtocolHeader, sentTime);
    h.size = h.checksum_offset + sizeof(enet_uint32);
    if (d.size() < h.size) return DatagramFault::Malformed;
    if (h.compressed) return DatagramFault::Compressed;
    std::size_t at = h.size;
    while (at < d.size()) {
        if (d.size() - at < sizeof(ENetProtocolCommandHeader)) return DatagramFault::Malformed;
        const std::uint8_t number = d[at] & ENET_PROTOCOL_COMMAND_MASK;
        if (number == 0 || number >= ENET_PROTOCOL_COMMAND_COUNT) return DatagramFault::Malformed;
        std::size_t size = kCommandSizes[number];
        if (d.size() - at < size) return DatagramFault::Malformed;
        if (const std::size_t length_at = payload_length_offset(number)) size += be16(d, at + length_at);
        if (d.size() - at < size) return DatagramFault::Malformed;
        if (out.command_count == kMaxCommandsPerDatagram) return DatagramFault::Malformed;
        EnetCommand& c = out.commands[out.command_count++];
        c.number = number;
        c.acknowledge = (d[at] & ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE) != 0;
        c.channel = d[at + 1];
        c.reliable_sequence = be16(d, at + 2);
        c.offset = at;
        c.size = size;
        at += size;
    }
    return DatagramFault::None;
}

DatagramFault check_connect(const ParsedDatagram& p, std::span<const std::uint8_t> d) noexcept {
    if (p.header.peer_id != kNoPeerId || p.command_count != 1) return DatagramFault::NotAConnect;
    const EnetCommand& c = p.commands[0];
    if (c.number != ENET_PROTOCOL_COMMAND_CONNECT || c.offset + c.size != d.size()) return DatagramFault::NotAConnect;
    return DatagramFault::None;
}

DatagramFault check_from_peer(const ParsedDatagram& p, std::span<const std::uint8_t> d, const PeerView& peer,
                              std::size_t max_packet_bytes) noexcept {
    for (std::size_t i = 0; i < p.command_count; ++i) {
        const EnetCommand& c = p.commands[i];
        switch (c.number) {
        case ENET_PROTOCOL_COMMAND_ACKNOWLEDGE:
        case ENET_PROTOCOL_COMMAND_DISCONNECT:
        case ENET_PROTOCOL_COMMAND_PING:
        case ENET_PROTOCOL_COMMAND_BANDWIDTH_LIMIT:
        case ENET_PROTOCOL_COMMAND_THROTTLE_CONFIGURE: break;
        case ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE:
            if (c.channel >= peer.channel_count) return DatagramFault::WrongChannel;
            // Inputs: channel 0, where nothing is ever sent reliably, so the
            // reliable sequence number is the channel's current one.
            if (c.channel != 0) return DatagramFault::WrongChannel;
            if (c.reliable_sequence != peer.incoming_reliable[0]) return DatagramFault::OutOfWindow;
            break;
        case ENET_PROTOCOL_COMMAND_SEND_RELIABLE:
            if (c.channel != 1 || c.channel >= peer.channel_count) return DatagramFault::WrongChannel;
            if (too_far_ahead(c.reliable_sequence, peer.incoming_reliable[1])) return DatagramFault::OutOfWindow;
            break;
        case ENET_PROTOCOL_COMMAND_SEND_FRAGMENT: {
            if (c.channel != 1 || c.channel >= peer.channel_count) return DatagramFault::WrongChannel;
            if (!peer.admitted) return DatagramFault::FragmentBeforeToken;
            if (too_far_ahead(c.reliable_sequence, peer.incoming_reliable[1])) return DatagramFault::OutOfWindow;
            if (auto fault = check_fragment(c, d, max_packet_bytes, peer.incoming_reliable[1]);
                fault != DatagramFault::None)
                return fault;
            break;
        }
        case ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE_FRAGMENT:
            // An input is at most 512 bytes: never fragmented.
            return peer.admitted ? DatagramFault::UnexpectedCommand : DatagramFault::FragmentBeforeToken;
        default: return DatagramFault::UnexpectedCommand; // CONNECT, VERIFY_CONNECT, SEND_UNSEQUENCED
        }
    }
    return DatagramFault::None;
}

ConnectFields read_connect(const ParsedDatagram& p, std::span<const std::uint8_t> d) noexcept {
    ConnectFields f;
    if (p.command_count == 0 || p.commands[0].number != ENET_PROTOCOL_COMMAND_CONNECT) return f;
    const std::size_t at = p.commands[0].offset;
    std::memcpy(&f.connect_id, d.data() + at + offsetof(ENetProtocolConnect, connectID), sizeof f.connect_id);
    f.data = be32(d, at + offsetof(ENetProtocolConnect, data));
    return f;
}

namespace {

// The (offset, pinned value) pairs of one command's bandwidth and throttle fields.
struct PinnedField {
    std::size_t offset;
    std::uint32_t value;
};

std::size_t pinned_fields(std::uint8_t number, std::array<PinnedField, 3>& out) {
    switch (number) {
    case ENET_PROTOCOL_COMMAND_CONNECT:
        // Bandwidth only: VERIFY_CONNECT echoes the throttle fields and the
        // client refuses the connection if they differ. The server pins its
        // peer's throttle itself once the connection is up.
        out[0] = {offsetof(ENetProtocolConnect, incomingBandwidth), 0};
        out[1] = {offsetof(ENetProtocolConnect, outgoingBandwidth), 0};
        return 2;
    case ENET_PROTOCOL_COMMAND_BANDWIDTH_LIMIT:
        out[0] = {offsetof(ENetProtocolBandwidthLimit, incomingBandwidth), 0};
        out[1] = {offsetof(ENetProtocolBandwidthLimit, outgoingBandwidth), 0};
        return 2;
    case ENET_PROTOCOL_COMMAND_THROTTLE_CONFIGURE:
        out[0] = {offsetof(ENetProtocolThrottleConfigure, packetThrottleInterval), kPinnedThrottleInterval};
        out[1] = {offsetof(ENetProtocolThrottleConfigure, packetThrottleAcceleration), kPinnedThrottleAcceleration};
        out[2] = {offsetof(ENetProtocolThrottleConfigure, packetThrottleDeceleration), kPinnedThrottleDeceleration};
        return 3;
    default: return 0;
    }
}

} // namespace

bool asks_other_limits(const ParsedDatagram& p, std::span<const std::uint8_t> d) noexcept {
    std::array<PinnedField, 3> fields{};
    for (std::size_t i = 0; i < p.command_count; ++i) {
        const std::size_t n = pinned_fields(p.commands[i].number, fields);
        for (std::size_t f = 0; f < n; ++f) {
            if (be32(d, p.commands[i].offset + fields[f].offset) != fields[f].value) return true;
        }
    }
    return false;
}

void pin_limits(const ParsedDatagram& p, std::span<std::uint8_t> d) noexcept {
    std::array<PinnedField, 3> fields{};
    for (std::size_t i = 0; i < p.command_count; ++i) {
        const std::size_t n = pinned_fields(p.commands[i].number, fields);
        for (std::size_t f = 0; f < n; ++f) put_be32(d, p.commands[i].offset + fields[f].offset, fields[f].value);
    }
}

std::uint32_t read_checksum(const DatagramHeader& h, std::span<const std::uint8_t> d) noexcept {
    std::uint32_t value = 0;
    if (d.size() >= h.checksum_offset + sizeof value) std::memcpy(&value, d.data() + h.checksum_offset, sizeof value);
    return value;
}

void write_checksum(const DatagramHeader& h, std::span<std::uint8_t> d, std::uint32_t value) noexcept {
    if (d.size() >= h.checksum_offset + sizeof value) std::memcpy(d.data() + h.checksum_offset, &value, sizeof value);
}

} // namespace skirmish::net
