// What a host watches, during and after a real bot match: a Server with
// --metrics-address and --event-log on 127.0.0.1, bots playing quick-play
// rooms whose default frag limit (the host's room settings) ends a match at
// its first kill. /metrics is scraped over HTTP while they play and read by a
// strict parser (the histogram's buckets, count and sum agree; counters rise);
// /healthz and /readyz answer; then the event log is read line by line: the
// server's start and stop, lobby joins and leaves, rooms, match start, players
// joining, kills with both players' positions and the shot's rewind, and the
// match end with its scoreboard.
#include "client/bots/fleet.hpp"
#include "server/server.hpp"
#include "support/prometheus_parse.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

using namespace skirmish;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::uint64_t unix_ms() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

struct Http {
    explicit Http(std::uint16_t port) : client("127.0.0.1", port) {
        client.set_connection_timeout(5, 0);
        client.set_read_timeout(5, 0);
    }
    // Status and body, or status 0 if nothing answered.
    std::pair<int, std::string> get(const std::string& path) {
        const auto res = client.Get(path.c_str());
        if (!res) return {0, {}};
        return {res->status, res->body};
    }
    httplib::Client client;
};

std::vector<Json> read_events(const fs::path& file) {
    std::vector<Json> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        auto j = Json::parse(line, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
        if (!j.is_discarded()) out.push_back(std::move(j));
    }
    return out;
}

bool has_frag_limit_end(const std::vector<Json>& events) {
    for (const auto& e : events)
        if (e["type"] == "match_end" && e["reason"] == "frag_limit") return true;
    return false;
}

void expect_player_at(const Json& p, const std::set<std::string>& names) {
    ASSERT_TRUE(p.is_object()) << p;
    EXPECT_TRUE(p["player_id"].is_number_unsigned()) << p;
    EXPECT_TRUE(names.contains(p["name"].get<std::string>())) << p;
    EXPECT_TRUE(p["x"].is_number() && p["y"].is_number()) << p;
    EXPECT_GE(p["x"].get<double>(), 0.0);
    EXPECT_LE(p["x"].get<double>(), 1000.0);
    EXPECT_GE(p["y"].get<double>(), 0.0);
    EXPECT_LE(p["y"].get<double>(), 1000.0);
}

} // namespace

