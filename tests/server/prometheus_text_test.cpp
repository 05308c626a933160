// /metrics' text on its own: every metric issue 11 names is there with its
// type, the tick histogram is consistent with what the tick loop recorded,
// every rejection reason is a label, and a strict parser reads all of it.
#include "server/game/match_events.hpp"
#include "server/metrics/prometheus_text.hpp"
#include "support/prometheus_parse.hpp"

#include <gtest/gtest.h>

using namespace skirmish;

TEST(PrometheusText, HasEveryRequiredMetricWithItsType) {
    server::MetricsSample sample;
    sample.game.players = 3;
    sample.game.matches = 2;
    sample.game.spectators = 4;
    sample.lobby.connections_open = 5;
    sample.game.host.bytes_sent = 1000;
    sample.game.host.bytes_received = 700;
    sample.tick_rate_hz = 60;
    const auto scrape = test::parse_prometheus(server::render_prometheus(sample));
    ASSERT_TRUE(scrape.problems.empty()) << scrape.problems.front();
    const std::map<std::string, std::string> required = {
        {"skirmish_players", "gauge"},
        {"skirmish_spectators", "gauge"},
        {"skirmish_matches", "gauge"},
        {"skirmish_lobby_connections", "gauge"},
        {"skirmish_tick_duration_seconds", "histogram"},
        {"skirmish_tick_overruns_total", "counter"},
        {"skirmish_bytes_sent_total", "counter"},
        {"skirmish_bytes_received_total", "counter"},
        {"skirmish_rejections_total", "counter"},
    };
    for (const auto& [name, type] : required) {
        ASSERT_TRUE(scrape.types.contains(name)) << name;
        EXPECT_EQ(scrape.types.at(name), type) << name;
        EXPECT_FALSE(scrape.help.at(name).empty()) << name;
    }
    EXPECT_EQ(scrape.value("skirmish_players"), 3);
    EXPECT_EQ(scrape.value("skirmish_matches"), 2);
    EXPECT_EQ(scrape.value("skirmish_spectators"), 4);
    EXPECT_EQ(scrape.value("skirmish_lobby_connections"), 5);
    EXPECT_EQ(scrape.value("skirmish_bytes_sent_total"), 1000);
    EXPECT_EQ(scrape.value("skirmish_bytes_received_total"), 700);
    EXPECT_FALSE(scrape.types.contains("skirmish_event_log_dropped_total")) << "only with --event-log";
}

TEST(PrometheusText, TheTickHistogramMatchesWhatTheLoopRecorded) {
    server::TickMetrics ticks;
    const double works_ms[] = {0.1, 0.3, 0.3, 1.5, 3.0, 20.0, 400.0};
    double sum_s = 0;
    for (const double ms : works_ms) {
        ticks.record(ms, 0.0, 16.7);
        sum_s += ms / 1000.0;
    }
    server::MetricsSample sample;
    sample.game.tick_duration = ticks.histogram();
    const auto scrape = test::parse_prometheus(server::render_prometheus(sample));
    ASSERT_TRUE(scrape.problems.empty()) << scrape.problems.front();
    EXPECT_EQ(test::check_histogram(scrape, "skirmish_tick_duration_seconds"), "");
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_count"), 7);
    EXPECT_NEAR(*scrape.value("skirmish_tick_duration_seconds_sum"), sum_s, 1e-9);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "0.00025"}}), 1);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "0.0005"}}), 3);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "0.002"}}), 4);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "0.004"}}), 5);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "0.032"}}), 6);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "0.256"}}), 6);
    EXPECT_EQ(scrape.value("skirmish_tick_duration_seconds_bucket", {{"le", "+Inf"}}), 7);
    EXPECT_EQ(scrape.value("skirmish_tick_overruns_total"), 2) << "20 ms and 400 ms are over a 16.7 ms tick";
}

