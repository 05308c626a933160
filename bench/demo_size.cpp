// bench/demo_size.cpp: how big a recorded match is (docs/DEMO.md, "Size").
// A real game server on 127.0.0.1 records one match (--record-dir) while
// PLAYERS bot brains (the load-test bots' Brain) play it through real
// GameClients over ENet for its whole time limit (the highest frag limit,
// out of their reach); two of them record their view. Each run's demo must re-simulate bit
// for bit. RUNS matches are played one after another (each bot seeded anew)
// and the medians printed. Not a timed benchmark: it takes as long as the
// matches.
//
//   build/release/bench/skirmish-demo-size [--players 8] [--seconds 300] [--tick-rate 60] [--runs 3]
#include "client/bots/brain.hpp"
#include "client/core/game_client.hpp"
#include "client/core/view_recording.hpp"
#include "server/game/game_server.hpp"
#include "shared/demo/replay.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/enet_library.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/protocol/version.hpp"
#include "shared/util/log_cli.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

using namespace skirmish;
namespace fs = std::filesystem;

namespace {

struct Settings {
    int players = 8;
    int seconds = 300;
    int tick_rate = 60;
    fs::path out;
};

struct RunFigures {
    double demo_bytes = 0;
    double minutes = 0;
    double bytes_per_minute = 0;
    double bytes_per_player_tick = 0;
    double view_bytes_per_s = 0; // per recording bot
};

std::uint64_t unix_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

util::Result<RunFigures, std::string> play_match(const net::EnetLibrary& enet, const sim::Map& map,
                                                 const Settings& s, int run, const util::Logger& log) {
    const fs::path dir = s.out / fmt::format("run-{}", run);
    fs::create_directories(dir / "views");
    server::GameConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.tick_rate_hz = s.tick_rate;
    config.snapshot_rate_hz = std::min(30, s.tick_rate);
    config.record_dir = (dir / "demos").string();
    const net::TokenKey key = net::generate_token_key();
    util::SteadyClock clock;
    auto game = server::GameServer::create(enet, config, {map}, key, log, clock, &unix_ms);
    if (!game) return util::fail(game.error());
    std::atomic<bool> stop{false};
    std::thread tick_thread([&] { (*game)->run(stop, std::chrono::milliseconds(500)); });

    server::MatchOrder order;
    order.match_id = protocol::MatchId{static_cast<std::uint32_t>(run)};
    order.room_id = protocol::RoomId{1};
    order.settings.map = map.name;
    order.settings.max_players = static_cast<std::uint8_t>(s.players);
    order.settings.frag_limit = protocol::kMaxFragLimit; // out of the bots' reach: the match lasts its time limit
    order.settings.time_limit_s = static_cast<std::uint16_t>(s.seconds);
    (*game)->start_match(order);

    std::vector<std::unique_ptr<client::ViewRecording>> views; // outlive the clients
    std::vector<std::unique_ptr<client::GameClient>> clients;
    std::vector<bots::Brain> brains;
    const auto start = std::chrono::steady_clock::now();
    std::string problem;
    for (int i = 0; i < s.players && problem.empty(); ++i) {
        net::TokenClaims claims;
        claims.player_id = static_cast<std::uint32_t>(100 + i);
        claims.room_id = 1;
        claims.match_id = protocol::to_int(order.match_id);
        claims.player_name = fmt::format("bot-{:04}", i + 1);
        claims.expires_unix_ms = unix_ms() + 10'000;
        auto c = std::make_unique<client::GameClient>(enet, client::ClientOptions{}, log.child("client"));
        if (i < 2) {
            views.push_back(std::make_unique<client::ViewRecording>(dir / "views", claims.player_name, unix_ms(), log));
            c->set_view_tap(views.back().get());
        }
        const client::MatchTicket ticket{"127.0.0.1", (*game)->port(),
                                         net::seal_token(claims, key, protocol::kProtocolVersion), claims.player_name};
        if (auto r = c->connect(ticket, start); !r) problem = r.error();
        clients.push_back(std::move(c));
        brains.emplace_back(static_cast<std::uint64_t>(run) * 1000 + static_cast<std::uint64_t>(i) + 1);
    }
    // Play until every client has seen the scoreboard (or a generous deadline).
    const auto deadline = start + std::chrono::seconds(s.seconds + 30);
    auto last = start;
    while (problem.empty() && std::chrono::steady_clock::now() < deadline) {
        const auto now = std::chrono::steady_clock::now();
        const double dt = util::to_seconds(now - last);
        last = now;
        bool all_over = true;
        for (std::size_t i = 0; i < clients.size(); ++i) {
            clients[i]->update(now, brains[i].think(clients[i]->view(), dt));
            all_over &= clients[i]->view().results.has_value();
        }
        if (all_over) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // a frame's pace, not synchronisation
    }
    for (std::size_t i = 0; i < views.size(); ++i) views[i]->finish(clients[i]->view(), std::chrono::steady_clock::now());
    for (auto& c : clients) c->leave();
    stop = true;
    tick_thread.join();
    if (!problem.empty()) return util::fail(problem);

    RunFigures f;
    std::size_t demos = 0;
    for (const auto& entry : fs::directory_iterator(dir / "demos")) {
        auto reader = demo::DemoReader::open(entry.path());
        if (!reader) return util::fail(reader.error());
        const demo::VerifyReport report = demo::verify(*reader);
        if (report.mismatches != 0 || report.ending != demo::Ending::Complete)
            return util::fail(fmt::format("{} does not verify: {} mismatches, {}", entry.path().string(),
                                          report.mismatches, report.ending_text));
        f.demo_bytes = static_cast<double>(fs::file_size(entry.path()));
        f.minutes = static_cast<double>(report.last_tick) / s.tick_rate / 60.0;
        f.bytes_per_minute = f.demo_bytes / f.minutes;
        f.bytes_per_player_tick = f.demo_bytes / s.players / report.last_tick;
        fmt::print("run {}: {}: {:.0f} bytes, {} ticks ({:.2f} min, ended by {}), {:.0f} bytes/min, {:.2f} bytes "
                   "per player-tick, verified bit for bit\n",
                   run, entry.path().string(), f.demo_bytes, report.last_tick, f.minutes,
                   report.results ? protocol::name(report.results->reason) : "?", f.bytes_per_minute,
                   f.bytes_per_player_tick);
        ++demos;
    }
    if (demos != 1) return util::fail(fmt::format("{} demos in {}, expected one", demos, (dir / "demos").string()));
    double view_bytes = 0;
    for (const auto& view : views) {
        if (auto path = view->path()) view_bytes += static_cast<double>(fs::file_size(*path));
    }
    f.view_bytes_per_s = view_bytes / static_cast<double>(views.size()) / (f.minutes * 60.0);
    fmt::print("run {}: view recordings: {:.0f} bytes per bot-second\n", run, f.view_bytes_per_s);
    return f;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-demo-size: the size of recorded matches of bots, played in full on a real server"};
    app.set_version_flag("--version", std::string("skirmish-demo-size ") + kVersion);
    Settings s;
    int runs = 3;
    std::string out_dir = (fs::temp_directory_path() / "skirmish-demo-size").string();
    app.add_option("--players", s.players, "Bots in the match")->check(CLI::Range(2, 16))->capture_default_str();
    app.add_option("--seconds", s.seconds, "The match's time limit")->check(CLI::Range(30, 3600))->capture_default_str();
    app.add_option("--tick-rate", s.tick_rate, "Server tick rate")->check(CLI::Range(10, 128))->capture_default_str();
    app.add_option("--runs", runs, "Matches to play, one after another")->check(CLI::Range(1, 99))->capture_default_str();
    app.add_option("--out", out_dir, "Where the demos and view files go (emptied first)")->capture_default_str();
    util::LogLevel level = util::LogLevel::Warn;
    util::add_log_level_option(app, level);
    CLI11_PARSE(app, argc, argv);
    s.out = out_dir;

    fs::remove_all(s.out);
    util::Logger log("demo-size", level);
    auto enet = net::EnetLibrary::initialize();
    if (!enet) {
        fmt::print(stderr, "skirmish-demo-size: {}\n", enet.error());
        return 1;
    }
    auto map = protocol::load_map_file(fs::path(kSourceDir) / "assets" / "maps" / "arena.json", sim::Rules{}.player_radius);
    if (!map) {
        fmt::print(stderr, "skirmish-demo-size: {}\n", map.error());
        return 2;
    }
    std::vector<double> bytes, per_minute, per_player_tick, view_per_s;
    for (int run = 1; run <= runs; ++run) {
        auto f = play_match(*enet, *map, s, run, log);
        if (!f) {
            fmt::print(stderr, "skirmish-demo-size: run {}: {}\n", run, f.error());
            return 1;
        }
        bytes.push_back(f->demo_bytes);
        per_minute.push_back(f->bytes_per_minute);
        per_player_tick.push_back(f->bytes_per_player_tick);
        view_per_s.push_back(f->view_bytes_per_s);
    }
    fmt::print("median of {} runs, {} players, {} s at {} Hz: demo {:.0f} bytes, {:.0f} bytes/min, {:.2f} bytes per "
               "player-tick; view recordings {:.0f} bytes per bot-second\n",
               runs, s.players, s.seconds, s.tick_rate, median(bytes), median(per_minute), median(per_player_tick),
               median(view_per_s));
    return 0;
}
