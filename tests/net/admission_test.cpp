// The game port's admission pieces without sockets: Hello and Challenge
// (exact layouts, golden vectors), cookies per address and epoch with their
// rate limits, the datagram MAC (golden vector), and the rules a client's
// datagram must pass before ENet parses it (docs/PROTOCOL.md, "Admission",
// "Datagram authentication", "Datagram rules").
#include "shared/net/admission_guard.hpp"
#include "shared/net/challenge.hpp"
#include "shared/net/datagram_mac.hpp"
#include "shared/net/enet_datagram.hpp"
#include "shared/protocol/version.hpp"
#include "support/enet_wire.hpp"
#include "support/golden.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace skirmish::net;
using namespace std::chrono_literals;
using test::EnetDatagram;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::uint32_t kProtocol = protocol::kProtocolVersion; // hello.hex: what a client of this version sends
const Ipv4Endpoint kFrom{0x0100007f, 40000}; // 127.0.0.1:40000 as ENet holds it

Hello golden_hello() {
    Hello h{kProtocol, {}};
    for (std::size_t i = 0; i < h.nonce.size(); ++i) h.nonce[i] = static_cast<std::uint8_t>(i + 1);
    return h;
}

Challenge golden_challenge() {
    Challenge c;
    c.nonce = golden_hello().nonce;
    c.cookie = 0xa1b2c3d4;
    for (std::size_t i = 0; i < c.key.size(); ++i) c.key[i] = static_cast<std::uint8_t>(i);
    c.valid_for_s = 30;
    return c;
}

SessionKey key_0_to_15() { return golden_challenge().key; }

template <std::size_t N>
Bytes bytes(const std::array<std::uint8_t, N>& a) {
    return Bytes(a.begin(), a.end());
}

DatagramFault verdict(const Bytes& d, const PeerView& peer = {}) {
    ParsedDatagram parsed;
    if (auto fault = parse_datagram(d, parsed); fault != DatagramFault::None) return fault;
    return check_from_peer(parsed, d, peer, 64 * 1024);
}

PeerView admitted() {
    PeerView p;
    p.admitted = true;
    p.incoming_reliable = {0, 1};
    return p;
}

} // namespace

// --- Hello and Challenge ------------------------------------------------------------

TEST(Challenge, HelloAndChallengeMatchTheGoldenVectorsAndReadBack) {
    const Bytes hello = bytes(encode_hello(golden_hello()));
    test::check_golden("hello.hex", hello);
    EXPECT_EQ(parse_hello(hello), golden_hello());
    const Bytes challenge = bytes(encode_challenge(golden_challenge()));
    test::check_golden("challenge.hex", challenge);
    EXPECT_EQ(parse_challenge(challenge), golden_challenge());
    // The cookie's bytes are exactly what ENet writes for data = 0xa1b2c3d4 (big-endian).
    EXPECT_EQ(challenge[13], 0xa1);
    EXPECT_EQ(challenge[16], 0xd4);
    EXPECT_LE(challenge.size(), hello.size());
}

TEST(Challenge, AnythingButTheExactLayoutIsNotAHello) {
    const Bytes good = bytes(encode_hello(golden_hello()));
    EXPECT_FALSE(parse_hello(Bytes(good.begin(), good.end() - 1)));
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_FALSE(parse_hello(longer));
    for (std::size_t at : {0u, 1u, 2u, 3u, 4u, 17u, 63u}) {
        Bytes b = good;
        b[at] ^= 1;
        EXPECT_FALSE(parse_hello(b)) << "byte " << at;
    }
    EXPECT_FALSE(parse_challenge(good));
    EXPECT_FALSE(parse_hello(bytes(encode_challenge(golden_challenge()))));
    EXPECT_TRUE(is_admission_datagram(good));
    EXPECT_FALSE(is_admission_datagram(Bytes{0xff, 0xff, 'S'}));
}

// --- cookies -----------------------------------------------------------------------------

