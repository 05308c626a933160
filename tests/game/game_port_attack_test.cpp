// Attacks on the game port from outside (issue 10, items 1-4), with raw
// datagrams built from <enet/protocol.h> and docs/PROTOCOL.md: Hellos that
// must get no answer, CONNECTs without the cookie, a CONNECT flood from a
// thousand addresses, forged DISCONNECT / Leave / BANDWIDTH_LIMIT from a
// player's own address (raw socket, root only), an admitted client asking for
// a lower bandwidth, and fragment floods against the server's memory. In every
// attack eight players keep playing: nobody leaves the match and nobody's
// snapshot rate falls. Floods are kept to a few seconds; bench/gameport_flood.sh
// runs the 60 s one.
#include "support/enet_wire.hpp"
#include "support/forged_udp.hpp"
#include "support/game_harness.hpp"
#include "support/process_memory.hpp"
#include "support/raw_game_client.hpp"

#include "shared/protocol/control_codec.hpp"
#include "shared/util/file_limit.hpp"

#include <gtest/gtest.h>

#include <poll.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <thread>

using namespace skirmish;
using namespace std::chrono_literals;
using client::ConnectionState;
using test::drive;
using test::EnetDatagram;
using test::GameHarness;
using test::RawGameClient;

namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

// A match with eight players in it; measures their snapshots during an attack.
class Arena {
public:
    explicit Arena(server::GameConfig config = {}) : h(config) {
        protocol::MatchSettings settings;
        settings.max_players = 16;
        h.start_match(1, settings);
        for (std::uint32_t i = 0; i < 8; ++i) {
            players.push_back(h.client());
            EXPECT_TRUE(players.back()->connect(h.ticket(100 + i, 1), Clock::now()).has_value());
        }
        EXPECT_TRUE(drive(all(), 15s, [&] { return test::all_in_match(all()); })) << "the eight players did not get in";
    }

    std::vector<client::GameClient*> all() const {
        std::vector<client::GameClient*> out;
        for (const auto& p : players) out.push_back(p.get());
        for (const auto& p : extra) out.push_back(p.get());
        return out;
    }

    // What one player got over a window: snapshots, gaps, and the server
    // ticks its snapshots spanned.
    struct Received {
        std::uint64_t snapshots = 0, lost = 0;
        sim::Tick ticks = 0;
    };

    // Runs `act` every frame for `period` while the players play; players
    // `act` adds to `extra` play along from then on. Frames are 4 ms apart
    // (snapshots come every 33 ms), so the players' own CPU stays small beside
    // the server's, which runs on its own thread in this process.
    std::vector<Received> play(std::chrono::milliseconds period, const std::function<void()>& act) {
        std::vector<Received> got(players.size());
        std::vector<sim::Tick> first(players.size());
        for (std::size_t i = 0; i < players.size(); ++i) {
            got[i] = {players[i]->stats().snapshots_received, players[i]->stats().snapshots_lost, 0};
            first[i] = players[i]->latest_snapshot() ? players[i]->latest_snapshot()->tick : 0;
        }
        const auto end = Clock::now() + period;
        while (Clock::now() < end) {
            const auto now = Clock::now();
            for (const auto& p : players) p->update(now, {});
            for (const auto& e : extra) e->update(now, {});
            if (act) act();
            std::this_thread::sleep_for(4ms); // pacing frames, not synchronising
        }
        for (std::size_t i = 0; i < players.size(); ++i) {
            got[i].snapshots = players[i]->stats().snapshots_received - got[i].snapshots;
            got[i].lost = players[i]->stats().snapshots_lost - got[i].lost;
            got[i].ticks = (players[i]->latest_snapshot() ? players[i]->latest_snapshot()->tick : 0) - first[i];
        }
        return got;
    }

