// server/discovery/discovery_responder.cpp
#include "server/discovery/discovery_responder.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <poll.h>
#include <sodium.h>

#include <fmt/format.h>

#include <array>
#include <set>

namespace skirmish::server {

namespace {

namespace pd = protocol::discovery;

constexpr int kPollTimeoutMs = 100;          // how soon stop() is noticed
constexpr int kMaxDatagramsPerWake = 64;     // per socket, then the other socket's turn
constexpr std::size_t kReceiveBytes = pd::kMaxProbeBytes + 1; // one more: a larger probe shows as too long

std::uint64_t random_u64() {
    std::uint64_t v = 0;
    randombytes_buf(&v, sizeof v);
    return v;
}

void reuse_address(const net::Fd& fd) {
    const int on = 1;
    // Several servers on one host share the discovery port: each gets every
    // broadcast and multicast probe.
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
}

// Joins ff02::736b on every interface that is up, has IPv6 and does multicast.
std::size_t join_groups(const net::Fd& fd) {
    in6_addr group{};
    if (::inet_pton(AF_INET6, std::string(kDiscoveryGroupV6).c_str(), &group) != 1) return 0;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return 0;
    std::set<unsigned> indexes;
    for (const ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET6) continue;
        if (!(a->ifa_flags & IFF_UP) || !(a->ifa_flags & IFF_MULTICAST)) continue;
        if (const unsigned index = ::if_nametoindex(a->ifa_name); index != 0) indexes.insert(index);
    }
    ::freeifaddrs(list);
    std::size_t joined = 0;
    for (const unsigned index : indexes) {
        ipv6_mreq request{};
        request.ipv6mr_multiaddr = group;
        request.ipv6mr_interface = index;
        if (::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_JOIN_GROUP, &request, sizeof request) == 0) ++joined;
    }
    return joined;
}

} // namespace

// --- the decision -----------------------------------------------------------------

ProbeAnswerer::ProbeAnswerer(const DiscoveryConfig& config, std::uint64_t instance)
    : per_address_(std::max<std::size_t>(1, config.address_buckets),
                   util::RateLimiter(config.per_address_burst, config.per_address_per_second)),
      total_(config.total_burst, config.total_per_second),
      instance_(instance),
      salt_(random_u64()) {}

std::vector<std::uint8_t> ProbeAnswerer::answer(std::span<const std::uint8_t> datagram, const net::Endpoint& from,
                                                const InfoSource& info, util::TimePoint now) {
    ++counters_.probes;
    counters_.probe_bytes += datagram.size();
    const auto probe = pd::decode_probe(datagram);
    if (!probe || net::port_of(from) == 0) {
        ++counters_.malformed;
        return {};
    }
    const net::AddressKey key = net::key_of(from);
    std::array<std::uint8_t, 17> bytes{};
    std::copy(key.address.begin(), key.address.end(), bytes.begin());
    bytes[16] = key.family;
    std::uint64_t hash = 0;
    std::array<std::uint8_t, crypto_shorthash_KEYBYTES> salt{};
    std::memcpy(salt.data(), &salt_, sizeof salt_);
    crypto_shorthash(reinterpret_cast<std::uint8_t*>(&hash), bytes.data(), bytes.size(), salt.data());
    if (!per_address_[hash % per_address_.size()].allow(now) || !total_.allow(now)) {
        ++counters_.rate_limited;
        return {};
    }
    pd::Answer answer;
    answer.nonce = probe->nonce;
    answer.info = info();
    answer.instance = instance_;
    std::vector<std::uint8_t> out = pd::encode_answer(answer, datagram.size());
    if (out.empty() || out.size() > datagram.size()) return {};
    ++counters_.answers;
    counters_.answer_bytes += out.size();
    return out;
}

// --- the sockets ------------------------------------------------------------------

DiscoveryResponder::DiscoveryResponder(const DiscoveryConfig& config, InfoSource info, util::Logger log)
    : answerer_(config, random_u64()), info_(std::move(info)), log_(std::move(log)) {}

