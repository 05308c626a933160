// Admission over loopback with real client cores: who gets into a match, who
// is refused and why, and the same player connecting again.
#include "support/game_harness.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;
using client::ConnectionState;
using test::drive;
using test::GameHarness;

TEST(Admission, TheSamePlayerConnectingAgainReplacesTheOldConnection) {
    GameHarness h;
    h.start_match(1);
    auto first = h.client();
    ASSERT_TRUE(first->connect(h.ticket(5, 1), std::chrono::steady_clock::now()).has_value());
    ASSERT_TRUE(drive({first.get()}, 5s, [&] { return test::all_in_match({first.get()}); }));
    // A second connection with a fresh token of the same player, as after a
    // network change: it gets in, and the old one gives way.
    auto second = h.client();
    ASSERT_TRUE(second->connect(h.ticket(5, 1), std::chrono::steady_clock::now()).has_value());
    std::vector<client::GameClient*> both{first.get(), second.get()};
    ASSERT_TRUE(drive(both, 5s, [&] {
        return second->state() == ConnectionState::InMatch && second->latest_snapshot() &&
               first->state() == ConnectionState::Disconnected;
    }));
    EXPECT_NE(first->view().status.find("kicked"), std::string::npos) << first->view().status;
    EXPECT_EQ(second->view().local_id, sim::PlayerId{5});
    ASSERT_TRUE(drive({second.get()}, 2s, [&] {
        const auto stats = h.server().stats();
        return stats.kicked >= 1 && stats.players == 1;
    }));
    ASSERT_TRUE(drive({second.get()}, 2s, [&] { return second->latest_snapshot()->players.size() == 1; }))
        << "one player in the world, not two";
}

TEST(Admission, ATokenForAMatchThatIsNotRunningIsRefused) {
    GameHarness h;
    auto c = h.client();
    ASSERT_TRUE(c->connect(h.ticket(5, 42), std::chrono::steady_clock::now()).has_value());
    ASSERT_TRUE(drive({c.get()}, 5s, [&] { return c->state() == ConnectionState::Disconnected; }));
    EXPECT_NE(c->view().status.find("that match is not running"), std::string::npos) << c->view().status;
    ASSERT_TRUE(drive({c.get()}, 2s, [&] { return h.server().stats().rejected >= 1; }));
}