    // `period` of attack: every player stays in the match and gets every
    // snapshot of the ticks the server ran (one every two ticks, none lost:
    // judged by tick, so a busy machine does not count as an attack's effect),
    // and the server keeps running at least half its ticks on time.
    void expect_undisturbed_by(std::chrono::milliseconds period, const std::function<void()>& act) {
        const auto during = play(period, act);
        const auto& config = h.server().config();
        const sim::Tick interval = static_cast<sim::Tick>(config.tick_rate_hz / config.snapshot_rate_hz);
        const double nominal_ticks = config.tick_rate_hz * std::chrono::duration<double>(period).count();
        double least = 1.0;
        for (std::size_t i = 0; i < players.size(); ++i) {
            const Received& r = during[i];
            EXPECT_EQ(players[i]->state(), ConnectionState::InMatch) << "player " << i << ": " << players[i]->view().status;
            EXPECT_GE(static_cast<double>(r.ticks), 0.5 * nominal_ticks)
                << "player " << i << ": its snapshots covered " << r.ticks << " server ticks in "
                << period.count() << " ms";
            EXPECT_EQ(r.lost, 0u) << "player " << i << " missed snapshots during the attack";
            EXPECT_GE(r.snapshots + 1, r.ticks / interval) << "player " << i << ": " << r.snapshots
                                                           << " snapshots over " << r.ticks << " ticks";
            least = std::min(least, r.ticks ? static_cast<double>(r.snapshots * interval) / r.ticks : 0.0);
        }
        std::printf("%s: every player got at least %.0f %% of the snapshots of the ticks the server ran\n",
                    ::testing::UnitTest::GetInstance()->current_test_info()->name(), 100.0 * least);
        const auto stats = h.server().stats();
        EXPECT_EQ(stats.timed_out, 0u);
        EXPECT_EQ(stats.kicked, 0u);
        EXPECT_TRUE(h.lobby().left().empty()) << "a player left the match";
    }

    GameHarness h;
    std::vector<std::unique_ptr<client::GameClient>> players;
    std::vector<std::unique_ptr<client::GameClient>> extra; // joined during an attack
};

// A UDP socket of the test's own, from any 127/8 address.
class UdpSocket {
public:
    explicit UdpSocket(const std::string& address = "127.0.0.1") {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, address.c_str(), &local.sin_addr);
        ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) == 0;
    }
    ~UdpSocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    UdpSocket(UdpSocket&& o) noexcept : fd_(std::exchange(o.fd_, -1)), ok_(o.ok_), sent_(o.sent_), received_(o.received_) {}
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    bool ok() const { return ok_; }
    void send_to(std::uint16_t port, std::span<const std::uint8_t> bytes) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) > 0)
            sent_ += bytes.size();
    }
    // Every datagram that has arrived, each counted.
    std::vector<Bytes> drain() {
        std::vector<Bytes> out;
        std::array<std::uint8_t, 2048> buffer{};
        for (ssize_t n; (n = ::recv(fd_, buffer.data(), buffer.size(), 0)) > 0;) {
            received_ += static_cast<std::size_t>(n);
            out.emplace_back(buffer.begin(), buffer.begin() + n);
        }
        return out;
    }
    // Waits (bounded) until something arrives; then drains.
    std::vector<Bytes> wait_for_reply(std::chrono::milliseconds deadline) {
        pollfd p{fd_, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(deadline.count()));
        return drain();
    }
    std::uint64_t sent() const { return sent_; }
    std::uint64_t received() const { return received_; }

private:
    int fd_ = -1;
    bool ok_ = false;
    std::uint64_t sent_ = 0, received_ = 0;
};

net::Hello hello_with_nonce(std::uint8_t first) {
    net::Hello h{protocol::kProtocolVersion, {}};
    for (std::size_t i = 0; i < h.nonce.size(); ++i) h.nonce[i] = static_cast<std::uint8_t>(first + i);
    return h;
}

Bytes bytes_of(std::span<const std::uint8_t> s) { return Bytes(s.begin(), s.end()); }