DiscoveryResponder::~DiscoveryResponder() { stop(); }

util::Result<std::unique_ptr<DiscoveryResponder>, std::string> DiscoveryResponder::start(const DiscoveryConfig& config,
                                                                                         InfoSource info,
                                                                                         util::Logger log) {
    std::unique_ptr<DiscoveryResponder> r(new DiscoveryResponder(config, std::move(info), std::move(log)));
    auto v4 = net::open_udp(AF_INET, 0);
    if (!v4) return util::fail(fmt::format("LAN discovery: cannot open a UDP socket: {}", net::errno_text(v4.error())));
    reuse_address(*v4);
    net::Endpoint any4;
    auto* sin = reinterpret_cast<sockaddr_in*>(&any4.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(config.port);
    sin->sin_addr.s_addr = htonl(INADDR_ANY);
    any4.length = sizeof(sockaddr_in);
    if (auto bound = net::bind_udp(*v4, any4); !bound)
        return util::fail("LAN discovery: " + net::explain_bind_failure(bound.error(), config.port, "0.0.0.0",
                                                                        "--discovery-port (or --discovery off)"));
    r->port_ = net::port_of(any4);
    r->v4_ = std::move(v4).value();

    // IPv6 on the same number, where the host has it; without it, IPv4 only.
    if (auto v6 = net::open_udp(AF_INET6, 0)) {
        reuse_address(*v6);
        const int on = 1;
        ::setsockopt(v6->get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
        net::Endpoint any6;
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&any6.storage);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(r->port_);
        sin6->sin6_addr = in6addr_any;
        any6.length = sizeof(sockaddr_in6);
        if (auto bound = net::bind_udp(*v6, any6)) {
            r->groups_joined_ = join_groups(*v6);
            r->v6_ = std::move(v6).value();
        } else {
            r->log_.warn("LAN discovery answers IPv4 only: cannot bind UDP port {} on [::]: {}", r->port_,
                         net::errno_text(bound.error()));
        }
    }
    r->log_.info("LAN discovery on UDP port {} (IPv4 broadcast{})", r->port_,
                 r->v6_ ? fmt::format(", IPv6 {} on {} interface(s)", kDiscoveryGroupV6, r->groups_joined_)
                        : std::string());
    DiscoveryResponder* self = r.get();
    r->thread_ = std::thread([self] { self->run(); });
    return r;
}

void DiscoveryResponder::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

DiscoveryCounters DiscoveryResponder::counters() const {
    std::lock_guard lock(counters_mutex_);
    return published_;
}

void DiscoveryResponder::run() {
    while (!stop_.load()) {
        std::array<pollfd, 2> fds{};
        nfds_t count = 0;
        fds[count++] = {v4_.get(), POLLIN, 0};
        if (v6_) fds[count++] = {v6_.get(), POLLIN, 0};
        const int ready = ::poll(fds.data(), count, kPollTimeoutMs);
        if (ready <= 0) continue;
        if (fds[0].revents & POLLIN) drain(v4_);
        if (count > 1 && (fds[1].revents & POLLIN)) drain(v6_);
        std::lock_guard lock(counters_mutex_);
        published_ = answerer_.counters();
    }
}

void DiscoveryResponder::drain(const net::Fd& socket) {
    std::array<std::uint8_t, kReceiveBytes> buffer{};
    for (int i = 0; i < kMaxDatagramsPerWake; ++i) {
        net::Endpoint from;
        auto received = net::receive_datagram(socket, buffer, &from);
        if (!received) return; // nothing more waiting (or an error the next poll shows again)
        const std::size_t size = std::min(*received, buffer.size());
        const auto reply = answerer_.answer(std::span(buffer.data(), size), from, info_, clock_.now());
        if (!reply.empty()) (void)net::send_datagram(socket, reply, &from);
    }
}

} // namespace skirmish::server
