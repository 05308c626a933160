// client/core/server_query.cpp
#include "client/core/server_query.hpp"

#include "shared/net/game_query.hpp"
#include "shared/net/udp_socket.hpp"
#include "shared/protocol/version.hpp"

#include <poll.h>
#include <sodium.h>

#include <fmt/format.h>

#include <array>
#include <optional>

namespace skirmish::client {

namespace {

namespace pd = protocol::discovery;
using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kResendInterval{250};

// Sends `request` every kResendInterval until `accept` takes a datagram or the
// deadline passes; false at the deadline.
template <typename Accept>
bool exchange(const net::Fd& socket, std::span<const std::uint8_t> request, Clock::time_point deadline, Accept&& accept) {
    std::array<std::uint8_t, 2048> buffer{};
    while (Clock::now() < deadline) {
        (void)net::send_datagram(socket, request);
        const auto resend = std::min(deadline, Clock::now() + kResendInterval);
        while (Clock::now() < resend) {
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(resend - Clock::now());
            pollfd fd{socket.get(), POLLIN, 0};
            if (::poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(1, wait.count()))) <= 0) continue;
            for (int i = 0; i < 64; ++i) { // what is waiting, bounded
                auto received = net::receive_datagram(socket, buffer);
                if (!received) break;
                if (*received > buffer.size()) continue;
                if (accept(std::span<const std::uint8_t>(buffer.data(), *received))) return true;
            }
        }
    }
    return false;
}

std::optional<pd::QueryReply> reply_of(std::span<const std::uint8_t> datagram, std::uint64_t nonce) {
    const auto body = net::query_reply_body(datagram);
    if (!body) return std::nullopt;
    auto reply = pd::decode_query_reply(*body);
    if (!reply || reply->nonce != nonce) return std::nullopt;
    return std::move(reply).value();
}

} // namespace

util::Result<ServerQueryResult, std::string> query_server(const std::string& host, std::uint16_t port,
                                                          std::chrono::milliseconds timeout) {
    const std::string where = fmt::format("{}:{}", host, port);
    auto server = net::resolve_udp(host, port, false, "the server");
    if (!server) return util::fail(server.error());
    if (server->family() != AF_INET)
        return util::fail(fmt::format("{}: the game port speaks IPv4 only; give its IPv4 address", where));
    auto socket = net::connect_udp(*server);
    if (!socket) return util::fail(fmt::format("cannot open a UDP socket toward {}: {}", where, net::errno_text(socket.error())));

    const Clock::time_point started = Clock::now();
    const Clock::time_point deadline = started + timeout;
    net::Hello hello;
    hello.protocol_version = protocol::kProtocolVersion;
    randombytes_buf(hello.nonce.data(), hello.nonce.size());
    std::optional<net::Challenge> challenge;
    const auto hello_bytes = net::encode_hello(hello);
    const bool challenged = exchange(*socket, hello_bytes, deadline, [&](std::span<const std::uint8_t> d) {
        auto c = net::parse_challenge(d);
        if (!c || c->nonce != hello.nonce) return false;
        challenge = *c;
        return true;
    });
    if (!challenged)
        return util::fail(fmt::format("no answer from the game port at {} (UDP) within {} ms: is a Skirmish server of "
                                      "protocol {} running there, and is UDP {} open?",
                                      where, timeout.count(), protocol::kProtocolVersion, port));
    ServerQueryResult result;
    result.address = net::to_string(*server);
    result.ping_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();

    net::Query query;
    query.protocol_version = protocol::kProtocolVersion;
    query.nonce = hello.nonce;
    query.cookie = challenge->cookie;
    const std::uint64_t nonce = net::nonce_value(hello.nonce);
    query.what = net::QueryWhat::Info;
    const bool informed = exchange(*socket, net::encode_query(query), deadline, [&](std::span<const std::uint8_t> d) {
        auto reply = reply_of(d, nonce);
        if (!reply || !std::holds_alternative<pd::ServerInfo>(reply->body)) return false;
        result.info = std::get<pd::ServerInfo>(reply->body);
        return true;
    });
    if (!informed) return util::fail(fmt::format("{} sent a Challenge but no info before the deadline", where));

    query.what = net::QueryWhat::Players;
    for (std::size_t page = 0; page < kMaxPlayerPages; ++page) {
        query.first = static_cast<std::uint16_t>(result.players.size());
        std::size_t got = 0;
        const bool listed = exchange(*socket, net::encode_query(query), deadline, [&](std::span<const std::uint8_t> d) {
            auto reply = reply_of(d, nonce);
            if (!reply || !std::holds_alternative<pd::PlayerList>(reply->body)) return false;
            auto& list = std::get<pd::PlayerList>(reply->body);
            if (list.first != query.first) return false; // an older page's reply
            result.total_players = list.total;
            got = list.players.size();
            for (auto& p : list.players) result.players.push_back(std::move(p));
            return true;
        });
        if (!listed) return util::fail(fmt::format("{} sent its info but not its players before the deadline", where));
        if (got == 0 || result.players.size() >= result.total_players) break;
    }
    return result;
}

} // namespace skirmish::client
