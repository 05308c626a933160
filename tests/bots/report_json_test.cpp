// tests/bots/report_json_test.cpp: the bots' --report JSON, written with
// nlohmann::json. Its keys are the product's interface (scripts read them), so
// they are checked one by one, in order, along with how figures are written.
#include "client/bots/report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <vector>

using skirmish::bots::Report;
using Json = nlohmann::ordered_json;

namespace {

Report sample() {
    Report r;
    r.bots = 6;
    r.connected = 5;
    r.disconnects = 1;
    r.duration_s = 12.0;
    r.rtt_ms = {1.23456, 2.5, 3.0, 40.0};
    r.snapshots_per_s = {30.0, 29.5};
    r.snapshot_loss_pct = 0.125;
    r.down_bytes_per_s = {4096.75, 5000.0};
    r.up_bytes_per_s = {1500.0, 1600.0};
    r.corrections_per_min = 2.0;
    r.correction_units = {3.5, 20.25, 40.0};
    r.corrections_by_players_pct = 25.0;
    r.extrapolated_pct = 1.5;
    r.extrapolations_over_100ms = 2;
    r.snaps_per_min = 0.25;
    r.inputs = {.applied = 19998, .repeated = 2, .before_first = 30, .late = 1, .too_early = 0, .redundant = 4000,
                .matches = 3};
    r.server.tick_rate = 60;
    r.server.tick_ms = {0.1, 0.2, 0.9};
    r.server.overruns = 3;
    r.server.players = 6;
    r.server.ticks = 720;
    r.matches = 2;
    r.shots = 100;
    r.hits = 40;
    r.hit_agreement.shots = 100;
    r.hit_agreement.client_hits = 50;
    r.hit_agreement.confirmed_client_hits = 49;
    r.hit_agreement.phantom_hits = 3;
    r.hit_agreement.target_died_first = 1;
    r.hit_agreement.unresolved = 4;
    r.snapshot_bytes_mean = 123.4;
    r.server_address = "127.0.0.1:7777";
    r.room_size = 4;
    r.conditions.up.latency_ms = 50;
    r.conditions.down.loss_pct = 2.5;
    r.conditions.seed = 42;
    r.conditions.profile = "P3";
    r.problems = {"refused: \"full\"", "tab\there"};
    r.lobby_disconnects = 1;
    r.conditions.outages = {.length_ms = 500, .every_s = 20};
    r.schedule_steps = 4;
    r.schedule_changes = 9;
    r.relay = skirmish::net::RelayStats{};
    r.relay->up.packets_in = 1000;
    r.relay->up.dropped = 70;
    r.relay->up.cut_off = 25;
    r.relay->links_opened = 6;
    return r;
}

std::vector<std::string> keys(const Json& object) {
    std::vector<std::string> out;
    for (const auto& item : object.items()) out.push_back(item.key());
    return out;
}

} // namespace