// A CONNECT as ENet's client writes it, with `data` for the cookie.
Bytes connect_datagram(std::uint32_t connect_id, std::uint32_t data) {
    EnetDatagram::Connect c;
    c.connect_id = connect_id;
    c.data = data;
    return EnetDatagram(net::kNoPeerId).connect(1, c).sealed(0, net::SessionKey{});
}

} // namespace

// --- admission ------------------------------------------------------------------------

TEST(GamePortAdmission, AHelloIsAnsweredWithAChallengeNoLargerThanIt) {
    GameHarness h;
    UdpSocket s;
    const auto hello = net::encode_hello(hello_with_nonce(7));
    s.send_to(h.server().port(), hello);
    const auto replies = s.wait_for_reply(3s);
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].size(), net::kChallengeBytes);
    EXPECT_LE(replies[0].size(), hello.size());
    const auto challenge = net::parse_challenge(replies[0]);
    ASSERT_TRUE(challenge.has_value());
    EXPECT_EQ(challenge->nonce, hello_with_nonce(7).nonce);
    EXPECT_EQ(challenge->valid_for_s, 30u);
}

TEST(GamePortAdmission, ShortLongMisspelledOrOtherVersionHellosGetNoReply) {
    GameHarness h;
    UdpSocket s;
    const auto good = bytes_of(net::encode_hello(hello_with_nonce(1)));
    std::vector<Bytes> bad;
    bad.push_back(Bytes(good.begin(), good.end() - 1)); // short of the padding
    Bytes longer = good;
    longer.push_back(0);
    bad.push_back(longer);
    for (std::size_t at : {0u, 2u, 3u, 4u, 40u, 63u}) { // magic, type, padding
        Bytes b = good;
        b[at] ^= 0x20;
        bad.push_back(b);
    }
    net::Hello other = hello_with_nonce(1);
    other.protocol_version = protocol::kProtocolVersion + 1;
    bad.push_back(bytes_of(net::encode_hello(other)));
    other.protocol_version = protocol::kProtocolVersion - 1;
    bad.push_back(bytes_of(net::encode_hello(other)));
    bad.push_back(Bytes(net::kAdmissionMagic.begin(), net::kAdmissionMagic.end()));
    for (const auto& b : bad) s.send_to(h.server().port(), b);
    // A fence: datagrams from one socket are handled in order, so once the
    // answer to this one is here, any answer to those would be too.
    s.send_to(h.server().port(), net::encode_hello(hello_with_nonce(99)));
    std::vector<Bytes> replies;
    for (auto end = Clock::now() + 3s; replies.empty() && Clock::now() < end;) replies = s.wait_for_reply(100ms);
    ASSERT_EQ(replies.size(), 1u) << "a malformed Hello was answered";
    const auto challenge = net::parse_challenge(replies[0]);
    ASSERT_TRUE(challenge.has_value());
    EXPECT_EQ(challenge->nonce, hello_with_nonce(99).nonce);
    EXPECT_EQ(s.received(), net::kChallengeBytes);
}

TEST(GamePortAdmission, WithoutAChallengeTheClientSaysClearlyThatNobodyAnswered) {
    // A socket that takes the Hellos and never answers, as a server of
    // another protocol version or a firewall would.
    sockaddr_in local{};
    socklen_t len = sizeof local;
    GameHarness h;
    client::ClientOptions options;
    options.connect_timeout = 1000ms;
    auto c = h.client(options);
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local), 0);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    const std::uint16_t port = ntohs(local.sin_port);
    client::MatchTicket ticket = h.ticket(1, 1);
    ticket.port = port;
    ASSERT_TRUE(c->connect(ticket, Clock::now()).has_value());
    EXPECT_TRUE(drive({c.get()}, 4s, [&] { return c->state() == ConnectionState::Disconnected; }));
    EXPECT_EQ(c->view().status, fmt::format("no answer from the game port at 127.0.0.1:{} (UDP) within 1 s: is the "
                                            "server running and reachable?",
                                            port));
    ::close(fd);
}