TEST(Observability, MetricsWhileBotsPlayAndTheEventLogAfterwards) {
    std::string pattern = (fs::temp_directory_path() / "skirmish-observe-XXXXXX").string();
    const fs::path dir = mkdtemp(pattern.data());
    const fs::path event_file = dir / "events.jsonl";
    auto enet = net::EnetLibrary::initialize().value();
    util::Logger log("test", util::LogLevel::Warn);
    auto events = server::EventLog::open(event_file.string(), unix_ms, log.child("events")).value();

    server::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.maps = {*test::open_map()};
    config.hosting.room_defaults.frag_limit = 1; // the host's quick-play rooms: a match ends at its first kill
    config.shutdown_grace = 300ms;
    config.metrics = server::MetricsAddress{"127.0.0.1", 0};
    config.events = events.get();
    auto server = server::Server::start(enet, config, log).value();
    ASSERT_NE(server->metrics_port(), 0);
    Http http(server->metrics_port());

    auto [health, health_text] = http.get("/healthz");
    EXPECT_EQ(health, 200);
    const auto ready_deadline = std::chrono::steady_clock::now() + 10s;
    std::pair<int, std::string> ready;
    while ((ready = http.get("/readyz")).first != 200 && std::chrono::steady_clock::now() < ready_deadline) {
        std::this_thread::sleep_for(20ms); // the tick loop's first tick
    }
    EXPECT_EQ(ready.first, 200) << ready.second;
    EXPECT_EQ(ready.second.rfind("ready: lobby on TCP port", 0), 0u) << ready.second;
    EXPECT_EQ(http.get("/nothing").first, 404);

    const auto first = test::parse_prometheus(http.get("/metrics").second);
    ASSERT_TRUE(first.problems.empty()) << first.problems.front();

    bots::FleetOptions options;
    options.server_port = server->port();
    options.bots = 4;
    options.room_size = 4;
    options.duration_s = 40;
    options.ramp_per_s = 0;
    options.live = nullptr;
    bots::Fleet fleet(enet, options, log);
    std::atomic<bool> stop{false};
    bots::Report report;
    std::thread players([&] { report = fleet.run(stop); });

    // Scrape while they play: until four are in a match, then until a kill
    // has ended one (the event log says so), at most 40 s.
    std::optional<test::PromScrape> playing, later;
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto [status, body] = http.get("/metrics");
        ASSERT_EQ(status, 200);
        auto scrape = test::parse_prometheus(body);
        ASSERT_TRUE(scrape.problems.empty()) << scrape.problems.front();
        ASSERT_EQ(test::check_histogram(scrape, "skirmish_tick_duration_seconds"), "");
        if (!playing && scrape.value("skirmish_players").value_or(0) >= 4) {
            playing = std::move(scrape);
        } else if (playing && events->flush(5s) && has_frag_limit_end(read_events(event_file))) {
            later = std::move(scrape);
            break;
        }
        std::this_thread::sleep_for(100ms); // a scrape interval (Prometheus takes seconds)
    }
    stop = true;
    players.join();
    ASSERT_TRUE(playing) << "four bots never played at once";
    ASSERT_TRUE(later) << "no match ended by a kill within 40 s";

    EXPECT_GE(playing->value("skirmish_matches").value_or(0), 1);
    EXPECT_GE(playing->value("skirmish_lobby_connections").value_or(0), 4);
    for (const char* counter : {"skirmish_bytes_sent_total", "skirmish_bytes_received_total",
                                "skirmish_tick_duration_seconds_count", "skirmish_tick_duration_seconds_sum",
                                "skirmish_matches_started_total"}) {
        EXPECT_GT(*playing->value(counter), *first.value(counter)) << counter << " did not rise";
        EXPECT_GE(*later->value(counter), *playing->value(counter)) << counter << " fell";
    }
    EXPECT_GT(*later->value("skirmish_bytes_sent_total"), *playing->value("skirmish_bytes_sent_total"));
    EXPECT_GT(*later->value("skirmish_tick_duration_seconds_count"),
              *playing->value("skirmish_tick_duration_seconds_count"));
    EXPECT_GT(later->value("skirmish_event_log_lines_total").value_or(0), 0);
    EXPECT_EQ(later->value("skirmish_event_log_dropped_total"), 0);
    EXPECT_EQ(later->value("skirmish_rejections_total", {{"reason", "bad_token"}}), 0);
    EXPECT_EQ(report.connected, 4u);

    server->stop();
    EXPECT_FALSE(server->readiness().ready);
    EXPECT_EQ(server->readiness().text, "not ready: the server is shutting down");
    EXPECT_EQ(http.get("/healthz").first, 0) << "the endpoint stops with the server";
    events.reset(); // writes out what is queued

    // --- the event log, line by line ---
    const auto lines = read_events(event_file);
    ASSERT_GE(lines.size(), 10u);
    const std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
    for (const auto& e : lines) {
        ASSERT_TRUE(e.is_object());
        EXPECT_EQ(e.begin().key(), "time");
        EXPECT_TRUE(std::regex_match(e["time"].get<std::string>(), rfc3339)) << e;
        EXPECT_TRUE(e["type"].is_string()) << e;
    }
    EXPECT_EQ(lines.front()["type"], "server_start");
    EXPECT_EQ(lines.front()["port"], server->port());
    EXPECT_EQ(lines.back()["type"], "server_stop");

    std::set<std::string> names;
    std::set<std::uint32_t> started_matches;
    std::map<std::string, int> count;
    int kills_checked = 0, ends_checked = 0;
    for (const auto& e : lines) {
        const std::string type = e["type"];
        ++count[type];
        if (type == "lobby_join") names.insert(e["name"].get<std::string>());
        if (type == "match_start") {
            started_matches.insert(e["match_id"].get<std::uint32_t>());
            EXPECT_EQ(e["frag_limit"], 1) << "the room defaults";
            EXPECT_EQ(e["map"], "open");
            EXPECT_GE(e["players"].size(), 2u) << e;
        }
        if (type == "player_joined") {
            EXPECT_TRUE(started_matches.contains(e["match_id"].get<std::uint32_t>())) << e;
            EXPECT_TRUE(names.contains(e["name"].get<std::string>())) << e;
        }
        if (type == "kill") {
            EXPECT_TRUE(started_matches.contains(e["match_id"].get<std::uint32_t>())) << e;
            expect_player_at(e["killer"], names);
            expect_player_at(e["victim"], names);
            EXPECT_NE(e["killer"]["player_id"], e["victim"]["player_id"]);
            ASSERT_TRUE(e["rewind_ms"].is_number_integer()) << e;
            EXPECT_GE(e["rewind_ms"].get<int>(), 0);
            EXPECT_LE(e["rewind_ms"].get<int>(), 300) << "max rewind 200 ms + interpolation up to 100 ms";
            EXPECT_TRUE(e["hit"]["x"].is_number()) << e;
            ++kills_checked;
        }
        if (type == "match_end") {
            EXPECT_TRUE(started_matches.contains(e["match_id"].get<std::uint32_t>())) << e;
            const auto& board = e["scoreboard"];
            ASSERT_TRUE(board.is_array()) << e;
            for (std::size_t i = 0; i < board.size(); ++i) {
                EXPECT_TRUE(names.contains(board[i]["name"].get<std::string>())) << e;
                EXPECT_TRUE(board[i]["deaths"].is_number_integer()) << e;
                if (i > 0) {
                    EXPECT_GE(board[i - 1]["frags"].get<int>(), board[i]["frags"].get<int>()) << "sorted";
                }
            }
            if (e["reason"] == "frag_limit") {
                ASSERT_FALSE(board.empty()) << e;
                EXPECT_EQ(board[0]["frags"], 1) << e;
                ++ends_checked;
            } else {
                // A later match the bots had not finished: cut by the shutdown (or left empty).
                EXPECT_TRUE(e["reason"] == "server_shutdown" || e["reason"] == "not_enough_players") << e;
            }
        }
    }
    EXPECT_EQ(count["server_start"], 1);
    EXPECT_EQ(count["server_stop"], 1);
    EXPECT_EQ(names.size(), 4u);
    EXPECT_EQ(count["lobby_join"], 4);
    EXPECT_EQ(count["lobby_leave"], 4);
    EXPECT_GE(count["room_created"], 1);
    EXPECT_EQ(count["room_created"], count["room_removed"]) << "every room emptied when the bots left";
    EXPECT_GE(count["match_start"], 1);
    EXPECT_EQ(count["match_start"], count["match_end"]) << "every match ends, if only by the shutdown";
    EXPECT_GE(count["player_joined"], 4);
    EXPECT_GE(count["player_left"], 4);
    EXPECT_GE(kills_checked, 1);
    EXPECT_GE(ends_checked, 1);
    EXPECT_EQ(count["events_dropped"], 0);
    fs::remove_all(dir);
}

