// shared/net/enet_host.cpp
#include "shared/net/enet_host.hpp"

#include "shared/util/assert.hpp"

#include <enet/enet.h>
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <utility>

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

// The host whose ENet call runs on this thread: how the intercept callback,
// which gets only ENet's host, finds ours (datagram_mac.hpp says why).
thread_local EnetHost* t_current_host = nullptr;

constexpr auto kSweepInterval = std::chrono::milliseconds(250);
constexpr auto kUnusedKeyGrace = std::chrono::seconds(2);
// Silence is checked this often. A poll that comes after a longer gap than
// kStallAllowance (the owner was busy: a debugger, a starved machine) first
// drains what waited in the socket: the next check waits that long.
constexpr auto kSilenceCheckInterval = std::chrono::milliseconds(100);
constexpr auto kStallAllowance = std::chrono::milliseconds(500);
// ENet drops a peer once a resend's count n gives 1 << (n - 1) >= this limit
// (and the minimum time has passed); resends never reach 31 within a minute,
// so only the time counts (HostConfig::reliable_timeout_ms).
constexpr std::uint32_t kNoResendLimit = 1u << 30;

} // namespace

// Around every ENet call that can send or receive: this host's MAC keys and
// intercept are the ones ENet's callbacks reach (nests).
class EnetHost::Scope {
public:
    explicit Scope(EnetHost& host) : mac_(host.keys_), previous_(t_current_host) { t_current_host = &host; }
    ~Scope() { t_current_host = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

private:
    MacScope mac_;
    EnetHost* previous_;
};

int EnetHost::intercept_callback(ENetHost* host, ENetEvent*) {
    EnetHost* self = t_current_host;
    SKIRMISH_ASSERT(self != nullptr && self->host_ == host); // an ENet call outside a Scope
    const Ipv4Endpoint from{host->receivedAddress.host, host->receivedAddress.port};
    return self->intercept(std::span<std::uint8_t>(host->receivedData, host->receivedDataLength), from);
}

EnetHost::EnetHost(ENetHost* host, const HostConfig& config)
    : host_(host), config_(config), keys_(config.max_peers * 2 + 64) {}

EnetHost::~EnetHost() {
    const Scope scope(*this);
    if (held_packet_) enet_packet_destroy(held_packet_);
    if (host_) enet_host_destroy(host_);
}

util::TimePoint EnetHost::now() const { return config_.clock ? config_.clock->now() : steady_clock_.now(); }

void EnetHost::send_raw(Ipv4Endpoint to, std::span<const std::uint8_t> bytes) {
    ENetAddress address{};
    address.host = to.host;
    address.port = to.port;
    ENetBuffer buffer{};
    buffer.data = const_cast<std::uint8_t*>(bytes.data()); // ENet's buffer type is not const; it only reads
    buffer.dataLength = bytes.size();
    if (enet_socket_send(host_->socket, &address, &buffer, 1) > 0) {
        counters_.bytes_sent += bytes.size();
        ++counters_.packets_sent;
    }
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
    if (sodium_init() < 0) {
        enet_host_destroy(raw);
        return util::fail(std::string("libsodium failed to initialise (no system randomness?)"));
    }
    std::unique_ptr<EnetHost> host(new EnetHost(raw, config));
    raw->intercept = &EnetHost::intercept_callback;
    install_datagram_mac(raw);
    if (config.accept_connections) host->guard_.emplace(config.admission, config.protocol_version, host->now());
    host->admitted_.assign(config.max_peers, 0);
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
    host->last_heard_.assign(config.max_peers, util::TimePoint{});
    host->socket_buffer_bytes_ = raise_socket_buffer(raw->socket, config.socket_buffer_bytes);
    ENetAddress bound{};
    if (enet_socket_get_address(raw->socket, &bound) == 0) host->port_ = bound.port;
    return host;
}

util::Result<PeerHandle, std::string> EnetHost::connect(const std::string& host_name, std::uint16_t port) {
    if (guard_) return util::fail(std::string("a host that accepts connections does not make them"));
    for (std::size_t i = 0; i < host_->peerCount; ++i) {
        if (pending_ || host_->peers[i].state != ENET_PEER_STATE_DISCONNECTED)
            return util::fail(std::string("this host already has a connection"));
    }
    ENetAddress address{};
    address.port = port;
    if (enet_address_set_host(&address, host_name.c_str()) != 0)
        return util::fail(fmt::format("cannot resolve '{}': check the server address", host_name));
    // Every slot is free, so ENet will take the first one; the connect id is
    // drawn here (ENet's own is a counter anyone could guess).
    PendingConnect pending;
    do {
        randombytes_buf(&pending.handle.connect_id, sizeof pending.handle.connect_id);
    } while (pending.handle.connect_id == 0);
    pending.handle.slot = 0;
    pending.server = {address.host, address.port};
    randombytes_buf(pending.nonce.data(), pending.nonce.size());
    pending.next_hello = now();
    server_ = pending.server;
    pending_ = pending;
    const Scope scope(*this);
    progress_connect(now());
    return pending.handle;
}

void EnetHost::progress_connect(util::TimePoint now) {
    if (!pending_) return;
    if (!pending_->challenge) {
        if (now < pending_->next_hello) return;
        pending_->next_hello = now + config_.hello_interval;
        send_raw(pending_->server, encode_hello({config_.protocol_version, pending_->nonce}));
        return;
    }
    const PendingConnect pending = *std::exchange(pending_, std::nullopt);
    ENetAddress address{};
    address.host = pending.server.host;
    address.port = pending.server.port;
    host_->randomSeed = pending.handle.connect_id - 1; // enet_host_connect takes ++randomSeed
    ENetPeer* peer = enet_host_connect(host_, &address, kChannelCount, pending.challenge->cookie);
    if (!peer) return;
    SKIRMISH_ASSERT(handle_of(peer) == pending.handle);
    keys_.insert(pending.handle.connect_id, pending.challenge->key, pending.server, now);
    // Timeouts and throttle are set once the connection is up (poll(), Connected):
    // commands queued on a peer that is still connecting confuse the handshake.
    enet_peer_timeout(peer, kNoResendLimit, config_.reliable_timeout_ms, config_.reliable_timeout_ms);
    slot_connect_ids_[pending.handle.slot] = pending.handle.connect_id;
    enet_host_flush(host_);
}

void EnetHost::sweep_keys(util::TimePoint now) {
    if (now < next_sweep_) return;
    next_sweep_ = now + kSweepInterval;
    live_ids_.clear();
    for (std::size_t i = 0; i < host_->peerCount; ++i) {
        if (host_->peers[i].state != ENET_PEER_STATE_DISCONNECTED) live_ids_.push_back(host_->peers[i].connectID);
    }
    std::sort(live_ids_.begin(), live_ids_.end());
    keys_.sweep(live_ids_, now, kUnusedKeyGrace);
}

void EnetHost::configure_peer(ENetPeer* peer) {
    enet_peer_timeout(peer, kNoResendLimit, config_.reliable_timeout_ms, config_.reliable_timeout_ms);
    enet_peer_ping_interval(peer, config_.ping_interval_ms);
    // ENet's throttle drops unreliable packets when it thinks the link is
    // congested; on a game link it mostly reacted to timing jitter (~6 % of
    // snapshots lost at 64 peers). Pin it at "send everything".
    enet_peer_throttle_configure(peer, kPinnedThrottleInterval, kPinnedThrottleAcceleration,
                                 kPinnedThrottleDeceleration);
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
    const Scope scope(*this);
    if (held_packet_) {
        enet_packet_destroy(held_packet_);
        held_packet_ = nullptr;
    }
    out = Event{};
    if (!silent_.empty()) {
        out = silent_.back();
        silent_.pop_back();
        return true;
    }
    ENetEvent event;
    // enet_host_service walks every peer slot twice and reads up to 256
    // datagrams, queuing their events; check_events hands out what is already
    // queued. Draining the queue first keeps the walk to once per batch
    // instead of once per event (it was most of the server's CPU at 1,000 peers).
    const util::TimePoint t = now();
    if (t - last_poll_ > kStallAllowance) next_silence_check_ = std::max(next_silence_check_, t + kStallAllowance);
    last_poll_ = t;
    progress_connect(t);
    sweep_keys(t);
    const int got = enet_host_check_events(host_, &event);
    const int result = got > 0 ? got : enet_host_service(host_, &event, timeout_ms);
    if (pending_ && pending_->challenge) progress_connect(now()); // connect at once, not a poll later
    if (result <= 0) {
        // Everything that waited has been handed out: now silence means silence.
        drop_silent_peers(now());
        if (silent_.empty()) return false;
        out = silent_.back();
        silent_.pop_back();
        return true;
    }
    out.peer = handle_of(event.peer);
    out.data = event.data;
    switch (event.type) {
    case ENET_EVENT_TYPE_CONNECT:
        configure_peer(event.peer);
        out.type = EventType::Connected;
        slot_connect_ids_[out.peer.slot] = out.peer.connect_id;
        note_heard(out.peer.slot, t);
        break;
    case ENET_EVENT_TYPE_DISCONNECT:
        out.type = EventType::Disconnected;
        out.peer.connect_id = slot_connect_ids_[out.peer.slot];
        slot_connect_ids_[out.peer.slot] = 0;
        last_heard_[out.peer.slot] = util::TimePoint{};
        break;
    case ENET_EVENT_TYPE_RECEIVE:
        out.type = EventType::Received;
        note_heard(out.peer.slot, t);
        out.channel = event.channelID;
        held_packet_ = event.packet;
        out.bytes = {event.packet->data, event.packet->dataLength};
        break;
    case ENET_EVENT_TYPE_NONE: return false;
    }
    return true;
}

bool EnetHost::send(PeerHandle handle, std::uint8_t channel, std::span<const std::uint8_t> bytes) {
    const Scope scope(*this);
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

void EnetHost::flush() {
    const Scope scope(*this);
    enet_host_flush(host_);
}

void EnetHost::disconnect(PeerHandle handle, std::uint32_t reason) {
    const Scope scope(*this);
    if (pending_ && pending_->handle == handle) pending_.reset();
    if (ENetPeer* peer = find(handle)) enet_peer_disconnect(peer, reason);
}

void EnetHost::disconnect_later(PeerHandle handle, std::uint32_t reason) {
    const Scope scope(*this);
    if (pending_ && pending_->handle == handle) pending_.reset();
    if (ENetPeer* peer = find(handle)) enet_peer_disconnect_later(peer, reason);
}

void EnetHost::reset(PeerHandle handle) {
    const Scope scope(*this);
    if (pending_ && pending_->handle == handle) pending_.reset();
    if (ENetPeer* peer = find(handle)) {
        enet_peer_reset(peer);
        last_heard_[handle.slot] = util::TimePoint{};
    }
}

void EnetHost::note_heard(std::uint32_t slot, util::TimePoint now) {
    if (slot < last_heard_.size()) last_heard_[slot] = now;
}

// Every slot in use: a peer silent for longer than silence_timeout_ms (no
// event from it and no acknowledgement, ENet's lastReceiveTime) is reset, and
// if its owner knows it (a Connected event, or a connect() under way) a
// Disconnected event says so. A slot first seen in use (ENet took it for a
// CONNECT) starts its silence then.
void EnetHost::drop_silent_peers(util::TimePoint now) {
    if (now < next_silence_check_) return;
    next_silence_check_ = now + kSilenceCheckInterval;
    const auto limit = std::chrono::milliseconds(config_.silence_timeout_ms);
    for (std::uint32_t slot = 0; slot < host_->peerCount && slot < last_heard_.size(); ++slot) {
        ENetPeer& peer = host_->peers[slot];
        util::TimePoint& heard = last_heard_[slot];
        if (peer.state == ENET_PEER_STATE_DISCONNECTED || peer.state == ENET_PEER_STATE_ZOMBIE) {
            heard = util::TimePoint{};
            continue;
        }
        if (heard == util::TimePoint{}) heard = now;
        if (now - heard <= limit) continue;
        // ENet's times are 32-bit milliseconds; the difference wraps correctly.
        const std::uint32_t since_ack = host_->serviceTime - peer.lastReceiveTime;
        if (peer.lastReceiveTime != 0 && since_ack <= config_.silence_timeout_ms) continue;
        Event gone;
        gone.type = EventType::Disconnected;
        gone.peer = {slot, slot_connect_ids_[slot]};
        gone.silent = true;
        enet_peer_reset(&peer);
        heard = util::TimePoint{};
        slot_connect_ids_[slot] = 0;
        if (gone.peer.valid()) silent_.push_back(gone);
    }
}

void EnetHost::mark_admitted(PeerHandle handle) {
    if (find(handle)) admitted_[handle.slot] = handle.connect_id;
}

void EnetHost::ping(PeerHandle handle) {
    const Scope scope(*this);
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
        stats.connected = true;
    }
    return stats;
}

std::string EnetHost::peer_address(PeerHandle handle) const {
    const ENetPeer* peer = find(handle);
    return peer ? address_text(peer->address) : std::string();
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

AdmissionCounters EnetHost::admission_counters() const { return guard_ ? guard_->counters() : client_counters_; }

std::size_t EnetHost::connected_peers() const { return host_->connectedPeers; }

int EnetHost::socket_fd() const noexcept { return static_cast<int>(host_->socket); }

} // namespace skirmish::net