TEST(GamePortAdmission, AClientWrittenFromTheSpecIsAdmittedAndPlays) {
    GameHarness h;
    h.start_match(1);
    RawGameClient raw(h.server().port(), "127.0.0.1", protocol::kProtocolVersion);
    ASSERT_TRUE(raw.connect(5s)) << "no Challenge or no VERIFY_CONNECT";
    raw.send_reliable(protocol::encode_control(
        protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion, h.ticket(5, 1).token}}));
    const auto end = Clock::now() + 5s;
    while (raw.snapshots() < 30 && Clock::now() < end) raw.pump(10ms);
    EXPECT_GE(raw.snapshots(), 30u);
    EXPECT_FALSE(raw.disconnected());
    EXPECT_EQ(h.server().stats().players, 1u);
}

TEST(GamePortAdmission, ConnectsWithoutTheirCookieGetNoReplyAndTakeNoSlot) {
    server::GameConfig config;
    config.max_peers = 3;
    GameHarness h(config);
    h.start_match(1);
    // Another address's cookie: what a spoofer that asked for itself would have.
    UdpSocket other("127.0.0.5");
    other.send_to(h.server().port(), net::encode_hello(hello_with_nonce(3)));
    const auto replies = other.wait_for_reply(3s);
    ASSERT_EQ(replies.size(), 1u);
    const auto others_cookie = net::parse_challenge(replies[0])->cookie;

    UdpSocket s("127.0.0.6");
    std::mt19937 rng(6);
    for (std::uint32_t i = 1; i <= 300; ++i) {
        const std::uint32_t data = i % 3 == 0 ? 0 : i % 3 == 1 ? static_cast<std::uint32_t>(rng()) : others_cookie;
        s.send_to(h.server().port(), connect_datagram(i, data));
    }
    s.send_to(h.server().port(), net::encode_hello(hello_with_nonce(4))); // the fence
    std::vector<Bytes> got;
    for (auto end = Clock::now() + 3s; got.empty() && Clock::now() < end;) got = s.wait_for_reply(100ms);
    ASSERT_EQ(got.size(), 1u) << "a CONNECT without its cookie was answered";
    EXPECT_EQ(s.received(), net::kChallengeBytes);
    // No slot was taken: all three fit.
    std::vector<std::unique_ptr<client::GameClient>> clients;
    std::vector<client::GameClient*> raw;
    for (std::uint32_t i = 0; i < 3; ++i) {
        clients.push_back(h.client());
        ASSERT_TRUE(clients.back()->connect(h.ticket(10 + i, 1), Clock::now()).has_value());
        raw.push_back(clients.back().get());
    }
    EXPECT_TRUE(drive(raw, 8s, [&] { return test::all_in_match(raw); }));
    h.server().refresh_stats();
    EXPECT_GE(h.server().stats().admission.connects_bad_cookie, 300u);
}

// --- floods and forgeries, with eight players in the match -------------------------------