TEST(PrometheusText, EveryRejectionReasonIsALabelAndCarriesItsCount) {
    server::MetricsSample sample;
    sample.game.rejected_by_reason[static_cast<std::size_t>(protocol::RejectReason::TokenExpired)] = 4;
    sample.game.admission.hellos_rate_limited = 9;
    sample.lobby.wrong_passwords = 2;
    sample.lobby.refused_server_full = 1;
    const auto scrape = test::parse_prometheus(server::render_prometheus(sample));
    ASSERT_TRUE(scrape.problems.empty()) << scrape.problems.front();
    std::set<std::string> reasons;
    for (const auto& s : scrape.all("skirmish_rejections_total")) {
        ASSERT_TRUE(s.labels.contains("reason"));
        EXPECT_TRUE(reasons.insert(s.labels.at("reason")).second) << "reason twice: " << s.labels.at("reason");
    }
    for (std::size_t i = 0; i < server::kRejectReasons; ++i) {
        EXPECT_TRUE(reasons.contains(std::string(server::reject_label(static_cast<protocol::RejectReason>(i)))));
    }
    EXPECT_EQ(scrape.value("skirmish_rejections_total", {{"reason", "token_expired"}}), 4);
    EXPECT_EQ(scrape.value("skirmish_rejections_total", {{"reason", "hello_rate_limited"}}), 9);
    EXPECT_EQ(scrape.value("skirmish_rejections_total", {{"reason", "lobby_wrong_password"}}), 2);
    EXPECT_EQ(scrape.value("skirmish_rejections_total", {{"reason", "lobby_server_full"}}), 1);
    EXPECT_EQ(scrape.value("skirmish_rejections_total", {{"reason", "bad_token"}}), 0);
}

TEST(PrometheusText, TheEventLogsCountersAppearWithIt) {
    server::MetricsSample sample;
    sample.events = server::EventLogCounters{10, 3, 900, 0};
    const auto scrape = test::parse_prometheus(server::render_prometheus(sample));
    ASSERT_TRUE(scrape.problems.empty()) << scrape.problems.front();
    EXPECT_EQ(scrape.value("skirmish_event_log_lines_total"), 10);
    EXPECT_EQ(scrape.value("skirmish_event_log_dropped_total"), 3);
}

TEST(PrometheusText, TheResultsDatabasesCountersAppearWithIt) {
    server::MetricsSample sample;
    EXPECT_EQ(server::render_prometheus(sample).find("skirmish_results_"), std::string::npos) << "no database, none";
    sample.results = server::ResultsCounters{7, 1, 2, 3.5, 10.0};
    const auto scrape = test::parse_prometheus(server::render_prometheus(sample));
    ASSERT_TRUE(scrape.problems.empty()) << scrape.problems.front();
    EXPECT_EQ(scrape.value("skirmish_results_stored_total"), 7);
    EXPECT_EQ(scrape.value("skirmish_results_dropped_total"), 1);
    EXPECT_EQ(scrape.value("skirmish_results_errors_total"), 2);
}

TEST(PrometheusParse, RefusesWhatAScraperWouldRefuse) {
    EXPECT_FALSE(test::parse_prometheus("x 1\n").problems.empty()) << "no # TYPE";
    EXPECT_FALSE(test::parse_prometheus("# TYPE x counter\nx{a=b} 1\n").problems.empty()) << "unquoted label";
    EXPECT_FALSE(test::parse_prometheus("# TYPE x counter\nx one\n").problems.empty()) << "not a number";
    EXPECT_FALSE(test::parse_prometheus("# TYPE 1x counter\n").problems.empty()) << "bad name";
    const auto h = test::parse_prometheus("# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 4\n"
                                          "h_bucket{le=\"+Inf\"} 5\nh_sum 3\nh_count 5\n");
    EXPECT_TRUE(h.problems.empty());
    EXPECT_NE(test::check_histogram(h, "h"), "") << "counts fall";
}
