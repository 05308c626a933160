// client/core/lan_discovery.cpp
#include "client/core/lan_discovery.hpp"

#include "shared/protocol/version.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sodium.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <array>
#include <cstring>
#include <set>

namespace skirmish::client {

namespace {

namespace pd = protocol::discovery;

constexpr const char* kGroupV6 = "ff02::736b";
constexpr int kMaxDatagramsPerReceive = 256;

net::Endpoint v4_endpoint(in_addr address, std::uint16_t port) {
    net::Endpoint e;
    auto* sin = reinterpret_cast<sockaddr_in*>(&e.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr = address;
    e.length = sizeof(sockaddr_in);
    return e;
}

net::Endpoint group_endpoint(unsigned interface, std::uint16_t port) {
    net::Endpoint e;
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&e.storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    ::inet_pton(AF_INET6, kGroupV6, &sin6->sin6_addr);
    sin6->sin6_scope_id = interface;
    e.length = sizeof(sockaddr_in6);
    return e;
}

// The address to connect to from an answer's source: the IP without the port.
std::string host_of(const net::Endpoint& from) {
    std::array<char, INET6_ADDRSTRLEN + IF_NAMESIZE + 2> text{};
    if (from.family() == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(&from.storage);
        ::inet_ntop(AF_INET, &sin->sin_addr, text.data(), text.size());
        return text.data();
    }
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&from.storage);
    ::inet_ntop(AF_INET6, &sin6->sin6_addr, text.data(), text.size());
    std::string host = text.data();
    std::array<char, IF_NAMESIZE> name{};
    if (sin6->sin6_scope_id != 0 && ::if_indextoname(sin6->sin6_scope_id, name.data())) host += "%" + std::string(name.data());
    return host;
}

} // namespace

bool LanServer::compatible() const { return info.protocol_version == protocol::kProtocolVersion; }

std::vector<net::Endpoint> lan_probe_targets(std::uint16_t port, LanTargets which) {
    std::vector<net::Endpoint> out;
    std::set<std::uint32_t> broadcasts;
    std::set<unsigned> interfaces;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) == 0) {
        for (const ifaddrs* a = list; a; a = a->ifa_next) {
            if (!a->ifa_addr || !(a->ifa_flags & IFF_UP)) continue;
            if (which.ipv4 && a->ifa_addr->sa_family == AF_INET && (a->ifa_flags & IFF_BROADCAST) && a->ifa_broadaddr)
                broadcasts.insert(reinterpret_cast<const sockaddr_in*>(a->ifa_broadaddr)->sin_addr.s_addr);
            if (which.ipv6 && a->ifa_addr->sa_family == AF_INET6 && (a->ifa_flags & IFF_MULTICAST))
                if (const unsigned index = ::if_nametoindex(a->ifa_name); index != 0) interfaces.insert(index);
        }
        ::freeifaddrs(list);
    }
    if (which.ipv4) {
        in_addr loopback{};
        ::inet_pton(AF_INET, "127.255.255.255", &loopback);
        broadcasts.insert(loopback.s_addr);
        for (const std::uint32_t b : broadcasts) out.push_back(v4_endpoint(in_addr{b}, port));
    }
    for (const unsigned index : interfaces) out.push_back(group_endpoint(index, port));
    return out;
}

util::Result<net::Endpoint, std::string> lan_probe_target(const std::string& address, std::uint16_t port) {
    in_addr v4{};
    if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) return v4_endpoint(v4, port);
    const auto percent = address.find('%');
    in6_addr v6{};
    if (::inet_pton(AF_INET6, address.substr(0, percent).c_str(), &v6) == 1) {
        net::Endpoint e = group_endpoint(0, port);
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&e.storage);
        sin6->sin6_addr = v6;
        if (percent != std::string::npos) {
            const std::string name = address.substr(percent + 1);
            sin6->sin6_scope_id = ::if_nametoindex(name.c_str());
            if (sin6->sin6_scope_id == 0)
                return util::fail(fmt::format("'{}': there is no interface '{}' on this machine", address, name));
        }
        return e;
    }
    return util::fail(fmt::format("'{}' is not an IPv4 or IPv6 address (e.g. 192.168.1.255 or ff02::736b%eth0)", address));
}