TEST(GamePortAttack, AConnectFloodFromAThousandAddressesNeitherDisturbsPlayersNorKeepsANewOneOut) {
    util::raise_file_limit();
    Arena arena;
    const std::uint16_t port = arena.h.server().port();
    // 1,000 sources (127.1.0.1 ... 127.1.3.232), each sending 10 CONNECTs a
    // second with guessed cookies and a Hello a second: 10,000 CONNECTs/s.
    std::vector<UdpSocket> sources;
    for (int i = 0; i < 1000; ++i) {
        sources.emplace_back("127.1." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250));
        ASSERT_TRUE(sources.back().ok()) << "socket " << i << " (file limit?)";
    }
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> connects_sent{0};
    std::thread flood([&] {
        std::mt19937 rng(11);
        auto next = Clock::now();
        for (int round = 0; !stop; ++round) {
            for (std::size_t i = 0; i < sources.size(); ++i) {
                sources[i].send_to(port, connect_datagram(rng() | 1, static_cast<std::uint32_t>(rng())));
                if (round % 10 == static_cast<int>(i % 10)) {
                    sources[i].send_to(port, net::encode_hello(hello_with_nonce(1)));
                    sources[i].drain();
                }
            }
            connects_sent += sources.size();
            next += 100ms; // pacing the load: ten rounds a second
            std::this_thread::sleep_until(next);
        }
    });
    bool newcomer_in = false;
    Clock::time_point newcomer_started{}, newcomer_joined{};
    const auto flood_started = Clock::now();
    arena.expect_undisturbed_by(3000ms, [&] {
        if (arena.extra.empty() && Clock::now() - flood_started > 1500ms) {
            arena.extra.push_back(arena.h.client());
            newcomer_started = Clock::now();
            EXPECT_TRUE(arena.extra.back()->connect(arena.h.ticket(200, 1), newcomer_started).has_value());
        }
        if (!newcomer_in && !arena.extra.empty() && arena.extra.back()->state() == ConnectionState::InMatch) {
            newcomer_in = true;
            newcomer_joined = Clock::now();
        }
    });
    // The newcomer gets its full connect deadline, with the flood still on.
    ASSERT_FALSE(arena.extra.empty());
    client::GameClient& newcomer = *arena.extra.back();
    drive(arena.all(), 5s, [&] { return newcomer.state() != ConnectionState::Connecting &&
                                        newcomer.state() != ConnectionState::AwaitingAccept; });
    if (!newcomer_in && newcomer.state() == ConnectionState::InMatch) {
        newcomer_in = true;
        newcomer_joined = Clock::now();
    }
    if (newcomer_in)
        std::printf("connect flood: a new player got in %.0f ms after it started to connect\n",
                    std::chrono::duration<double, std::milli>(newcomer_joined - newcomer_started).count());
    stop = true;
    flood.join();
    arena.h.server().refresh_stats();
    const auto& admission = arena.h.server().stats().admission;
    EXPECT_TRUE(newcomer_in) << "a new player did not get in during the flood: " << newcomer.view().status << " ("
                             << admission.challenges << " Challenges sent, " << admission.hellos_rate_limited
                             << " Hellos over the limits, " << admission.connects << " CONNECTs let in)";
    EXPECT_GE(connects_sent.load(), 25'000u);
    // Reply bytes toward every source, counted where they arrive, are at most what it sent.
    for (std::size_t i = 0; i < sources.size(); ++i) {
        sources[i].drain();
        ASSERT_LE(sources[i].received(), sources[i].sent()) << "source " << i;
    }
    const auto stats = arena.h.server().stats();
    EXPECT_GE(stats.admission.connects_bad_cookie, connects_sent.load() / 2);
    EXPECT_EQ(stats.players, 9u);
}

