// skirmish-query and skirmish-server as a host runs them: on loopback (the
// probe to 127.255.255.255 and 127.0.0.1 only), and, when the test runs as
// root, across two network namespaces it makes and joins with a veth pair, so
// that a real IPv4 broadcast and an IPv6 link-local multicast cross an
// interface. Nothing is ever sent on this machine's own interfaces: inside the
// namespaces only the veth pair and their loopbacks exist.
#include "app_sdl/child_process.hpp"
#include "discovery_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>

using namespace skirmish;
using namespace skirmish::test;
using namespace std::chrono_literals;

namespace {

const std::regex kListening(R"(lobby on TCP and game on UDP port (\d+)\D)");
const std::regex kDiscovery(R"(LAN discovery: UDP port (\d+)\D)");

std::string maps_dir() { return (source_dir() / "assets" / "maps").string(); }

std::uint16_t port_in(ChildProcess& process, const std::regex& pattern) {
    auto match = process.wait_for(pattern, 20s);
    EXPECT_TRUE(match) << process.output();
    return match ? static_cast<std::uint16_t>(std::stoi((*match)[1].str())) : 0;
}

struct Outcome {
    int status = -1;
    std::string output;
};

Outcome run(std::vector<std::string> argv, std::chrono::milliseconds timeout = 20s) {
    ChildProcess child(std::move(argv));
    Outcome r;
    if (!child.started()) return r;
    r.status = child.wait_for_exit(timeout).value_or(-1);
    r.output = child.output();
    return r;
}

nlohmann::json json_of(const std::string& text) {
    // The JSON document is the whole standard output (errors go to stderr, merged here only on failure).
    const auto start = text.find_first_of("[{");
    return start == std::string::npos ? nlohmann::json() : nlohmann::json::parse(text.substr(start), nullptr, false);
}

} // namespace