TEST(ReportJson, KeepsEveryKeyInItsOrder) {
    const Json j = Json::parse(skirmish::bots::to_json(sample()));
    EXPECT_EQ(keys(j), (std::vector<std::string>{"bots", "connected", "disconnects", "duration_s", "rtt_ms",
                                                  "snapshots_per_s", "snapshot_loss_pct", "down_bytes_per_s",
                                                  "up_bytes_per_s", "corrections_per_min", "correction_units",
                                                  "corrections_by_players_pct", "extrapolated_pct",
                                                  "extrapolations_over_100ms", "snaps_per_min", "inputs", "server", "matches",
                                                  "shots", "hits", "client_hits", "confirmed_client_hits",
                                                  "hit_agreement_pct", "phantom_hits", "hit_agreement_unraced_pct",
                                                  "hit_disagreement",
                                                  "unresolved_shots", "snapshot_bytes_mean", "server_address",
                                                  "room_size", "threads", "conditions", "profile", "problems",
                                                  "lobby_disconnects", "schedule", "relay"}));
    EXPECT_EQ(keys(j["correction_units"]), (std::vector<std::string>{"mean", "p99", "max"}));
    EXPECT_EQ(keys(j["hit_disagreement"]), (std::vector<std::string>{"target_died_first", "target_killed_by_us",
                                                                      "shooter_died_first", "input_not_applied",
                                                                      "server_missed"}));
    EXPECT_EQ(keys(j["profile"]), (std::vector<std::string>{"name", "seed", "as_defined"}));
    EXPECT_EQ(keys(j["inputs"]), (std::vector<std::string>{"applied_pct", "repeated", "late", "too_early",
                                                            "redundant", "applied", "before_first", "matches"}));
    EXPECT_EQ(keys(j["rtt_ms"]), (std::vector<std::string>{"p50", "p90", "p99", "max"}));
    EXPECT_EQ(keys(j["snapshots_per_s"]), (std::vector<std::string>{"p50", "min"}));
    EXPECT_EQ(keys(j["down_bytes_per_s"]), (std::vector<std::string>{"mean", "p99"}));
    EXPECT_EQ(keys(j["up_bytes_per_s"]), (std::vector<std::string>{"mean", "p99"}));
    EXPECT_EQ(keys(j["server"]), (std::vector<std::string>{"tick_rate", "tick_ms", "overruns", "players", "ticks"}));
    EXPECT_EQ(keys(j["server"]["tick_ms"]), (std::vector<std::string>{"p50", "p99", "max"}));
    EXPECT_EQ(keys(j["conditions"]), (std::vector<std::string>{"up", "down", "seed", "outages"}));
    EXPECT_EQ(keys(j["conditions"]["outages"]), (std::vector<std::string>{"length_ms", "every_s"}));
    EXPECT_EQ(keys(j["schedule"]), (std::vector<std::string>{"steps", "changes"}));
    EXPECT_EQ(keys(j["relay"]), (std::vector<std::string>{"up", "down", "links_opened"}));
    EXPECT_EQ(keys(j["relay"]["up"]), (std::vector<std::string>{"packets_in", "delivered", "dropped", "cut_off",
                                                                 "duplicated", "reordered", "overflowed",
                                                                 "send_errors"}));
    for (const char* direction : {"up", "down"})
        EXPECT_EQ(keys(j["conditions"][direction]),
                  (std::vector<std::string>{"latency_ms", "jitter_ms", "loss_pct", "dup_pct", "reorder_pct"}));
}