TEST(GamePortAttack, ForgedDisconnectLeaveAndBandwidthLimitFromAPlayersAddressAreDropped) {
    test::ForgedUdp forger;
    if (!forger.available())
        GTEST_SKIP() << "forging a player's source address needs a raw socket (root or CAP_NET_RAW); not run";
    Arena arena;
    const std::uint16_t port = arena.h.server().port();
    const std::uint16_t victim = arena.players[0]->local_port();
    ASSERT_NE(victim, 0);
    // The forger reaches the server as the victim: a forged Hello is counted.
    const auto hellos = arena.h.server().stats().admission.hellos;
    forger.send("127.0.0.1", victim, port, net::encode_hello(hello_with_nonce(5)));
    ASSERT_TRUE(drive(arena.all(), 3s, [&] { return arena.h.server().stats().admission.hellos > hellos; }));
    // Every peer id a small server uses, every session, with and without a
    // guessed checksum: DISCONNECT, a reliable Leave on channel 1 at each
    // likely sequence number, BANDWIDTH_LIMIT(1,1) and a throttle that gives up at once.
    const auto leave = protocol::encode_control(protocol::ClientControl{protocol::LeaveRequest{}});
    std::vector<Bytes> forgeries;
    std::mt19937 rng(8);
    for (std::uint16_t peer = 0; peer < 16; ++peer) {
        for (std::uint8_t session = 0; session < 4; ++session) {
            std::vector<EnetDatagram> d;
            d.push_back(EnetDatagram(peer, session).disconnect(static_cast<std::uint16_t>(2 + peer % 4), 0));
            for (std::uint16_t seq = 1; seq <= 6; ++seq) d.push_back(EnetDatagram(peer, session).send_reliable(1, seq, leave));
            d.push_back(EnetDatagram(peer, session).bandwidth_limit(3, 1, 1));
            d.push_back(EnetDatagram(peer, session).throttle_configure(4, 5000, 32, 32));
            for (const auto& one : d) {
                forgeries.push_back(one.forged(0));
                forgeries.push_back(one.forged(static_cast<std::uint32_t>(rng())));
            }
        }
    }
    std::size_t next = 0, sent = 0;
    arena.expect_undisturbed_by(2500ms, [&] {
        for (int i = 0; i < 8; ++i, ++sent) {
            forger.send("127.0.0.1", victim, port, forgeries[next]);
            next = (next + 1) % forgeries.size();
        }
    });
    EXPECT_GE(sent, forgeries.size());
    std::printf("forgeries: %zu sent in 2.5 s from the victim's address\n", sent);
    arena.h.server().refresh_stats();
    // Those aimed at the victim's own slot reached the MAC check and failed it.
    EXPECT_GT(arena.h.server().stats().admission.bad_mac, 0u);
    EXPECT_EQ(arena.h.server().stats().players, 8u);
}

TEST(GamePortAttack, AnAdmittedClientCannotLowerItsOwnBandwidthOrThrottle) {
    Arena arena;
    RawGameClient raw(arena.h.server().port(), "127.0.0.7", protocol::kProtocolVersion);
    ASSERT_TRUE(raw.connect(5s));
    raw.send_reliable(protocol::encode_control(
        protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion, arena.h.ticket(300, 1).token}}));
    ASSERT_TRUE(drive(arena.all(), 5s, [&] {
        raw.pump();
        return raw.snapshots() > 10;
    }));
    // Correctly MACed, from its own address: ENet would believe these (and
    // then send this client 4 snapshots a second instead of 30).
    raw.send(raw.to_server().bandwidth_limit(raw.next_peer_sequence(), 1, 1));
    raw.send(raw.to_server().throttle_configure(raw.next_peer_sequence(), 5000, 32, 32));
    const auto before = raw.snapshots();
    const sim::Tick first_tick = arena.players[0]->latest_snapshot()->tick;
    arena.expect_undisturbed_by(2500ms, [&] { raw.pump(); });
    raw.pump(50ms);
    // Judged by the ticks the server ran meanwhile (one snapshot every two).
    const sim::Tick ticks = arena.players[0]->latest_snapshot()->tick - first_tick;
    const auto during = raw.snapshots() - before;
    EXPECT_GE(static_cast<double>(during), 0.9 * ticks / 2.0)
        << "the client got " << during << " snapshots over " << ticks << " server ticks";
    arena.h.server().refresh_stats();
    EXPECT_GE(arena.h.server().stats().admission.limits_pinned, 2u);
    EXPECT_FALSE(raw.disconnected());
}

