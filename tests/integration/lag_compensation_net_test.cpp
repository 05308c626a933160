// Lag compensation over a real 150 ms round trip: a player firing at where it
// sees a moving target hits it (server-confirmed) at least 95 % of the time
// with compensation on, and clearly less with it off.
#include "support/game_harness.hpp"

#include "shared/net/udp_relay.hpp"
#include "shared/sim/quantise.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace skirmish;
using namespace std::chrono_literals;
using test::drive;
using test::GameHarness;

namespace {

struct Outcome {
    std::uint64_t fired = 0;
    std::uint64_t hit = 0;
    double rate() const { return fired ? static_cast<double>(hit) / static_cast<double>(fired) : 0.0; }
};

Outcome shoot_at_a_strafing_target(bool lag_compensation) {
    server::GameConfig config;
    config.lag_compensation = lag_compensation;
    config.base_rules.rifle_damage = 1; // nobody dies: every shot is at a live, moving target
    config.base_rules.max_health = 1000;
    config.base_rules.spawn_protection_s = 0; // every shot from the first counts
    GameHarness h(config, {*test::open_map()});
    protocol::MatchSettings settings;
    settings.map = "open";
    h.start_match(1, settings);

    net::RelayConfig relay_config;
    relay_config.forward_port = h.server().port();
    relay_config.conditions.up.latency_ms = relay_config.conditions.down.latency_ms = 75; // 150 ms RTT
    auto relay = net::UdpRelay::start(relay_config).value();

    auto shooter = h.client();
    auto target = h.client();
    auto shooter_ticket = h.ticket(1, 1);
    auto target_ticket = h.ticket(2, 1);
    shooter_ticket.port = target_ticket.port = relay->port();
    EXPECT_TRUE(shooter->connect(shooter_ticket, std::chrono::steady_clock::now()).has_value());
    std::vector<client::GameClient*> both{shooter.get()};
    EXPECT_TRUE(drive(both, 10s, [&] { return test::all_in_match(both); }));
    EXPECT_TRUE(target->connect(target_ticket, std::chrono::steady_clock::now()).has_value());
    both.push_back(target.get());
    EXPECT_TRUE(drive(both, 10s, [&] {
        return test::all_in_match(both) && shooter->view().players.size() == 2 && target->view().players.size() == 2;
    }));

    // The target strafes across the shooter's line of sight; the shooter aims
    // at where it sees the target (its interpolated position) and holds fire.
    int frame = 0;
    const auto act = [&](std::size_t i) {
        client::InputIntent in;
        if (i == 1) {
            const int leg = (++frame / 250) % 2; // ~0.4 s each way
            in.move_x = static_cast<std::int8_t>(leg ? 90 : -90);
            in.move_y = static_cast<std::int8_t>(leg ? -90 : 90);
            return in;
        }
        const auto& view = shooter->view();
        const auto* me = view.local();
        for (const auto& p : view.players) {
            if (p.local || !me) continue;
            const sim::Vec2 d = p.state.position - me->state.position;
            in.aim = sim::aim_from_radians(std::atan2(d.y, d.x));
            in.fire = true;
        }
        return in;
    };
    drive(both, 8s, [] { return false; }, act);
    drive(both, 1s, [&] { return false; }); // let the last shots land
    const auto stats = h.server().stats();
    Outcome out;
    if (auto it = stats.shots_by_player.find(sim::PlayerId{1}); it != stats.shots_by_player.end()) {
        out.fired = it->second.fired;
        out.hit = it->second.hit;
    }
    EXPECT_EQ(shooter->hits_confirmed(), out.hit) << "every server hit is confirmed to the shooter";
    return out;
}

} // namespace

TEST(LagCompensationOverTheNetwork, HitsWhatThePlayerSawAt150MsRtt) {
    const Outcome on = shoot_at_a_strafing_target(true);
    const Outcome off = shoot_at_a_strafing_target(false);
    std::printf("lag compensation on: %llu/%llu hits (%.0f %%), off: %llu/%llu (%.0f %%)\n",
                static_cast<unsigned long long>(on.hit), static_cast<unsigned long long>(on.fired), 100 * on.rate(),
                static_cast<unsigned long long>(off.hit), static_cast<unsigned long long>(off.fired), 100 * off.rate());
    ASSERT_GE(on.fired, 30u);
    ASSERT_GE(off.fired, 30u);
    EXPECT_GE(on.rate(), 0.95);
    EXPECT_LE(off.rate(), 0.6);
    EXPECT_GE(on.rate() - off.rate(), 0.35);
}
