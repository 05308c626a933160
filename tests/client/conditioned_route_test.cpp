// client/core/conditioned_route: a player's game traffic detoured through
// the in-process conditioner relay: one relay per game endpoint, shared by
// everyone on the route; the desktop client's route keeps one; a relay that
// cannot start means playing without it, said in words. Real sockets on
// 127.0.0.1, ephemeral ports.
#include "client/core/conditioned_route.hpp"

#include <gtest/gtest.h>

using namespace skirmish;

namespace {

client::MatchTicket ticket(std::uint16_t port) {
    client::MatchTicket t;
    t.address = "127.0.0.1";
    t.port = port;
    t.token = {1, 2, 3};
    t.name = "ada";
    return t;
}

net::ConditionerConfig latency(double ms) {
    net::ConditionerConfig c;
    c.up.latency_ms = c.down.latency_ms = ms;
    return c;
}

util::Logger quiet() { return util::Logger("test", util::LogLevel::Off); }

} // namespace

TEST(ConditionedRoute, OneRelayPerGameEndpointSharedByEveryTicket) {
    client::ConditionedRoute route(latency(10), quiet());
    EXPECT_FALSE(route.stats().has_value());
    const client::RoutedTicket a = route.route(ticket(40001));
    const client::RoutedTicket b = route.route(ticket(40001));
    ASSERT_TRUE(a.problem.empty()) << a.problem;
    EXPECT_EQ(a.ticket.address, "127.0.0.1");
    EXPECT_NE(a.ticket.port, 40001);
    EXPECT_EQ(a.ticket.port, b.ticket.port) << "the same relay";
    EXPECT_EQ(a.ticket.token, ticket(0).token);
    EXPECT_EQ(a.ticket.name, "ada");
    const client::RoutedTicket c = route.route(ticket(40002));
    EXPECT_NE(c.ticket.port, a.ticket.port);
    EXPECT_EQ(route.relays(), 2u);
    ASSERT_TRUE(route.stats().has_value());
}

TEST(ConditionedRoute, TheDesktopsRouteKeepsOnlyTheLatestRelay) {
    client::ConditionedRoute route(latency(0), quiet(), 1);
    const auto first = route.route(ticket(40001));
    const auto second = route.route(ticket(40002));
    ASSERT_TRUE(first.problem.empty() && second.problem.empty());
    EXPECT_EQ(route.relays(), 1u);
    EXPECT_EQ(route.route(ticket(40002)).ticket.port, second.ticket.port);
}

TEST(ConditionedRoute, ARelayThatCannotStartMeansPlayingWithoutIt) {
    net::ConditionerConfig broken;
    broken.up.loss_pct = 150; // the relay refuses it
    client::ConditionedRoute route(broken, quiet());
    const client::RoutedTicket r = route.route(ticket(40001));
    EXPECT_EQ(r.ticket.port, 40001) << "straight to the server";
    EXPECT_NE(r.problem.find("the network conditioner could not start"), std::string::npos) << r.problem;
    EXPECT_NE(r.problem.find("playing without it"), std::string::npos) << r.problem;
    EXPECT_EQ(route.relays(), 0u);
}

TEST(ConditionedRoute, NewConditionsReachEveryRelayAndBadOnesChangeNothing) {
    client::ConditionedRoute route(latency(0), quiet());
    route.route(ticket(40001));
    ASSERT_TRUE(route.set_conditions(latency(40)).has_value());
    EXPECT_EQ(route.conditions().up.latency_ms, 40);
    net::ConditionerConfig bad = latency(40);
    bad.down.jitter_ms = -1;
    EXPECT_FALSE(route.set_conditions(bad).has_value());
    EXPECT_EQ(route.conditions().down.jitter_ms, 0);
}

TEST(ConditionedRoute, AGoodbyeWaitsForTheWayUpCappedAtTwoSeconds) {
    net::ConditionerConfig c = latency(80);
    c.up.jitter_ms = 20;
    client::ConditionedRoute route(c, quiet());
    EXPECT_EQ(route.goodbye_time(), util::Duration::zero()) << "no relay, nothing to wait for";
    route.route(ticket(40001));
    EXPECT_EQ(route.goodbye_time(), std::chrono::milliseconds(100));
    ASSERT_TRUE(route.set_conditions(latency(5000)).has_value());
    EXPECT_EQ(route.goodbye_time(), std::chrono::seconds(2));
}
