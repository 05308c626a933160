// tests/support/enet_wire.hpp
//
// Raw ENet 1.3 datagrams built by hand from <enet/protocol.h>'s layout, the
// way an attacker or a client in another language would write them: header
// (peer id, session, sent time), commands, and the checksum field holding
// the MAC of docs/PROTOCOL.md ("Datagram authentication") or any forged value.
//
// IMPORTANT: test-only; builds bytes, never sends them.
#pragma once

#include "shared/net/challenge.hpp"
#include "shared/net/datagram_mac.hpp"

#include <enet/enet.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

namespace skirmish::test {

class EnetDatagram {
public:
    // peer_id 0xFFF: to no peer (a CONNECT). sent_time: the header's optional field.
    explicit EnetDatagram(std::uint16_t peer_id, std::uint8_t session = 0,
                          std::optional<std::uint16_t> sent_time = std::uint16_t{0}) {
        std::uint16_t field = static_cast<std::uint16_t>(peer_id | (session & 3) << ENET_PROTOCOL_HEADER_SESSION_SHIFT);
        if (sent_time) field |= ENET_PROTOCOL_HEADER_FLAG_SENT_TIME;
        put16(field);
        if (sent_time) put16(*sent_time);
        checksum_at_ = bytes_.size();
        bytes_.resize(bytes_.size() + 4);
    }

    struct Connect {
        std::uint16_t outgoing_peer_id = 0;
        std::uint8_t incoming_session = 0xFF, outgoing_session = 0xFF;
        std::uint32_t mtu = 1400, window_size = 65536, channel_count = 2;
        std::uint32_t incoming_bandwidth = 0, outgoing_bandwidth = 0;
        std::uint32_t throttle_interval = 5000, throttle_acceleration = 2, throttle_deceleration = 2;
        std::uint32_t connect_id = 0; // copied as is, like ENet
        std::uint32_t data = 0;       // the cookie
    };

