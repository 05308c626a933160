// tools/query/main.cpp: skirmish-query, what qstat or gamedig are for other
// games (docs/OPERATIONS.md, "Discovery and query").
//
//   skirmish-query --lan [--timeout-ms 1000] [--discovery-port 7778] [--lan-address ADDR ...] [--ipv4|--ipv6] [--json]
//   skirmish-query HOST:PORT [--timeout-ms 3000] [--json]
//
// --lan probes every broadcast address and IPv6 interface of this host (or
// only the --lan-address ones, or those of SKIRMISH_LAN_ADDRESS) and prints the servers that answered within the
// timeout. HOST:PORT asks that server's game port for its info and players.
// Exit status: 0 an answer came, 1 none did, 2 the command line is wrong.
#include "client/core/lan_discovery.hpp"
#include "client/core/server_query.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <poll.h>

#include <charconv>
#include <chrono>

namespace {

using namespace skirmish;
namespace pd = protocol::discovery;
using Clock = std::chrono::steady_clock;

constexpr int kAnswered = 0;
constexpr int kNoAnswer = 1;
constexpr int kUsage = 2;

nlohmann::json info_json(const pd::ServerInfo& info) {
    return {{"name", info.name},
            {"address", info.address},
            {"port", info.port},
            {"protocol_version", info.protocol_version},
            {"maps", info.maps},
            {"map_count", info.map_count},
            {"players", info.players},
            {"max_players", info.max_players},
            {"rooms", info.rooms},
            {"matches", info.matches},
            {"tick_rate_hz", info.tick_rate_hz},
            {"password", info.password}};
}

std::string maps_text(const pd::ServerInfo& info) {
    std::string out;
    for (const auto& m : info.maps) out += (out.empty() ? "" : ",") + m;
    if (info.maps.size() < info.map_count) out += fmt::format(",+{}", info.map_count - info.maps.size());
    return out;
}

int run_lan(std::uint16_t port, const std::vector<std::string>& addresses, client::LanTargets which,
            std::chrono::milliseconds timeout, bool json) {
    std::vector<net::Endpoint> targets;
    if (addresses.empty()) {
        auto found = client::default_lan_targets(port, which);
        if (!found) {
            fmt::print(stderr, "skirmish-query: {}\n", found.error());
            return kUsage;
        }
        targets = std::move(found).value();
    } else {
        for (const auto& a : addresses) {
            auto t = client::lan_probe_target(a, port);
            if (!t) {
                fmt::print(stderr, "skirmish-query: --lan-address {}\n", t.error());
                return kUsage;
            }
            targets.push_back(*t);
        }
    }
    auto lan = client::LanDiscovery::open();
    if (!lan) {
        fmt::print(stderr, "skirmish-query: {}\n", lan.error());
        return kNoAnswer;
    }
    const auto sent = lan->probe(targets, Clock::now());
    if (sent == 0) {
        fmt::print(stderr, "skirmish-query: no probe could be sent ({} target(s)): is a network interface up?\n",
                   targets.size());
        return kNoAnswer;
    }
    const auto deadline = Clock::now() + timeout;
    for (int wakes = 0; wakes < 10'000 && Clock::now() < deadline; ++wakes) {
        std::vector<pollfd> fds;
        for (int fd : lan->fds()) fds.push_back({fd, POLLIN, 0});
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        ::poll(fds.data(), fds.size(), static_cast<int>(std::max<std::int64_t>(1, left)));
        lan->receive(Clock::now());
    }
    const auto& servers = lan->servers();
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& s : servers) {
            nlohmann::json j = info_json(s.info);
            j["host"] = s.host;
            j["from"] = s.from;
            j["ping_ms"] = std::round(s.ping_ms * 10.0) / 10.0;
            j["compatible"] = s.compatible();
            out.push_back(std::move(j));
        }
        fmt::print("{}\n", out.dump(2));
    } else if (servers.empty()) {
        fmt::print("no Skirmish server answered on UDP port {} within {} ms\n", port, timeout.count());
    } else {
        fmt::print("{:<24} {:<28} {:>9} {:>5} {:>7} {:>6} {:>7}  {}\n", "NAME", "ADDRESS", "PLAYERS", "ROOMS",
                   "MATCHES", "PING", "TICK", "MAPS");
        for (const auto& s : servers) {
            std::string name = s.info.name + (s.info.password ? " (password)" : "");
            if (!s.compatible()) name += fmt::format(" [protocol {}]", s.info.protocol_version);
            fmt::print("{:<24} {:<28} {:>9} {:>5} {:>7} {:>6} {:>7}  {}\n", name,
                       fmt::format("{}:{}", s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host,
                                   s.info.port),
                       fmt::format("{}/{}", s.info.players, s.info.max_players), s.info.rooms, s.info.matches,
                       fmt::format("{:.0f}ms", s.ping_ms), fmt::format("{}Hz", s.info.tick_rate_hz), maps_text(s.info));
        }
    }
    return servers.empty() ? kNoAnswer : kAnswered;
}

