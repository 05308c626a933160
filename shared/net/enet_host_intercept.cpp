// shared/net/enet_host_intercept.cpp
//
// EnetHost's intercept: ENet hands it every received datagram before parsing
// it (protocol.c, enet_protocol_receive_incoming_commands). Return 1: ENet
// ignores the datagram; 0: ENet goes on with it (after any in-place rewrite).
// The rules are docs/PROTOCOL.md's "Admission" and "Datagram rules".
//
//   accepting host:  Hello → Challenge (rate-limited) | CONNECT → cookie, connectID, pinned limits
//                    | peer datagram → channel, window and fragment rules, pinned limits (MAC checked first)
//   connecting host: only from its server; Challenge → connect; nothing to no peer
//
// IMPORTANT: runs inside ENet's service call, under this host's Scope; sends
// nothing but a Challenge, and that only to the Hello's source, never larger.
#include "shared/net/enet_host.hpp"

#include "shared/net/challenge.hpp"

#include <enet/enet.h>

namespace skirmish::net {

namespace {

constexpr int kDrop = 1;
constexpr int kPass = 0;

bool same_address(const ENetAddress& a, Ipv4Endpoint b) { return a.host == b.host && a.port == b.port; }

} // namespace

int EnetHost::intercept(std::span<std::uint8_t> datagram, Ipv4Endpoint from) {
    return guard_ ? intercept_as_server(datagram, from, now()) : intercept_as_client(datagram, from);
}

int EnetHost::drop(DatagramFault fault) {
    AdmissionCounters& c = guard_ ? guard_->counters() : client_counters_;
    ++c.dropped[static_cast<std::size_t>(fault)];
    return kDrop;
}

// --- the accepting side (the game port) ------------------------------------------

int EnetHost::intercept_as_server(std::span<std::uint8_t> datagram, Ipv4Endpoint from, util::TimePoint now) {
    if (is_admission_datagram(datagram)) {
        answer_admission(datagram, from, now);
        return kDrop;
    }
    ParsedDatagram parsed;
    if (const DatagramFault fault = parse_datagram(datagram, parsed); fault != DatagramFault::None) return drop(fault);
    if (parsed.header.peer_id == kNoPeerId) return admit_connect(parsed, datagram, from, now);
    if (parsed.header.peer_id >= host_->peerCount) return drop(DatagramFault::Malformed);
    const ENetPeer& peer = host_->peers[parsed.header.peer_id];
    // What ENet would ignore anyway: not a peer of this address (yet).
    if (peer.state == ENET_PEER_STATE_DISCONNECTED || peer.state == ENET_PEER_STATE_ZOMBIE ||
        !same_address(peer.address, from) || !peer.channels)
        return kDrop;
    PeerView view;
    view.admitted = peer.connectID != 0 && admitted_[parsed.header.peer_id] == peer.connectID;
    view.channel_count = static_cast<std::uint8_t>(std::min<std::size_t>(peer.channelCount, 2));
    for (std::size_t ch = 0; ch < view.channel_count; ++ch)
        view.incoming_reliable[ch] = peer.channels[ch].incomingReliableSequenceNumber;
    if (const DatagramFault fault = check_from_peer(parsed, datagram, view, config_.max_packet_bytes);
        fault != DatagramFault::None)
        return drop(fault);
    if (asks_other_limits(parsed, datagram) && !pin_with_mac(parsed, datagram, peer.connectID)) return kDrop;
    return kPass;
}

// A Hello gets a Challenge (smaller); a Query with its sender's cookie gets
// the handler's reply; anything else of the family gets nothing.
void EnetHost::answer_admission(std::span<const std::uint8_t> datagram, Ipv4Endpoint from, util::TimePoint now) {
    if (datagram.size() > kAdmissionTypeOffset && datagram[kAdmissionTypeOffset] == kQueryType) {
        const auto query = guard_->check_query(datagram, from, now);
        if (!query || !query_handler_) return;
        const std::vector<std::uint8_t> body = query_handler_(*query);
        if (body.empty()) return;
        const std::vector<std::uint8_t> reply = frame_query_reply(body);
        AdmissionCounters& c = guard_->counters();
        ++c.query_replies;
        c.query_reply_bytes += reply.size();
        send_raw(from, reply);
        return;
    }
    if (auto challenge = guard_->answer_hello(datagram, from, now)) send_raw(from, encode_challenge(*challenge));
}

int EnetHost::admit_connect(const ParsedDatagram& parsed, std::span<std::uint8_t> datagram, Ipv4Endpoint from,
                            util::TimePoint now) {
    if (const DatagramFault fault = check_connect(parsed, datagram); fault != DatagramFault::None) return drop(fault);
    AdmissionCounters& c = guard_->counters();
    const ConnectFields fields = read_connect(parsed, datagram);
    const auto key = guard_->check_cookie(fields.data, from, now);
    if (!key) {
        ++c.connects_bad_cookie;
        return kDrop;
    }
    // The CONNECT's MAC is under the zero key (its field holds 0); checked
    // before anything is kept for it.
    if (!pin_with_mac(parsed, datagram, 0)) return kDrop;
    if (!keys_.insert(fields.connect_id, *key, from, now)) {
        ++c.connects_refused;
        return kDrop;
    }
    ++c.connects;
    return kPass;
}

// Checks the datagram's MAC as ENet will (the field holding `connect_id`),
// and if the datagram asks for other bandwidth or throttle values, pins them
// and writes the MAC of the result. False: the MAC was wrong (dropped).
bool EnetHost::pin_with_mac(const ParsedDatagram& parsed, std::span<std::uint8_t> datagram, std::uint32_t connect_id) {
    AdmissionCounters& c = guard_->counters();
    const std::uint32_t sent = read_checksum(parsed.header, datagram);
    write_checksum(parsed.header, datagram, connect_id);
    if (keys_.mac_of(datagram) != sent) {
        ++c.bad_mac;
        return false;
    }
    if (asks_other_limits(parsed, datagram)) {
        pin_limits(parsed, datagram);
        ++c.limits_pinned;
    }
    write_checksum(parsed.header, datagram, keys_.mac_of(datagram));
    return true;
}

// --- the connecting side (a client) ------------------------------------------------

int EnetHost::intercept_as_client(std::span<std::uint8_t> datagram, Ipv4Endpoint from) {
    if (from != server_) {
        ++client_counters_.not_from_server;
        return kDrop;
    }
    if (is_admission_datagram(datagram)) {
        auto challenge = parse_challenge(datagram);
        if (pending_ && !pending_->challenge && challenge && challenge->nonce == pending_->nonce)
            pending_->challenge = *challenge;
        return kDrop;
    }
    // Nobody connects to a client: a datagram to no peer is dropped.
    if (datagram.size() < 2 || ((datagram[0] << 8 | datagram[1]) & kNoPeerId) == kNoPeerId)
        return drop(DatagramFault::NotAConnect);
    return kPass;
}

} // namespace skirmish::net
