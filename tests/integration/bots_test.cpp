// skirmish-bots' machinery against a real server: a small fleet plays through
// the lobby and the game port, and the report has the keys scripts read.
#include "client/bots/fleet.hpp"
#include "server/server.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace std::chrono_literals;

TEST(Bots, AFleetPlaysAndReportsEveryRequiredKey) {
    auto enet = net::EnetLibrary::initialize().value();
    util::Logger log("test", util::LogLevel::Warn);
    server::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.maps = {*test::open_map(), *test::wall_map()};
    config.shutdown_grace = 300ms;
    auto server = server::Server::start(enet, config, log).value();

    bots::FleetOptions options;
    options.server_port = server->port();
    options.bots = 6;
    options.room_size = 3;
    options.duration_s = 6;
    // A ramp, so the second thread runs before its first bot is due (its
    // io_context has nothing to do at first and must still serve it later).
    options.ramp_per_s = 10;
    options.live = nullptr;
    options.threads = 2; // bots 1, 3, 5 on one thread, 2, 4, 6 on the other: one report from both
    bots::Fleet fleet(enet, options, log);
    const std::atomic<bool> stop{false};
    const bots::Report report = fleet.run(stop);

    EXPECT_EQ(report.bots, 6u);
    EXPECT_EQ(report.threads, 2);
    EXPECT_EQ(report.connected, 6u);
    EXPECT_EQ(report.disconnects, 0u);
    EXPECT_GE(report.matches, 2u);
    EXPECT_GT(report.snapshots_per_s.min, 25.0);
    EXPECT_LE(report.snapshots_per_s.p50, 31.0);
    EXPECT_GT(report.down_bytes_per_s.mean, 0.0);
    EXPECT_GT(report.rtt_ms.max, 0.0);
    EXPECT_EQ(report.server.tick_rate, 60);
    EXPECT_GE(report.server.players, 6u);
    EXPECT_GT(report.shots, 0u);

    const std::string json = bots::to_json(report);
    for (const char* key : {"\"bots\"", "\"connected\"", "\"disconnects\"", "\"duration_s\"", "\"rtt_ms\"", "\"p50\"",
                            "\"p90\"", "\"p99\"", "\"max\"", "\"snapshots_per_s\"", "\"min\"", "\"snapshot_loss_pct\"",
                            "\"down_bytes_per_s\"", "\"mean\"", "\"up_bytes_per_s\"", "\"corrections_per_min\"",
                            "\"server\"", "\"tick_rate\"", "\"tick_ms\"", "\"overruns\"", "\"players\""})
        EXPECT_NE(json.find(key), std::string::npos) << key;

    // Thresholds: met ones pass, a missed one says by how much.
    bots::Thresholds met;
    met.min_connected = 6;
    met.max_disconnects = 0;
    EXPECT_TRUE(bots::check(report, met).empty());
    bots::Thresholds missed;
    missed.min_connected = 7;
    missed.max_rtt_p99_ms = 0.0;
    const auto failures = bots::check(report, missed);
    ASSERT_EQ(failures.size(), 2u);
    EXPECT_NE(failures[0].find("is over --max-rtt-p99-ms 0.0"), std::string::npos) << failures[0];
    EXPECT_NE(failures[1].find("6 bots connected, fewer than --min-connected 7"), std::string::npos) << failures[1];
}

TEST(Bots, NoServerIsAClearProblemNotAHang) {
    auto enet = net::EnetLibrary::initialize().value();
    util::Logger log("test", util::LogLevel::Off);
    bots::FleetOptions options;
    options.server_port = 1; // nothing listens there
    options.bots = 2;
    options.duration_s = 2;
    options.ramp_per_s = 0;
    options.live = nullptr;
    bots::Fleet fleet(enet, options, log);
    const std::atomic<bool> stop{false};
    const bots::Report report = fleet.run(stop);
    EXPECT_EQ(report.connected, 0u);
    ASSERT_FALSE(report.problems.empty());
    EXPECT_NE(report.problems[0].find("refused"), std::string::npos) << report.problems[0];
}

// With conditions, every bot's game traffic takes the fleet's one relay to the
// game port, each bot on its own link, and the added latency shows in the RTT.
TEST(Bots, AConditionedFleetSharesOneRelayWithALinkPerBot) {
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
    options.room_size = 2;
    options.duration_s = 4;
    options.ramp_per_s = 0;
    options.live = nullptr;
    options.conditions.up.latency_ms = options.conditions.down.latency_ms = 20;
    options.conditioned = true;
    options.threads = 2; // two bot threads route their games through the one route
    bots::Fleet fleet(enet, options, log);
    const std::atomic<bool> stop{false};
    const bots::Report report = fleet.run(stop);

    EXPECT_EQ(report.connected, 4u);
    ASSERT_NE(fleet.route(), nullptr);
    EXPECT_EQ(fleet.route()->relays(), 1u) << "one game endpoint, one relay";
    const auto relay = fleet.route()->stats();
    ASSERT_TRUE(relay.has_value());
    EXPECT_EQ(relay->links_opened, 4u) << "a link per bot";
    EXPECT_GT(relay->up.delivered, 0u);
    EXPECT_GE(report.rtt_ms.p50, 40.0) << "20 ms each way";
}

// The soak's code paths for a few seconds (bench/soak.sh runs them for as long
// as asked): a schedule changes the relay's conditions while the fleet plays,
// and 500 ms outages cut both directions. ENet's timeout is seconds, so an
// outage of 500 ms must not drop anyone.
TEST(Bots, AFleetUnderAScheduleAndOutagesStaysConnected) {
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
    options.room_size = 2;
    options.duration_s = 7;
    options.ramp_per_s = 0;
    options.live = nullptr;
    options.conditions.outages = {.length_ms = 500, .every_s = 2};
    options.schedule = net::ConditionsSchedule::parse("1.5 latency-ms=25 jitter-ms=10 loss-pct=1 dup-pct=1\n"
                                                      "1.5 latency-ms=125 jitter-ms=30 loss-pct=10 reorder-pct=5\n")
                           .value();
    options.conditioned = true;
    bots::Fleet fleet(enet, options, log);
    const std::atomic<bool> stop{false};
    const bots::Report report = fleet.run(stop);

    EXPECT_EQ(report.connected, 4u);
    EXPECT_EQ(report.disconnects, 0u) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(report.schedule_steps, 2u);
    EXPECT_GE(report.schedule_changes, 4u) << "7 s of 1.5 s steps";
    ASSERT_TRUE(report.relay.has_value());
    EXPECT_GT(report.relay->up.cut_off, 0u) << "at least three outages in 7 s";
    EXPECT_GT(report.relay->down.cut_off, 0u);
    EXPECT_GT(report.relay->up.duplicated, 0u);
    EXPECT_GT(report.relay->down.reordered, 0u);
}