    EnetDatagram& connect(std::uint16_t sequence, const Connect& c) {
        ENetProtocolConnect cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_CONNECT | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE, 0xFF, sequence);
        cmd.outgoingPeerID = ENET_HOST_TO_NET_16(c.outgoing_peer_id);
        cmd.incomingSessionID = c.incoming_session;
        cmd.outgoingSessionID = c.outgoing_session;
        cmd.mtu = ENET_HOST_TO_NET_32(c.mtu);
        cmd.windowSize = ENET_HOST_TO_NET_32(c.window_size);
        cmd.channelCount = ENET_HOST_TO_NET_32(c.channel_count);
        cmd.incomingBandwidth = ENET_HOST_TO_NET_32(c.incoming_bandwidth);
        cmd.outgoingBandwidth = ENET_HOST_TO_NET_32(c.outgoing_bandwidth);
        cmd.packetThrottleInterval = ENET_HOST_TO_NET_32(c.throttle_interval);
        cmd.packetThrottleAcceleration = ENET_HOST_TO_NET_32(c.throttle_acceleration);
        cmd.packetThrottleDeceleration = ENET_HOST_TO_NET_32(c.throttle_deceleration);
        cmd.connectID = c.connect_id;
        cmd.data = ENET_HOST_TO_NET_32(c.data);
        return put(cmd);
    }
    EnetDatagram& ack(std::uint8_t channel, std::uint16_t received_sequence, std::uint16_t received_sent_time) {
        ENetProtocolAcknowledge cmd{};
        cmd.header = header(ENET_PROTOCOL_COMMAND_ACKNOWLEDGE, channel, 0);
        cmd.receivedReliableSequenceNumber = ENET_HOST_TO_NET_16(received_sequence);
        cmd.receivedSentTime = ENET_HOST_TO_NET_16(received_sent_time);
        return put(cmd);
    }
    EnetDatagram& ping(std::uint16_t sequence) {
        ENetProtocolPing cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_PING | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE, 0xFF, sequence);
        return put(cmd);
    }
    EnetDatagram& disconnect(std::uint16_t sequence, std::uint32_t data, bool reliable = true) {
        ENetProtocolDisconnect cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_DISCONNECT | (reliable ? ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE : 0),
                            0xFF, sequence);
        cmd.data = ENET_HOST_TO_NET_32(data);
        return put(cmd);
    }
    EnetDatagram& send_reliable(std::uint8_t channel, std::uint16_t sequence, std::span<const std::uint8_t> data) {
        ENetProtocolSendReliable cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_SEND_RELIABLE | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE, channel,
                            sequence);
        cmd.dataLength = ENET_HOST_TO_NET_16(static_cast<std::uint16_t>(data.size()));
        return put(cmd).append(data);
    }
    EnetDatagram& send_unreliable(std::uint8_t channel, std::uint16_t reliable_sequence, std::uint16_t sequence,
                                  std::span<const std::uint8_t> data) {
        ENetProtocolSendUnreliable cmd{};
        cmd.header = header(ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE, channel, reliable_sequence);
        cmd.unreliableSequenceNumber = ENET_HOST_TO_NET_16(sequence);
        cmd.dataLength = ENET_HOST_TO_NET_16(static_cast<std::uint16_t>(data.size()));
        return put(cmd).append(data);
    }
    struct Fragment {
        std::uint16_t start_sequence = 1;
        std::uint32_t count = 2, number = 0, total_length = 1000, offset = 0;
    };
    EnetDatagram& send_fragment(std::uint8_t channel, std::uint16_t sequence, const Fragment& f,
                                std::span<const std::uint8_t> data) {
        ENetProtocolSendFragment cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_SEND_FRAGMENT | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE, channel,
                            sequence);
        cmd.startSequenceNumber = ENET_HOST_TO_NET_16(f.start_sequence);
        cmd.dataLength = ENET_HOST_TO_NET_16(static_cast<std::uint16_t>(data.size()));
        cmd.fragmentCount = ENET_HOST_TO_NET_32(f.count);
        cmd.fragmentNumber = ENET_HOST_TO_NET_32(f.number);
        cmd.totalLength = ENET_HOST_TO_NET_32(f.total_length);
        cmd.fragmentOffset = ENET_HOST_TO_NET_32(f.offset);
        return put(cmd).append(data);
    }
    EnetDatagram& bandwidth_limit(std::uint16_t sequence, std::uint32_t incoming, std::uint32_t outgoing) {
        ENetProtocolBandwidthLimit cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_BANDWIDTH_LIMIT | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE, 0xFF,
                            sequence);
        cmd.incomingBandwidth = ENET_HOST_TO_NET_32(incoming);
        cmd.outgoingBandwidth = ENET_HOST_TO_NET_32(outgoing);
        return put(cmd);
    }
    EnetDatagram& throttle_configure(std::uint16_t sequence, std::uint32_t interval, std::uint32_t acceleration,
                                     std::uint32_t deceleration) {
        ENetProtocolThrottleConfigure cmd{};
        cmd.header = header(+ENET_PROTOCOL_COMMAND_THROTTLE_CONFIGURE | ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE, 0xFF,
                            sequence);
        cmd.packetThrottleInterval = ENET_HOST_TO_NET_32(interval);
        cmd.packetThrottleAcceleration = ENET_HOST_TO_NET_32(acceleration);
        cmd.packetThrottleDeceleration = ENET_HOST_TO_NET_32(deceleration);
        return put(cmd);
    }

    // The datagram with its MAC: the field holds `connect_id` while the MAC
    // is computed under `key` (the zero key for connect id 0), then the MAC.
    std::vector<std::uint8_t> sealed(std::uint32_t connect_id, const net::SessionKey& key) const {
        std::vector<std::uint8_t> out = bytes_;
        std::memcpy(out.data() + checksum_at_, &connect_id, 4);
        const std::uint32_t mac = net::datagram_mac(key, out);
        std::memcpy(out.data() + checksum_at_, &mac, 4);
        return out;
    }
    // The datagram with whatever a forger puts in the checksum field.
    std::vector<std::uint8_t> forged(std::uint32_t checksum) const {
        std::vector<std::uint8_t> out = bytes_;
        std::memcpy(out.data() + checksum_at_, &checksum, 4);
        return out;
    }

private:
    static ENetProtocolCommandHeader header(int command, std::uint8_t channel, std::uint16_t sequence) {
        ENetProtocolCommandHeader h{};
        h.command = static_cast<enet_uint8>(command);
        h.channelID = channel;
        h.reliableSequenceNumber = ENET_HOST_TO_NET_16(sequence);
        return h;
    }
    template <typename T>
    EnetDatagram& put(const T& command) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(&command);
        bytes_.insert(bytes_.end(), p, p + sizeof command);
        return *this;
    }
    EnetDatagram& append(std::span<const std::uint8_t> data) {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
        return *this;
    }
    void put16(std::uint16_t v) {
        bytes_.push_back(static_cast<std::uint8_t>(v >> 8));
        bytes_.push_back(static_cast<std::uint8_t>(v));
    }

    std::vector<std::uint8_t> bytes_;
    std::size_t checksum_at_ = 0;
};

} // namespace skirmish::test