int run_query(const std::string& target, std::chrono::milliseconds timeout, bool json) {
    const auto colon = target.rfind(':');
    std::uint16_t port = 0;
    if (colon == std::string::npos || colon == 0 ||
        std::from_chars(target.data() + colon + 1, target.data() + target.size(), port).ec != std::errc{} ||
        port == 0) {
        fmt::print(stderr, "skirmish-query: '{}' is not HOST:PORT (the server's port, e.g. 192.168.1.20:7777)\n",
                   target);
        return kUsage;
    }
    auto result = client::query_server(target.substr(0, colon), port, timeout);
    if (!result) {
        fmt::print(stderr, "skirmish-query: {}\n", result.error());
        return kNoAnswer;
    }
    const auto& r = *result;
    if (json) {
        nlohmann::json out = info_json(r.info);
        out["from"] = r.address;
        out["ping_ms"] = std::round(r.ping_ms * 10.0) / 10.0;
        out["total_players"] = r.total_players;
        nlohmann::json players = nlohmann::json::array();
        for (const auto& p : r.players)
            players.push_back({{"name", p.name}, {"frags", p.frags}, {"deaths", p.deaths}, {"time_s", p.time_s},
                               {"ping_ms", p.ping_ms}, {"match_id", p.match_id}});
        out["player_list"] = std::move(players);
        fmt::print("{}\n", out.dump(2));
        return kAnswered;
    }
    fmt::print("{} ({}), protocol {}, {} Hz, ping {:.0f} ms{}\n", r.info.name, r.address, r.info.protocol_version,
               r.info.tick_rate_hz, r.ping_ms, r.info.password ? ", needs a password" : "");
    fmt::print("players {}/{} in the lobby, {} room(s), {} match(es) running\n", r.info.players, r.info.max_players,
               r.info.rooms, r.info.matches);
    fmt::print("maps: {}\n", maps_text(r.info));
    fmt::print("{} player(s) in matches{}\n", r.total_players, r.players.empty() ? "" : ":");
    if (!r.players.empty()) {
        fmt::print("  {:<24} {:>5} {:>6} {:>7} {:>6} {:>6}\n", "NAME", "FRAGS", "DEATHS", "TIME", "PING", "MATCH");
        for (const auto& p : r.players)
            fmt::print("  {:<24} {:>5} {:>6} {:>7} {:>6} {:>6}\n", p.name, p.frags, p.deaths,
                       fmt::format("{}:{:02}", p.time_s / 60, p.time_s % 60), fmt::format("{}ms", p.ping_ms),
                       p.match_id);
    }
    return kAnswered;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-query: find Skirmish servers on the LAN, or ask one server for its info and players"};
    app.set_version_flag("--version", std::string("skirmish-query ") + kVersion);
    bool lan = false, json = false, ipv4 = false, ipv6 = false;
    std::string target;
    int timeout_ms = -1;
    std::uint16_t discovery_port = client::kDiscoveryPort;
    std::vector<std::string> addresses;
    app.add_flag("--lan", lan, "Find the servers on the LAN (broadcast and IPv6 multicast probes)");
    app.add_option("HOST:PORT", target, "A server to ask for its info and players (its game port)");
    app.add_flag("--json", json, "Print JSON for scripts");
    app.add_option("--timeout-ms", timeout_ms, "How long to wait for answers (default: 1000 with --lan, else 3000)")
        ->check(CLI::Range(1, 60'000));
    app.add_option("--discovery-port", discovery_port, "UDP port the servers' discovery listens on")
        ->capture_default_str();
    app.add_option("--lan-address", addresses,
                   "Probe only this broadcast or multicast address (repeatable; e.g. 192.168.1.255, ff02::736b%eth0)");
    app.add_flag("--ipv4", ipv4, "With --lan: IPv4 broadcasts only");
    app.add_flag("--ipv6", ipv6, "With --lan: IPv6 multicast only");
    CLI11_PARSE(app, argc, argv);
    if (lan == !target.empty()) {
        fmt::print(stderr, "skirmish-query: say either --lan or HOST:PORT (see --help)\n");
        return kUsage;
    }
    if (lan) {
        client::LanTargets which;
        if (ipv4 != ipv6) which = {ipv4, ipv6};
        return run_lan(discovery_port, addresses, which, std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 1000),
                       json);
    }
    return run_query(target, std::chrono::milliseconds(timeout_ms > 0 ? timeout_ms : 3000), json);
}