TEST(ReportJson, WritesTheFigures) {
    const Json j = Json::parse(skirmish::bots::to_json(sample()));
    EXPECT_EQ(j["bots"], 6);
    EXPECT_EQ(j["connected"], 5);
    EXPECT_EQ(j["disconnects"], 1);
    EXPECT_DOUBLE_EQ(j["rtt_ms"]["p50"].get<double>(), 1.235); // three decimals, as before
    EXPECT_DOUBLE_EQ(j["rtt_ms"]["max"].get<double>(), 40.0);
    EXPECT_DOUBLE_EQ(j["snapshot_loss_pct"].get<double>(), 0.125);
    EXPECT_DOUBLE_EQ(j["down_bytes_per_s"]["mean"].get<double>(), 4096.75);
    EXPECT_EQ(j["server"]["tick_rate"], 60);
    EXPECT_EQ(j["server"]["ticks"], 720);
    EXPECT_DOUBLE_EQ(j["server"]["tick_ms"]["max"].get<double>(), 0.9);
    EXPECT_EQ(j["server_address"], "127.0.0.1:7777");
    EXPECT_DOUBLE_EQ(j["conditions"]["up"]["latency_ms"].get<double>(), 50.0);
    EXPECT_DOUBLE_EQ(j["conditions"]["down"]["loss_pct"].get<double>(), 2.5);
    EXPECT_EQ(j["conditions"]["seed"], 42);
    EXPECT_EQ(j["problems"], (Json{"refused: \"full\"", "tab\there"})); // escaped and read back whole
    EXPECT_EQ(j["lobby_disconnects"], 1);
    EXPECT_DOUBLE_EQ(j["conditions"]["outages"]["length_ms"].get<double>(), 500.0);
    EXPECT_DOUBLE_EQ(j["conditions"]["outages"]["every_s"].get<double>(), 20.0);
    EXPECT_EQ(j["schedule"]["steps"], 4);
    EXPECT_EQ(j["schedule"]["changes"], 9);
    EXPECT_EQ(j["relay"]["up"]["packets_in"], 1000);
    EXPECT_EQ(j["relay"]["up"]["dropped"], 70);
    EXPECT_EQ(j["relay"]["up"]["cut_off"], 25);
    EXPECT_EQ(j["relay"]["links_opened"], 6);
    EXPECT_EQ(j["shots"], 100);
    EXPECT_EQ(j["client_hits"], 50);
    EXPECT_EQ(j["confirmed_client_hits"], 49);
    EXPECT_DOUBLE_EQ(j["hit_agreement_pct"].get<double>(), 98.0);
    EXPECT_EQ(j["phantom_hits"], 3);
    EXPECT_EQ(j["hit_disagreement"]["target_died_first"], 1);
    EXPECT_DOUBLE_EQ(j["hit_agreement_unraced_pct"].get<double>(), 100.0); // 49 of the 49 no kill raced
    EXPECT_EQ(j["unresolved_shots"], 4);
    EXPECT_DOUBLE_EQ(j["correction_units"]["p99"].get<double>(), 20.25);
    EXPECT_DOUBLE_EQ(j["corrections_by_players_pct"].get<double>(), 25.0);
    EXPECT_DOUBLE_EQ(j["extrapolated_pct"].get<double>(), 1.5);
    EXPECT_EQ(j["extrapolations_over_100ms"], 2);
    EXPECT_DOUBLE_EQ(j["snaps_per_min"].get<double>(), 0.25);
    EXPECT_DOUBLE_EQ(j["inputs"]["applied_pct"].get<double>(), 99.99); // of the ticks after each first input
    EXPECT_EQ(j["inputs"]["repeated"], 2);
    EXPECT_EQ(j["inputs"]["late"], 1);
    EXPECT_EQ(j["inputs"]["too_early"], 0);
    EXPECT_EQ(j["inputs"]["redundant"], 4000);
    EXPECT_EQ(j["inputs"]["applied"], 19998);
    EXPECT_EQ(j["inputs"]["before_first"], 30);
    EXPECT_EQ(j["inputs"]["matches"], 3);
    EXPECT_EQ(j["profile"]["name"], "P3");
    EXPECT_EQ(j["profile"]["seed"], 42);
    EXPECT_EQ(j["profile"]["as_defined"], false) << "P3's settings were changed";
}

TEST(ReportJson, NoDataIsNullAndBrokenTextStillWrites) {
    Report r = sample();
    r.rtt_ms.p99 = std::numeric_limits<double>::quiet_NaN();
    r.snapshots_per_s.min = std::numeric_limits<double>::infinity();
    r.problems = {"bad \xff byte"};
    r.server_address = "";
    const Json j = Json::parse(skirmish::bots::to_json(r));
    EXPECT_TRUE(j["rtt_ms"]["p99"].is_null());
    EXPECT_TRUE(j["snapshots_per_s"]["min"].is_null());
    EXPECT_EQ(j["problems"][0], "bad \xef\xbf\xbd byte"); // U+FFFD for the byte that is not UTF-8
    EXPECT_EQ(j["server_address"], "");
}

TEST(ReportJson, AnEmptyReportIsValidJson) {
    const std::string text = skirmish::bots::to_json(Report{});
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    const Json j = Json::parse(text);
    EXPECT_EQ(j["bots"], 0);
    EXPECT_TRUE(j["problems"].is_array());
    EXPECT_TRUE(j["problems"].empty());
    EXPECT_TRUE(j["relay"].is_null()); // no conditioner, no relay figures
    EXPECT_TRUE(j["hit_agreement_pct"].is_null()) << "no shot seen to hit: no agreement to tell";
    EXPECT_TRUE(j["profile"]["name"].is_null());
    EXPECT_TRUE(j["inputs"]["applied_pct"].is_null()) << "no ServerStats: nothing applied to tell";
}
