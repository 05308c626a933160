// Issue 12's figures over real ENet through the conditioner at profile P3
// (150 ms RTT, 25 ms jitter, 5 % loss and duplication each way): a shooter's
// hits seen are confirmed by the server and the client reads the server's
// verdicts exactly; a bot fleet's report has every figure by its name.
#include "client/bots/fleet.hpp"
#include "server/server.hpp"
#include "shared/net/latency_profiles.hpp"
#include "shared/net/udp_relay.hpp"
#include "shared/sim/quantise.hpp"
#include "support/game_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace skirmish;
using namespace std::chrono_literals;
using test::drive;
using test::GameHarness;

namespace {
const net::ConditionerConfig kP3 = net::conditions_of(*net::find_latency_profile("P3"));
} // namespace

TEST(HitAgreementOverTheNetwork, TheServerConfirmsTheHitsAShooterSawAtP3) {
    server::GameConfig config;
    config.base_rules.rifle_damage = 1; // nobody dies: no kill races, every shot at a live target
    config.base_rules.max_health = 1000;
    GameHarness h(config, {*test::open_map()});
    protocol::MatchSettings settings;
    settings.map = "open";
    h.start_match(1, settings);

    net::RelayConfig relay_config;
    relay_config.forward_port = h.server().port();
    relay_config.conditions = kP3;
    auto relay = net::UdpRelay::start(relay_config).value();

    auto shooter = h.client();
    auto target = h.client();
    auto shooter_ticket = h.ticket(1, 1);
    auto target_ticket = h.ticket(2, 1);
    shooter_ticket.port = target_ticket.port = relay->port();
    ASSERT_TRUE(shooter->connect(shooter_ticket, std::chrono::steady_clock::now()).has_value());
    ASSERT_TRUE(target->connect(target_ticket, std::chrono::steady_clock::now()).has_value());
    std::vector<client::GameClient*> both{shooter.get(), target.get()};
    ASSERT_TRUE(drive(both, 15s, [&] {
        return test::all_in_match(both) && shooter->view().players.size() == 2 && target->view().players.size() == 2;
    }));

    // The target strafes; the shooter aims at where it sees the target and holds fire.
    int frame = 0;
    const auto act = [&](std::size_t i) {
        client::InputIntent in;
        if (i == 1) {
            const int leg = (++frame / 250) % 2;
            in.move_x = static_cast<std::int8_t>(leg ? 90 : -90);
            in.move_y = static_cast<std::int8_t>(leg ? -90 : 90);
            return in;
        }
        const auto* me = shooter->view().local();
        for (const auto& p : shooter->view().players) {
            if (p.local || !me) continue;
            const sim::Vec2 d = p.state.position - me->state.position;
            in.aim = sim::aim_from_radians(std::atan2(d.y, d.x));
            in.fire = true;
        }
        return in;
    };
    drive(both, 7s, [] { return false; }, act);
    drive(both, 2s, [] { return false; }); // the last shots' verdicts arrive

    const client::HitCounts& c = shooter->hit_counts();
    const auto stats = h.server().stats();
    const auto server_shots = stats.shots_by_player.find(1);
    ASSERT_NE(server_shots, stats.shots_by_player.end());
    std::printf("P3: %llu shots, %llu seen to hit, %llu confirmed (%.1f %%), %llu phantom, %llu unresolved; refused: "
                "%llu missed, %llu input not applied; server: %llu fired, %llu hit\n",
                static_cast<unsigned long long>(c.shots), static_cast<unsigned long long>(c.client_hits),
                static_cast<unsigned long long>(c.confirmed_client_hits), c.agreement_pct(),
                static_cast<unsigned long long>(c.phantom_hits), static_cast<unsigned long long>(c.unresolved),
                static_cast<unsigned long long>(c.server_missed), static_cast<unsigned long long>(c.input_not_applied),
                static_cast<unsigned long long>(server_shots->second.fired),
                static_cast<unsigned long long>(server_shots->second.hit));
    ASSERT_GE(c.client_hits, 25u);
    EXPECT_GE(c.agreement_pct(), 95.0);
    EXPECT_EQ(c.target_died_first + c.shooter_died_first, 0u) << "nobody died";
    // The verdicts were read exactly: every server hit is a confirmed or a
    // phantom hit of ours, unless its snapshots were too far apart to tell.
    EXPECT_LE(c.confirmed_client_hits + c.phantom_hits, server_shots->second.hit);
    EXPECT_LE(server_shots->second.hit, c.confirmed_client_hits + c.phantom_hits + c.unresolved);
    EXPECT_GT(relay->stats().down.duplicated, 0u) << "P3 duplicates";
}

TEST(NetcodeFigures, AFleetAtP3ReportsEveryFigureByItsName) {
    auto enet = net::EnetLibrary::initialize().value();
    util::Logger log("test", util::LogLevel::Warn);
    server::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.maps = {*test::open_map()};
    config.shutdown_grace = 300ms;
    auto server = server::Server::start(enet, config, log).value();

    bots::FleetOptions options;
    options.server_port = server->port();
    options.bots = 4;
    options.room_size = 4;
    options.duration_s = 8;
    options.ramp_per_s = 0;
    options.live = nullptr;
    options.conditions = kP3;
    options.conditioned = true;
    bots::Fleet fleet(enet, options, log);
    const std::atomic<bool> stop{false};
    const bots::Report report = fleet.run(stop);
    ASSERT_EQ(report.connected, 4u);

    const auto j = nlohmann::json::parse(bots::to_json(report));
    for (const char* key : {"shots", "client_hits", "confirmed_client_hits", "phantom_hits", "extrapolated_pct",
                            "snaps_per_min", "corrections_per_min"})
        EXPECT_TRUE(j.contains(key) && j[key].is_number()) << key;
    for (const char* key : {"mean", "p99", "max"}) EXPECT_TRUE(j["correction_units"][key].is_number()) << key;
    EXPECT_GT(j["shots"].get<double>(), 0);
    EXPECT_GT(j["client_hits"].get<double>(), 0) << "four bots in the open see each other and fire";
    ASSERT_TRUE(j["hit_agreement_pct"].is_number());
    EXPECT_GT(j["hit_agreement_pct"].get<double>(), 0);
    EXPECT_LE(j["hit_agreement_pct"].get<double>(), 100);
    EXPECT_EQ(j["profile"]["name"], "P3");
    EXPECT_EQ(j["profile"]["seed"], kP3.seed);
    EXPECT_EQ(j["profile"]["as_defined"], true);
    ASSERT_TRUE(report.relay.has_value());
    EXPECT_GT(report.relay->up.dropped, 0u) << "P3 loses packets";
}
