// shared/net/enet_host.cpp
#include "shared/net/enet_host.hpp"

#include <enet/enet.h>
#include <fmt/format.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>

namespace skirmish::net {
namespace {

std::string address_text(const ENetAddress& a) {
    char ip[64] = {};
    if (enet_address_get_host_ip(&a, ip, sizeof ip) != 0) std::snprintf(ip, sizeof ip, "?");
    return fmt::format("{}:{}", ip, a.port);
}

// Raises the kernel buffer; SO_*BUFFORCE ignores net.core.rmem_max when we
// are allowed to (root), SO_*BUF is capped by it otherwise. Returns the size
// the kernel reports (which Linux doubles for bookkeeping).
int raise_socket_buffer(ENetSocket socket, int bytes) {
    for (int option : {SO_RCVBUFFORCE, SO_RCVBUF}) {
        if (setsockopt(socket, SOL_SOCKET, option, &bytes, sizeof bytes) == 0) break;
    }
    for (int option : {SO_SNDBUFFORCE, SO_SNDBUF}) {
        if (setsockopt(socket, SOL_SOCKET, option, &bytes, sizeof bytes) == 0) break;
    }
    int actual = 0;
    socklen_t len = sizeof actual;
    getsockopt(socket, SOL_SOCKET, SO_RCVBUF, &actual, &len);
    return actual;
}

} // namespace

EnetHost::EnetHost(ENetHost* host) : host_(host) {}

EnetHost::~EnetHost() {
    if (held_packet_) enet_packet_destroy(held_packet_);
    if (host_) enet_host_destroy(host_);
}

util::Result<std::unique_ptr<EnetHost>, std::string> EnetHost::create(const EnetLibrary&, const HostConfig& config) {
    if (config.max_peers == 0 || config.max_peers > ENET_PROTOCOL_MAXIMUM_PEER_ID)
        return util::fail(fmt::format("max peers {} is outside 1..{}", config.max_peers, +ENET_PROTOCOL_MAXIMUM_PEER_ID));
    ENetAddress address{};
    address.host = ENET_HOST_ANY;
    address.port = config.port;
    if (!config.bind_address.empty() && config.bind_address != "0.0.0.0" &&
        enet_address_set_host_ip(&address, config.bind_address.c_str()) != 0)
        return util::fail(fmt::format("'{}' is not an IPv4 address to bind to", config.bind_address));
    errno = 0;
    ENetHost* raw = enet_host_create(&address, config.max_peers, kChannelCount, 0, 0);
    if (!raw) {
        if (errno == EADDRINUSE)
            return util::fail(fmt::format("UDP port {} is already in use: is another skirmish-server running? "
                                          "Pick another with --port",
                                          config.port));
        return util::fail(fmt::format("cannot open a UDP socket on {}:{}: {}", config.bind_address, config.port,
                                      errno ? std::strerror(errno) : "ENet could not create the host"));
    }
    std::unique_ptr<EnetHost> host(new EnetHost(raw));
    host->config_ = config;
    raw->maximumPacketSize = config.max_packet_bytes;
    raw->maximumWaitingData = config.max_waiting_bytes;
    if (config.compression != Compression::None) {
        ENetCompressor compressor{};
        compressor.context = enet_range_coder_create();
        if (!compressor.context) return util::fail(std::string("ENet could not create its range coder"));
        if (config.compression == Compression::Send) compressor.compress = enet_range_coder_compress;
        else compressor.decompress = enet_range_coder_decompress;
        compressor.destroy = enet_range_coder_destroy;
        enet_host_compress(raw, &compressor);
    }
    host->slot_connect_ids_.assign(config.max_peers, 0);
    host->socket_buffer_bytes_ = raise_socket_buffer(raw->socket, config.socket_buffer_bytes);
    ENetAddress bound{};
    if (enet_socket_get_address(raw->socket, &bound) == 0) host->port_ = bound.port;
    return host;
}

util::Result<PeerHandle, std::string> EnetHost::connect(const std::string& host_name, std::uint16_t port,
                                                        std::uint32_t data) {
    ENetAddress address{};
    address.port = port;
    if (enet_address_set_host(&address, host_name.c_str()) != 0)
        return util::fail(fmt::format("cannot resolve '{}': check the server address", host_name));
    ENetPeer* peer = enet_host_connect(host_, &address, kChannelCount, data);
    if (!peer) return util::fail(std::string("no free ENet peer slot to connect with"));
    // Timeouts and throttle are set once the connection is up (poll(), Connected):
    // commands queued on a peer that is still connecting confuse the handshake.
    enet_peer_timeout(peer, config_.timeout_limit, config_.timeout_min_ms, config_.timeout_max_ms);
    const PeerHandle handle = handle_of(peer);
    slot_connect_ids_[handle.slot] = handle.connect_id;
    return handle;
}

void EnetHost::configure_peer(ENetPeer* peer) {
    enet_peer_timeout(peer, config_.timeout_limit, config_.timeout_min_ms, config_.timeout_max_ms);
    enet_peer_ping_interval(peer, config_.ping_interval_ms);
    // ENet's throttle drops unreliable packets when it thinks the link is
    // congested; on a game link it mostly reacted to timing jitter (~6 % of
    // snapshots lost at 64 peers). Pin it at "send everything".
    enet_peer_throttle_configure(peer, ENET_PEER_PACKET_THROTTLE_INTERVAL, 0, 0);
    peer->packetThrottle = ENET_PEER_PACKET_THROTTLE_SCALE;
}

PeerHandle EnetHost::handle_of(ENetPeer* peer) const {
    return {static_cast<std::uint32_t>(peer - host_->peers), peer->connectID};
}

ENetPeer* EnetHost::find(PeerHandle handle) const {
    if (!handle.valid() || handle.slot >= host_->peerCount) return nullptr;
    ENetPeer* peer = &host_->peers[handle.slot];
    if (peer->connectID != handle.connect_id || peer->state == ENET_PEER_STATE_DISCONNECTED) return nullptr;
    return peer;
}

bool EnetHost::poll(Event& out, std::uint32_t timeout_ms) {
    if (held_packet_) {
        enet_packet_destroy(held_packet_);
        held_packet_ = nullptr;
    }
    out = Event{};
    ENetEvent event;
    // enet_host_service walks every peer slot twice and reads up to 256
    // datagrams, queuing their events; check_events hands out what is already
    // queued. Draining the queue first keeps the walk to once per batch
    // instead of once per event (it was most of the server's CPU at 1,000 peers).
    const int got = enet_host_check_events(host_, &event);
    const int result = got > 0 ? got : enet_host_service(host_, &event, timeout_ms);
    if (result <= 0) return false;
    out.peer = handle_of(event.peer);
    out.data = event.data;
    switch (event.type) {
    case ENET_EVENT_TYPE_CONNECT:
        configure_peer(event.peer);
        out.type = EventType::Connected;
        slot_connect_ids_[out.peer.slot] = out.peer.connect_id;
        break;
    case ENET_EVENT_TYPE_DISCONNECT:
        out.type = EventType::Disconnected;
        out.peer.connect_id = slot_connect_ids_[out.peer.slot];
        slot_connect_ids_[out.peer.slot] = 0;
        break;
    case ENET_EVENT_TYPE_RECEIVE:
        out.type = EventType::Received;
        out.channel = event.channelID;
        held_packet_ = event.packet;
        out.bytes = {event.packet->data, event.packet->dataLength};
        break;
    case ENET_EVENT_TYPE_NONE: return false;
    }
    return true;
}

bool EnetHost::send(PeerHandle handle, std::uint8_t channel, std::span<const std::uint8_t> bytes) {
    ENetPeer* peer = find(handle);
    if (!peer || peer->state != ENET_PEER_STATE_CONNECTED) return false;
    const enet_uint32 flags = channel == kReliableChannel ? ENET_PACKET_FLAG_RELIABLE : 0;
    ENetPacket* packet = enet_packet_create(bytes.data(), bytes.size(), flags);
    if (!packet) return false;
    if (enet_peer_send(peer, channel, packet) != 0) {
        enet_packet_destroy(packet);
        return false;
    }
    return true;
}

void EnetHost::flush() { enet_host_flush(host_); }

void EnetHost::disconnect(PeerHandle handle, std::uint32_t reason) {
    if (ENetPeer* peer = find(handle)) enet_peer_disconnect(peer, reason);
}

void EnetHost::disconnect_later(PeerHandle handle, std::uint32_t reason) {
    if (ENetPeer* peer = find(handle)) enet_peer_disconnect_later(peer, reason);
}

void EnetHost::reset(PeerHandle handle) {
    if (ENetPeer* peer = find(handle)) enet_peer_reset(peer);
}

void EnetHost::ping(PeerHandle handle) {
    if (ENetPeer* peer = find(handle); peer && peer->state == ENET_PEER_STATE_CONNECTED) enet_peer_ping(peer);
}

bool EnetHost::connected(PeerHandle handle) const {
    const ENetPeer* peer = find(handle);
    return peer && peer->state == ENET_PEER_STATE_CONNECTED;
}

PeerStats EnetHost::peer_stats(PeerHandle handle) const {
    PeerStats stats;
    if (const ENetPeer* peer = find(handle)) {
        stats.rtt_ms = peer->roundTripTime;
        stats.rtt_variance_ms = peer->roundTripTimeVariance;
        stats.reliable_loss = static_cast<double>(peer->packetLoss) / static_cast<double>(+ENET_PEER_PACKET_LOSS_SCALE);
        stats.address = address_text(peer->address);
    }
    return stats;
}

HostCounters EnetHost::counters() {
    // ENet's counters are 32-bit and meant to be reset by the user.
    counters_.bytes_sent += host_->totalSentData;
    counters_.bytes_received += host_->totalReceivedData;
    counters_.packets_sent += host_->totalSentPackets;
    counters_.packets_received += host_->totalReceivedPackets;
    host_->totalSentData = host_->totalReceivedData = 0;
    host_->totalSentPackets = host_->totalReceivedPackets = 0;
    return counters_;
}

std::size_t EnetHost::connected_peers() const { return host_->connectedPeers; }

} // namespace skirmish::net