TEST(QueryTool, FindsAServerOnLoopbackAndPrintsItsInfoAsJson) {
    ChildProcess server({SKIRMISH_SERVER_BINARY, "--port", "0", "--bind", "127.0.0.1", "--discovery-port", "0",
                         "--maps", maps_dir(), "--server-name", "Tool test", "--log-level", "warn"});
    ASSERT_TRUE(server.started());
    const auto port = port_in(server, kListening);
    const auto discovery = port_in(server, kDiscovery);
    ASSERT_NE(port, 0);
    ASSERT_NE(discovery, 0);

    const Outcome lan = run({SKIRMISH_QUERY_BINARY, "--lan", "--lan-address", "127.255.255.255", "--discovery-port",
                         std::to_string(discovery), "--json"});
    ASSERT_EQ(lan.status, 0) << lan.output;
    const auto list = json_of(lan.output);
    ASSERT_TRUE(list.is_array()) << lan.output;
    ASSERT_EQ(list.size(), 1u) << lan.output;
    EXPECT_EQ(list[0]["name"], "Tool test");
    EXPECT_EQ(list[0]["port"], port);
    EXPECT_EQ(list[0]["host"], "127.0.0.1");
    EXPECT_EQ(list[0]["compatible"], true);
    EXPECT_GT(list[0]["map_count"].get<int>(), 0);

    const Outcome text = run({SKIRMISH_QUERY_BINARY, "--lan", "--lan-address", "127.255.255.255", "--discovery-port",
                          std::to_string(discovery)});
    ASSERT_EQ(text.status, 0) << text.output;
    EXPECT_NE(text.output.find("Tool test"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << text.output;

    const Outcome one = run({SKIRMISH_QUERY_BINARY, "127.0.0.1:" + std::to_string(port), "--json"});
    ASSERT_EQ(one.status, 0) << one.output;
    const auto info = json_of(one.output);
    EXPECT_EQ(info["name"], "Tool test");
    EXPECT_EQ(info["total_players"], 0);
    EXPECT_TRUE(info["player_list"].is_array());

    const Outcome human = run({SKIRMISH_QUERY_BINARY, "127.0.0.1:" + std::to_string(port)});
    ASSERT_EQ(human.status, 0) << human.output;
    EXPECT_NE(human.output.find("0 player(s) in matches"), std::string::npos) << human.output;
}

TEST(QueryTool, ExitsOneWhenNothingAnswersAndTwoOnABadCommandLine) {
    // The port of a UDP socket nobody reads: probes to it go unanswered.
    net::Fd quiet = net::open_udp(AF_INET, 0).value();
    net::Endpoint bound = v4("127.0.0.1", 0);
    ASSERT_TRUE(net::bind_udp(quiet, bound));
    const auto nobody = std::to_string(net::port_of(bound));

    const auto started = std::chrono::steady_clock::now();
    const Outcome lan = run({SKIRMISH_QUERY_BINARY, "--lan", "--lan-address", "127.0.0.1", "--discovery-port", nobody,
                         "--timeout-ms", "300"});
    EXPECT_EQ(lan.status, 1) << lan.output;
    EXPECT_NE(lan.output.find("no Skirmish server answered"), std::string::npos) << lan.output;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);

    const Outcome one = run({SKIRMISH_QUERY_BINARY, "127.0.0.1:" + nobody, "--timeout-ms", "300"});
    EXPECT_EQ(one.status, 1) << one.output;
    EXPECT_NE(one.output.find("no answer from the game port"), std::string::npos) << one.output;

    EXPECT_EQ(run({SKIRMISH_QUERY_BINARY, "no-port-here"}).status, 2);
    EXPECT_EQ(run({SKIRMISH_QUERY_BINARY}).status, 2);
    EXPECT_EQ(run({SKIRMISH_QUERY_BINARY, "--lan", "--lan-address", "not-an-address"}).status, 2);
}

// --- across two network namespaces ----------------------------------------------------

namespace {

// Two namespaces joined by a veth pair, 10.199.N.1/24 in A and .2 in B, IPv6
// link-local on both (duplicate address detection off, so it is usable at
// once); removed again (with the pair) when destroyed.
class NamespacePair {
public:
    NamespacePair() {
        const std::string id = std::to_string(::getpid() % 100000);
        a_ = "skq-a-" + id;
        b_ = "skq-b-" + id;
        veth_a_ = "skqa" + id;
        veth_b_ = "skqb" + id;
        subnet_ = "10.199." + std::to_string(::getpid() % 250) + ".";
        ok_ = step({"ip", "netns", "add", a_}) && step({"ip", "netns", "add", b_});
        for (const auto& ns : {a_, b_}) {
            ok_ = ok_ && step({"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0"}, true) &&
                  step({"ip", "-n", ns, "link", "set", "lo", "up"});
        }
        ok_ = ok_ && step({"ip", "link", "add", veth_a_, "netns", a_, "type", "veth", "peer", "name", veth_b_, "netns", b_}) &&
              step({"ip", "-n", a_, "addr", "add", subnet_ + "1/24", "broadcast", subnet_ + "255", "dev", veth_a_}) &&
              step({"ip", "-n", b_, "addr", "add", subnet_ + "2/24", "broadcast", subnet_ + "255", "dev", veth_b_}) &&
              step({"ip", "-n", a_, "link", "set", veth_a_, "up"}) && step({"ip", "-n", b_, "link", "set", veth_b_, "up"});
    }
    ~NamespacePair() {
        run({"ip", "netns", "del", a_});
        run({"ip", "netns", "del", b_});
    }
    bool ok() const { return ok_; }
    const std::string& error() const { return error_; }
    std::vector<std::string> in_a(std::vector<std::string> argv) const { return in(a_, std::move(argv)); }
    std::vector<std::string> in_b(std::vector<std::string> argv) const { return in(b_, std::move(argv)); }
    std::string address_a() const { return subnet_ + "1"; }
    const std::string& veth_b() const { return veth_b_; }
    // Whether B's end has an IPv6 link-local address (the kernel may have IPv6 off).
    bool ipv6() const {
        const Outcome r = run({"ip", "-n", b_, "-6", "addr", "show", "dev", veth_b_, "scope", "link"});
        return r.status == 0 && r.output.find("fe80::") != std::string::npos;
    }

private:
    static std::vector<std::string> in(const std::string& ns, std::vector<std::string> argv) {
        argv.insert(argv.begin(), {"ip", "netns", "exec", ns});
        return argv;
    }
    bool step(std::vector<std::string> argv, bool optional = false) {
        const std::string what = argv.size() > 3 ? argv[1] + " " + argv[2] + " " + argv[3] : argv[0];
        const Outcome r = run(std::move(argv));
        if (r.status == 0 || optional) return true;
        error_ = what + ": " + r.output;
        return false;
    }

    std::string a_, b_, veth_a_, veth_b_, subnet_, error_;
    bool ok_ = false;
};

} // namespace

TEST(QueryToolNamespaces, ABroadcastAndAMulticastFindAServerAcrossAVethPair) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to make network namespaces and a veth pair (run the suite as root)";
    if (run({"ip", "-V"}).status != 0) GTEST_SKIP() << "needs iproute2's ip command to make network namespaces";
    NamespacePair ns;
    if (!ns.ok()) GTEST_SKIP() << "cannot make two network namespaces and a veth pair here: " << ns.error();

    ChildProcess server(ns.in_a({SKIRMISH_SERVER_BINARY, "--port", "7777", "--maps", maps_dir(), "--server-name",
                                 "Across the veth", "--log-level", "warn"}));
    ASSERT_TRUE(server.started());
    ASSERT_EQ(port_in(server, kDiscovery), 7778) << "the default discovery port";

    // The server's namespace is up when its port is printed; a probe repeated
    // a few times covers a slow start (each waits a second for answers).
    const auto find = [&](const char* family) {
        Outcome r;
        for (int attempt = 0; attempt < 5; ++attempt) {
            // Without the suite's SKIRMISH_LAN_ADDRESS: every interface of B, as a host runs it.
            r = run(ns.in_b({"env", "-u", "SKIRMISH_LAN_ADDRESS", SKIRMISH_QUERY_BINARY, "--lan", family, "--json"}));
            if (r.status == 0) break;
        }
        return r;
    };
    const Outcome v4 = find("--ipv4");
    ASSERT_EQ(v4.status, 0) << v4.output << server.output();
    const auto list = json_of(v4.output);
    ASSERT_EQ(list.size(), 1u) << v4.output;
    EXPECT_EQ(list[0]["name"], "Across the veth");
    EXPECT_EQ(list[0]["host"], ns.address_a()) << "the answer's source: the server's end of the pair";
    EXPECT_EQ(list[0]["port"], 7777);

    const Outcome one = run(ns.in_b({SKIRMISH_QUERY_BINARY, ns.address_a() + ":7777", "--json"}));
    ASSERT_EQ(one.status, 0) << one.output;
    EXPECT_EQ(json_of(one.output)["name"], "Across the veth");

    if (!ns.ipv6()) GTEST_SKIP() << "IPv6 is off in this kernel: the IPv4 broadcast was tested, the multicast is not";
    const Outcome v6 = find("--ipv6");
    ASSERT_EQ(v6.status, 0) << v6.output << server.output();
    const auto list6 = json_of(v6.output);
    ASSERT_EQ(list6.size(), 1u) << v6.output;
    EXPECT_EQ(list6[0]["name"], "Across the veth");
    const std::string host6 = list6[0]["host"];
    EXPECT_TRUE(host6.starts_with("fe80::")) << host6;
    EXPECT_TRUE(host6.ends_with("%" + ns.veth_b())) << host6;
}