TEST(AdmissionGuard, ACookieIsGoodForItsAddressThroughTheNextEpochOnly) {
    const util::TimePoint start{};
    AdmissionGuard guard(AdmissionLimits{}, kProtocol, start);
    const Bytes hello = bytes(encode_hello(golden_hello()));
    const auto c = guard.answer_hello(hello, kFrom, start + 10s);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->nonce, golden_hello().nonce);
    EXPECT_EQ(guard.check_cookie(c->cookie, kFrom, start + 10s), c->key);
    EXPECT_EQ(guard.check_cookie(c->cookie, kFrom, start + 59s), c->key); // the next epoch
    EXPECT_FALSE(guard.check_cookie(c->cookie, kFrom, start + 61s));     // the one after
    EXPECT_FALSE(guard.check_cookie(c->cookie, {kFrom.host, 40001}, start + 10s));
    EXPECT_FALSE(guard.check_cookie(c->cookie, {0x0200007f, 40000}, start + 10s));
    EXPECT_FALSE(guard.check_cookie(c->cookie ^ 1, kFrom, start + 10s));
    // Another process (another secret) does not know it.
    AdmissionGuard other(AdmissionLimits{}, kProtocol, start);
    EXPECT_FALSE(other.check_cookie(c->cookie, kFrom, start + 10s));
}

TEST(AdmissionGuard, ChallengesAreRateLimitedPerAddressAndInTotal) {
    AdmissionLimits limits;
    limits.challenges_per_address_burst = 3;
    limits.challenges_per_address_per_second = 1;
    limits.challenges_burst = 10;
    limits.challenges_per_second = 10;
    const util::TimePoint t{};
    AdmissionGuard guard(limits, kProtocol, t);
    const Bytes hello = bytes(encode_hello(golden_hello()));
    int answered = 0;
    for (int i = 0; i < 10; ++i) answered += guard.answer_hello(hello, kFrom, t) ? 1 : 0;
    EXPECT_EQ(answered, 3); // one address: its burst (every port of it together)
    EXPECT_TRUE(guard.answer_hello(hello, {kFrom.host, 1}, t + 1s));
    // Many addresses: the total.
    answered = 0;
    for (std::uint32_t a = 0; a < 50; ++a) answered += guard.answer_hello(hello, {0x0a000000u + (a << 24), 9}, t + 1s) ? 1 : 0;
    EXPECT_LE(answered, 10);
    EXPECT_GE(guard.counters().hellos_rate_limited, 40u);
    // Another version gets nothing, and is counted.
    Hello old = golden_hello();
    old.protocol_version = kProtocol - 1;
    EXPECT_FALSE(guard.answer_hello(bytes(encode_hello(old)), {0x0b00000a, 5}, t + 5s));
    EXPECT_EQ(guard.counters().hellos_wrong_version, 1u);
}

// --- the MAC -------------------------------------------------------------------------------

TEST(DatagramMac, APingMatchesTheGoldenVectorAndAnyChangeBreaksIt) {
    // A PING from a client whose server slot is 0, session 1, sent time 0x1234,
    // connectID bytes 44 33 22 11, under the key 00 01 ... 0f.
    const std::uint32_t connect_id = 0x11223344;
    const Bytes d = EnetDatagram(0, 1, std::uint16_t{0x1234}).ping(2).sealed(connect_id, key_0_to_15());
    test::check_golden("authenticated_ping.hex", d);
    SessionKeys keys(4);
    ASSERT_TRUE(keys.insert(connect_id, key_0_to_15(), kFrom, {}));
    ParsedDatagram parsed;
    ASSERT_EQ(parse_datagram(d, parsed), DatagramFault::None);
    Bytes check = d;
    const std::uint32_t sent = read_checksum(parsed.header, check);
    write_checksum(parsed.header, check, connect_id);
    EXPECT_EQ(keys.mac_of(check), sent);
    check.back() ^= 1;
    EXPECT_NE(keys.mac_of(check), sent);
    // An unknown connectID never verifies.
    Bytes unknown = d;
    write_checksum(parsed.header, unknown, 0x55555555);
    EXPECT_NE(keys.mac_of(unknown), sent);
}

TEST(DatagramMac, AConnectIdBelongsToOneAddressAndIsForgottenWhenNoPeerHoldsIt) {
    SessionKeys keys(2);
    const util::TimePoint t{};
    EXPECT_FALSE(keys.insert(0, key_0_to_15(), kFrom, t));
    EXPECT_TRUE(keys.insert(7, key_0_to_15(), kFrom, t));
    EXPECT_TRUE(keys.insert(7, key_0_to_15(), kFrom, t)); // a retransmitted CONNECT
    EXPECT_FALSE(keys.insert(7, SessionKey{}, {kFrom.host, 1}, t));
    EXPECT_TRUE(keys.insert(8, key_0_to_15(), kFrom, t));
    EXPECT_FALSE(keys.insert(9, key_0_to_15(), kFrom, t)); // full
    keys.sweep({8}, t + 3s, 2s);
    EXPECT_EQ(keys.find(7), nullptr);
    EXPECT_NE(keys.find(8), nullptr);
}