TEST(GamePortAttack, FragmentFloodsFromAConnectedOrAnAdmittedPeerDoNotGrowTheServer) {
    server::GameConfig config;
    config.token_deadline = 20s; // the unadmitted peer stays connected through the test
    Arena arena(config);
    const std::uint16_t port = arena.h.server().port();
    RawGameClient loose(port, "127.0.0.8", protocol::kProtocolVersion);
    RawGameClient admitted(port, "127.0.0.9", protocol::kProtocolVersion);
    ASSERT_TRUE(loose.connect(5s));
    ASSERT_TRUE(admitted.connect(5s));
    admitted.send_reliable(protocol::encode_control(
        protocol::ClientControl{protocol::ConnectRequest{protocol::kProtocolVersion, arena.h.ticket(301, 1).token}}));
    ASSERT_TRUE(drive(arena.all(), 5s, [&] {
        loose.pump();
        admitted.pump();
        return admitted.snapshots() > 0;
    }));
    // As in issue 10: 8,000 fragments of 25 bytes each declaring a million
    // fragments of a 1-byte packet, at 8,000 start sequence numbers (ENet
    // 1.3.17 allocates a 128 KiB bitmap for each, outside its cap on a
    // peer's data), from the connected peer and from the admitted one; then
    // 8,000 fragments within the bounds, at every start sequence number the
    // window allows, from the admitted one.
    const Bytes one_byte(1, 0xab);
    int sent = 0;
    const std::uint64_t heap_before = test::live_heap_bytes();
    const std::uint64_t rss_before = test::resident_bytes();
    std::optional<Clock::time_point> attack_start;
    arena.expect_undisturbed_by(2500ms, [&] {
        // All 8,000 within the first 2 s of the attack, as they fall due.
        if (!attack_start) attack_start = Clock::now();
        const auto since = Clock::now() - *attack_start;
        const int due = std::min<int>(8000, static_cast<int>(8000 * since / 2000ms) + 1);
        for (; sent < due; ++sent) {
            EnetDatagram::Fragment huge;
            huge.start_sequence = static_cast<std::uint16_t>(2 + sent);
            huge.count = 1'000'000;
            huge.number = 0;
            huge.total_length = 1;
            loose.send(loose.to_server().send_fragment(1, huge.start_sequence, huge, one_byte));
            admitted.send(admitted.to_server().send_fragment(1, huge.start_sequence, huge, one_byte));
            EnetDatagram::Fragment bounded;
            bounded.start_sequence = static_cast<std::uint16_t>(2 + sent % 1024);
            bounded.count = 2;
            bounded.number = 0;
            bounded.total_length = 2;
            admitted.send(admitted.to_server().send_fragment(1, bounded.start_sequence, bounded, one_byte));
        }
        loose.pump();
        admitted.pump();
    });
    EXPECT_EQ(sent, 8000);
    // What the server (and everything else in this process) holds: the live
    // heap. Without the datagram rules it grows by about 1 GiB here.
    const std::uint64_t heap_after = test::live_heap_bytes();
    const std::uint64_t rss_after = test::resident_bytes();
    EXPECT_LT(heap_after, heap_before + 16 * 1024 * 1024)
        << "the live heap grew by " << (heap_after - heap_before) / 1024 << " KiB (resident set: "
        << (static_cast<std::int64_t>(rss_after) - static_cast<std::int64_t>(rss_before)) / 1024 << " KiB)";
    std::printf("fragment floods: live heap %+lld KiB, resident set %+lld KiB\n",
                (static_cast<long long>(heap_after) - static_cast<long long>(heap_before)) / 1024,
                (static_cast<long long>(rss_after) - static_cast<long long>(rss_before)) / 1024);
    arena.h.server().refresh_stats();
    const auto& dropped = arena.h.server().stats().admission.dropped;
    EXPECT_GE(dropped[static_cast<std::size_t>(net::DatagramFault::FragmentBeforeToken)], 4000u);
    // From the admitted peer: a million fragments of one byte is out of bounds,
    // and start sequence numbers over 1,024 ahead of the channel out of its window.
    EXPECT_GE(dropped[static_cast<std::size_t>(net::DatagramFault::FragmentOutOfBounds)] +
                  dropped[static_cast<std::size_t>(net::DatagramFault::OutOfWindow)],
              4000u);
    EXPECT_FALSE(admitted.disconnected());
}