util::Result<std::vector<net::Endpoint>, std::string> default_lan_targets(std::uint16_t port, LanTargets which) {
    const char* listed = std::getenv("SKIRMISH_LAN_ADDRESS");
    if (!listed || !*listed) return lan_probe_targets(port, which);
    std::vector<net::Endpoint> out;
    const std::string text = listed;
    std::size_t at = 0;
    for (int i = 0; i < 64 && at <= text.size(); ++i) {
        const std::size_t end = std::min(text.find(',', at), text.size());
        const std::string address = text.substr(at, end - at);
        at = end + 1;
        if (address.empty()) continue;
        auto target = lan_probe_target(address, port);
        if (!target) return util::fail("SKIRMISH_LAN_ADDRESS: " + target.error());
        if ((target->family() == AF_INET && which.ipv4) || (target->family() == AF_INET6 && which.ipv6))
            out.push_back(*target);
    }
    return out;
}

util::Result<LanDiscovery, std::string> LanDiscovery::open() {
    LanDiscovery d;
    auto v4 = net::open_udp(AF_INET, 0);
    if (!v4) return util::fail(fmt::format("cannot open a UDP socket for LAN discovery: {}", net::errno_text(v4.error())));
    const int on = 1;
    ::setsockopt(v4->get(), SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
    d.v4_ = std::move(v4).value();
    if (auto v6 = net::open_udp(AF_INET6, 0)) {
        const int hops = 1; // link-local: never routed anyway
        ::setsockopt(v6->get(), IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
        ::setsockopt(v6->get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
        d.v6_ = std::move(v6).value();
    }
    return d;
}

std::size_t LanDiscovery::probe(std::span<const net::Endpoint> targets, util::TimePoint now) {
    randombytes_buf(&nonce_, sizeof nonce_);
    servers_.clear();
    probed_at_ = now;
    const auto bytes = pd::encode_probe({protocol::kProtocolVersion, nonce_});
    std::size_t sent = 0;
    for (const net::Endpoint& target : targets) {
        const net::Fd& socket = target.family() == AF_INET6 ? v6_ : v4_;
        if (!socket) continue;
        if (target.family() == AF_INET6) {
            const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&target.storage);
            const unsigned index = sin6->sin6_scope_id;
            ::setsockopt(socket.get(), IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof index);
        }
        if (net::send_datagram(socket, bytes, &target)) {
            ++sent;
            ++counters_.probes_sent;
            counters_.probe_bytes += bytes.size();
        }
    }
    return sent;
}

void LanDiscovery::receive(util::TimePoint now) {
    std::array<std::uint8_t, pd::kMaxProbeBytes + 1> buffer{};
    for (const net::Fd* socket : {&v4_, &v6_}) {
        if (!*socket) continue;
        for (int i = 0; i < kMaxDatagramsPerReceive; ++i) {
            net::Endpoint from;
            auto received = net::receive_datagram(*socket, buffer, &from);
            if (!received) break;
            take(std::span(buffer.data(), std::min(*received, buffer.size())), from, now);
        }
    }
}

void LanDiscovery::take(std::span<const std::uint8_t> datagram, const net::Endpoint& from, util::TimePoint now) {
    auto answer = pd::decode_answer(datagram);
    if (!answer || !probed_at_ || answer->nonce != nonce_) {
        ++counters_.dropped;
        return;
    }
    LanServer server;
    server.host = answer->info.address.empty() ? host_of(from) : answer->info.address;
    server.from = net::to_string(from);
    server.ping_ms = std::max(0.0, util::to_ms(now - *probed_at_));
    server.instance = answer->instance;
    server.info = std::move(answer->info);
    const auto same = std::find_if(servers_.begin(), servers_.end(),
                                   [&](const LanServer& s) { return s.instance == server.instance; });
    if (same != servers_.end()) {
        ++counters_.answers; // heard again (another interface or family): the first answer stands
        return;
    }
    if (servers_.size() >= kMaxLanServers) {
        ++counters_.dropped;
        return;
    }
    ++counters_.answers;
    servers_.push_back(std::move(server));
}

std::vector<int> LanDiscovery::fds() const {
    std::vector<int> out;
    if (v4_) out.push_back(v4_.get());
    if (v6_) out.push_back(v6_.get());
    return out;
}

} // namespace skirmish::client