// --- the rules on a client's datagrams ---------------------------------------------------

TEST(EnetDatagram, AConnectDatagramIsExactlyOneConnect) {
    EnetDatagram::Connect c;
    c.connect_id = 5;
    c.data = 0xa1b2c3d4;
    const Bytes d = EnetDatagram(kNoPeerId).connect(1, c).sealed(0, SessionKey{});
    test::check_golden("connect_datagram.hex", d);
    ParsedDatagram parsed;
    ASSERT_EQ(parse_datagram(d, parsed), DatagramFault::None);
    EXPECT_EQ(check_connect(parsed, d), DatagramFault::None);
    EXPECT_EQ(read_connect(parsed, d).data, 0xa1b2c3d4u);
    EXPECT_EQ(read_connect(parsed, d).connect_id, 5u);
    const Bytes two = EnetDatagram(kNoPeerId).connect(1, c).ping(2).sealed(0, SessionKey{});
    ASSERT_EQ(parse_datagram(two, parsed), DatagramFault::None);
    EXPECT_EQ(check_connect(parsed, two), DatagramFault::NotAConnect);
    // As ENet writes it, it asks for unlimited bandwidth; a bandwidth limit is
    // overwritten, and its throttle fields are left for VERIFY_CONNECT to echo.
    ASSERT_EQ(parse_datagram(d, parsed), DatagramFault::None);
    EXPECT_FALSE(asks_other_limits(parsed, d));
    c.incoming_bandwidth = 1;
    c.outgoing_bandwidth = 1;
    const Bytes limited = EnetDatagram(kNoPeerId).connect(1, c).sealed(0, SessionKey{});
    ASSERT_EQ(parse_datagram(limited, parsed), DatagramFault::None);
    EXPECT_TRUE(asks_other_limits(parsed, limited));
    Bytes pinned = limited;
    pin_limits(parsed, pinned);
    EXPECT_FALSE(asks_other_limits(parsed, pinned));
    EXPECT_EQ(Bytes(pinned.begin() + 8, pinned.end()), Bytes(d.begin() + 8, d.end())); // all but the header
}

TEST(EnetDatagram, MalformedAndCompressedDatagramsAreRefused) {
    EXPECT_EQ(verdict(Bytes{0x00}), DatagramFault::Malformed);
    EXPECT_EQ(verdict(Bytes{0x80, 0x00, 0, 0, 0}), DatagramFault::Malformed); // header cut short
    Bytes compressed = EnetDatagram(0).ping(1).forged(0);
    compressed[0] |= 0x40;
    EXPECT_EQ(verdict(compressed), DatagramFault::Compressed);
    Bytes cut = EnetDatagram(0).send_reliable(1, 1, Bytes(40, 1)).forged(0);
    cut.resize(cut.size() - 1);
    EXPECT_EQ(verdict(cut), DatagramFault::Malformed);
    Bytes unknown = EnetDatagram(0).ping(1).forged(0);
    unknown[8] = 13; // command 13 does not exist
    EXPECT_EQ(verdict(unknown), DatagramFault::Malformed);
    EnetDatagram many(0);
    for (int i = 0; i < 33; ++i) many.ping(static_cast<std::uint16_t>(i));
    EXPECT_EQ(verdict(many.forged(0)), DatagramFault::Malformed);
}

