// ConnectionSlots without sockets: who is refused, who is evicted to make room
// for a newcomer, and how addresses are counted.
#include "server/lobby/connection_slots.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace skirmish;
using server::ConnectionSlots;
using server::SessionId;
using Verdict = ConnectionSlots::Verdict;
using Eviction = ConnectionSlots::Eviction;

namespace {

server::SlotLimits small_limits() {
    return {.max_players = 4, .max_players_per_address = 2, .max_handshakes = 3, .max_handshakes_per_address = 2};
}

const ConnectionSlots::Spare kNoneSpared = [](SessionId) { return false; };

SessionId id(std::uint64_t n) { return SessionId{n}; }

} // namespace

TEST(ConnectionSlots, HandshakesAndPlayersAreCountedApart) {
    ConnectionSlots slots(small_limits());
    EXPECT_EQ(slots.admit(id(1), "10.0.0.1", kNoneSpared).verdict, Verdict::Admitted);
    EXPECT_EQ(slots.admit(id(2), "10.0.0.2", kNoneSpared).verdict, Verdict::Admitted);
    EXPECT_EQ(slots.handshakes(), 2u);
    slots.welcome(id(1));
    EXPECT_EQ(slots.handshakes(), 1u);
    EXPECT_EQ(slots.players(), 1u);
    slots.release(id(1));
    slots.release(id(2));
    slots.release(id(99)); // unknown: ignored
    EXPECT_EQ(slots.handshakes(), 0u);
    EXPECT_EQ(slots.players(), 0u);
}

TEST(ConnectionSlots, AFullHandshakePoolEvictsTheOldestOfTheBusiestAddress) {
    ConnectionSlots slots(small_limits());
    slots.admit(id(1), "10.0.0.1", kNoneSpared); // oldest overall, but its address holds one
    slots.admit(id(2), "10.0.0.2", kNoneSpared);
    slots.admit(id(3), "10.0.0.2", kNoneSpared);
    const auto admission = slots.admit(id(4), "10.0.0.3", kNoneSpared);
    EXPECT_EQ(admission.verdict, Verdict::Admitted);
    ASSERT_TRUE(admission.evicted.has_value());
    EXPECT_EQ(*admission.evicted, id(2));
    EXPECT_EQ(admission.why, Eviction::HandshakesFull);
    EXPECT_EQ(slots.handshakes(), 3u);
    EXPECT_EQ(slots.handshakes_from("10.0.0.2"), 1u);
    // Now every address holds one: the oldest goes.
    const auto next = slots.admit(id(5), "10.0.0.4", kNoneSpared);
    ASSERT_TRUE(next.evicted.has_value());
    EXPECT_EQ(*next.evicted, id(1));
}

TEST(ConnectionSlots, AnAddressAtItsShareEvictsItsOwnOldest) {
    ConnectionSlots slots(small_limits());
    slots.admit(id(1), "10.0.0.9", kNoneSpared);
    slots.admit(id(2), "10.0.0.1", kNoneSpared);
    slots.admit(id(3), "10.0.0.1", kNoneSpared);
    const auto admission = slots.admit(id(4), "10.0.0.1", kNoneSpared);
    ASSERT_TRUE(admission.evicted.has_value());
    EXPECT_EQ(*admission.evicted, id(2));
    EXPECT_EQ(admission.why, Eviction::AddressHandshakesFull);
    EXPECT_EQ(slots.handshakes_from("10.0.0.1"), 2u);
    EXPECT_EQ(slots.handshakes_from("10.0.0.9"), 1u); // the other address keeps its slot
}

TEST(ConnectionSlots, AHandshakeAboutToSayHelloIsSparedWhileAnotherCanGo) {
    ConnectionSlots slots(small_limits());
    slots.admit(id(1), "10.0.0.1", kNoneSpared);
    slots.admit(id(2), "10.0.0.2", kNoneSpared);
    slots.admit(id(3), "10.0.0.3", kNoneSpared);
    // All hold one; 1 and 2 have bytes waiting, so 3 goes although it is the youngest.
    const auto admission = slots.admit(id(4), "10.0.0.4", [](SessionId s) { return s != id(3); });
    ASSERT_TRUE(admission.evicted.has_value());
    EXPECT_EQ(*admission.evicted, id(3));
    // When every candidate is about to say Hello, the oldest of the busiest still goes.
    const auto all_spared = slots.admit(id(5), "10.0.0.5", [](SessionId) { return true; });
    ASSERT_TRUE(all_spared.evicted.has_value());
    EXPECT_EQ(*all_spared.evicted, id(1));
}

TEST(ConnectionSlots, PlayersAreRefusedAtTheirCapsAtAcceptAndAtHello) {
    ConnectionSlots slots(small_limits());
    for (std::uint64_t n = 1; n <= 2; ++n) {
        slots.admit(id(n), "10.0.0.1", kNoneSpared);
        EXPECT_EQ(slots.check_welcome(id(n)), Verdict::Admitted);
        slots.welcome(id(n));
    }
    EXPECT_EQ(slots.admit(id(3), "10.0.0.1", kNoneSpared).verdict, Verdict::AddressFull);
    EXPECT_EQ(slots.handshakes(), 0u); // a refused connection takes no slot
    // Two handshakes from another address, then the server fills up under them.
    slots.admit(id(4), "10.0.0.2", kNoneSpared);
    slots.admit(id(5), "10.0.0.2", kNoneSpared);
    slots.admit(id(6), "10.0.0.3", kNoneSpared);
    slots.welcome(id(6));
    slots.welcome(id(4));
    EXPECT_EQ(slots.players(), 4u);
    EXPECT_EQ(slots.check_welcome(id(5)), Verdict::ServerFull);
    EXPECT_EQ(slots.admit(id(7), "10.0.0.4", kNoneSpared).verdict, Verdict::ServerFull);
    slots.release(id(1));
    EXPECT_EQ(slots.check_welcome(id(5)), Verdict::Admitted);
}

TEST(ConnectionSlots, ChurnKeepsThePoolsBounded) {
    ConnectionSlots slots(small_limits());
    std::set<std::uint64_t> open;
    for (std::uint64_t n = 1; n <= 2000; ++n) {
        const auto admission = slots.admit(id(n), "10.0." + std::to_string(n % 7) + ".1", kNoneSpared);
        ASSERT_EQ(admission.verdict, Verdict::Admitted);
        if (admission.evicted) open.erase(static_cast<std::uint64_t>(*admission.evicted));
        open.insert(n);
        ASSERT_LE(slots.handshakes(), 3u);
        ASSERT_EQ(open.size(), slots.handshakes());
    }
}

TEST(ConnectionSlots, AddressesAreIPv4OrAnIPv6Slash64) {
    EXPECT_EQ(server::address_key(asio::ip::make_address("192.0.2.7")), "192.0.2.7");
    EXPECT_EQ(server::address_key(asio::ip::make_address("::ffff:192.0.2.7")), "192.0.2.7");
    EXPECT_EQ(server::address_key(asio::ip::make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), "2001:db8:1:2::/64");
    EXPECT_EQ(server::address_key(asio::ip::make_address("2001:db8:1:2::1")),
              server::address_key(asio::ip::make_address("2001:db8:1:2:ffff::9")));
    EXPECT_EQ(server::address_key(asio::ip::make_address("::1")), "::/64");
}