TEST(Observability, ReadyzSaysWhyWhenTheServerIsNotReady) {
    server::MetricsEndpoint::Handlers handlers;
    handlers.metrics = [] { return std::string("# nothing\n"); };
    handlers.readiness = [] { return server::Readiness{false, "not ready: the tick loop last finished a tick 2500 ms ago"}; };
    auto endpoint = server::MetricsEndpoint::start({"127.0.0.1", 0}, handlers, util::Logger("test", util::LogLevel::Off))
                        .value();
    Http http(endpoint->port());
    const auto [status, body] = http.get("/readyz");
    EXPECT_EQ(status, 503);
    EXPECT_EQ(body, "not ready: the tick loop last finished a tick 2500 ms ago\n");
    EXPECT_EQ(http.get("/healthz").first, 200);
    // Many connections at once are served by two workers, none refused, none lost.
    std::vector<std::thread> clients;
    std::atomic<int> answered{0};
    for (int i = 0; i < 40; ++i)
        clients.emplace_back([&] {
            Http h(endpoint->port());
            if (h.get("/metrics").first == 200) ++answered;
        });
    for (auto& t : clients) t.join();
    EXPECT_EQ(answered.load(), 40);
    endpoint->stop();
}

TEST(Observability, TheMetricsAddressIsParsedAndLoopbackByDefault) {
    EXPECT_EQ(server::parse_metrics_address("9100")->host, "127.0.0.1");
    EXPECT_EQ(server::parse_metrics_address(":9100")->host, "127.0.0.1");
    EXPECT_EQ(server::parse_metrics_address(":9100")->port, 9100);
    EXPECT_EQ(server::parse_metrics_address("0.0.0.0:80")->host, "0.0.0.0");
    EXPECT_EQ(server::parse_metrics_address("[::1]:9100")->host, "::1");
    EXPECT_FALSE(server::parse_metrics_address("::1:9100"));
    EXPECT_FALSE(server::parse_metrics_address("host:"));
    EXPECT_FALSE(server::parse_metrics_address("host:65536"));
    auto taken = server::MetricsEndpoint::start({"127.0.0.1", 0}, {[] { return std::string(); }, [] {
                                                      return server::Readiness{true, "ready"};
                                                  }},
                                                util::Logger("test", util::LogLevel::Off))
                     .value();
    auto again = server::MetricsEndpoint::start({"127.0.0.1", taken->port()}, {}, util::Logger("test", util::LogLevel::Off));
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().find("cannot listen for metrics on 127.0.0.1:"), std::string::npos) << again.error();
}