TEST(EnetDatagram, DataGoesOnItsOwnChannelWithinTheWindow) {
    const Bytes data(20, 7);
    EXPECT_EQ(verdict(EnetDatagram(0).send_unreliable(0, 0, 5, data).forged(0), admitted()), DatagramFault::None);
    EXPECT_EQ(verdict(EnetDatagram(0).send_unreliable(1, 1, 5, data).forged(0), admitted()), DatagramFault::WrongChannel);
    EXPECT_EQ(verdict(EnetDatagram(0).send_unreliable(0, 3, 5, data).forged(0), admitted()), DatagramFault::OutOfWindow);
    EXPECT_EQ(verdict(EnetDatagram(0).send_reliable(1, 2, data).forged(0), admitted()), DatagramFault::None);
    EXPECT_EQ(verdict(EnetDatagram(0).send_reliable(1, 1, data).forged(0), admitted()), DatagramFault::None); // again
    EXPECT_EQ(verdict(EnetDatagram(0).send_reliable(0, 1, data).forged(0), admitted()), DatagramFault::WrongChannel);
    EXPECT_EQ(verdict(EnetDatagram(0).send_reliable(1, 1 + kMaxReliableAhead, data).forged(0), admitted()),
              DatagramFault::None);
    EXPECT_EQ(verdict(EnetDatagram(0).send_reliable(1, 2 + kMaxReliableAhead, data).forged(0), admitted()),
              DatagramFault::OutOfWindow);
    PeerView one_channel = admitted();
    one_channel.channel_count = 1;
    EXPECT_EQ(verdict(EnetDatagram(0).send_reliable(1, 2, data).forged(0), one_channel), DatagramFault::WrongChannel);
    EnetDatagram::Connect c;
    EXPECT_EQ(verdict(EnetDatagram(0).connect(1, c).forged(0), admitted()), DatagramFault::UnexpectedCommand);
}

TEST(EnetDatagram, FragmentsOnlyFromAnAdmittedPeerAndOnlyOfPacketsThatCouldExist) {
    const Bytes chunk(100, 1);
    EnetDatagram::Fragment f;
    f.start_sequence = 2;
    f.count = 4;
    f.number = 1;
    f.total_length = 1000;
    f.offset = 300;
    const auto fragment = [&](const EnetDatagram::Fragment& x) {
        return EnetDatagram(0).send_fragment(1, static_cast<std::uint16_t>(x.start_sequence + x.number), x, chunk).forged(0);
    };
    EXPECT_EQ(verdict(fragment(f), admitted()), DatagramFault::None);
    PeerView pending = admitted();
    pending.admitted = false;
    EXPECT_EQ(verdict(fragment(f), pending), DatagramFault::FragmentBeforeToken);
    auto bad = f;
    bad.count = 1'000'000; // the 128 KiB bitmap
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::FragmentOutOfBounds);
    bad = f;
    bad.count = 5; // ceil(1000 / 256) + 1 = 5 is the most
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::None);
    bad.count = 6;
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::FragmentOutOfBounds);
    bad = f;
    bad.number = 4;
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::FragmentOutOfBounds);
    bad = f;
    bad.total_length = 64 * 1024 + 1;
    bad.count = 200;
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::FragmentOutOfBounds);
    bad = f;
    bad.offset = 950; // 100 bytes from 950 do not fit in 1000
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::FragmentOutOfBounds);
    bad = f;
    bad.start_sequence = 2000; // far ahead of the channel
    EXPECT_EQ(verdict(fragment(bad), admitted()), DatagramFault::OutOfWindow);
    const Bytes unreliable_fragment = [&] {
        Bytes d = fragment(f);
        d[8] = (d[8] & 0xf0) | 12; // SEND_UNRELIABLE_FRAGMENT: inputs are never fragmented
        return d;
    }();
    EXPECT_EQ(verdict(unreliable_fragment, admitted()), DatagramFault::UnexpectedCommand);
}

TEST(EnetDatagram, BandwidthAndThrottleRequestsArePinned) {
    const Bytes d = EnetDatagram(0).bandwidth_limit(2, 1, 1).throttle_configure(3, 5000, 32, 32).forged(0);
    ParsedDatagram parsed;
    ASSERT_EQ(parse_datagram(d, parsed), DatagramFault::None);
    EXPECT_EQ(check_from_peer(parsed, d, admitted(), 64 * 1024), DatagramFault::None);
    EXPECT_TRUE(asks_other_limits(parsed, d));
    Bytes pinned = d;
    pin_limits(parsed, pinned);
    EXPECT_FALSE(asks_other_limits(parsed, pinned));
    const Bytes as_enet_sends = EnetDatagram(0).bandwidth_limit(2, 0, 0).throttle_configure(3, 5000, 0, 0).forged(0);
    EXPECT_EQ(pinned, as_enet_sends);
}
