// client/bots/main.cpp: skirmish-bots, headless players for load tests.
//
//   skirmish-bots --server 127.0.0.1:7777 --bots N --duration S [--ramp-per-s R]
//                 [--room-size K] [conditioner flags] [--conditions-schedule FILE]
//                 [--threads N] [--report report.json]
//                 [--max-rtt-p99-ms X] [--min-connected N] ...
//
// Exit status: 0 all thresholds met, 3 a threshold missed, 2 bad usage,
// 1 the run could not happen (nothing connected).
#include "client/bots/fleet.hpp"
#include "shared/net/conditioner_cli.hpp"
#include "shared/net/enet_library.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/util/file_limit.hpp"
#include "shared/util/log_cli.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

std::atomic<bool> g_stop{false}; // set by the signal handler: the one global a signal needs

void on_signal(int) { g_stop = true; }

bool any_conditions(const skirmish::net::ConditionerConfig& c) {
    for (const auto* l : {&c.up, &c.down}) {
        if (l->latency_ms > 0 || l->jitter_ms > 0 || l->loss_pct > 0 || l->dup_pct > 0 || l->reorder_pct > 0) return true;
    }
    return c.outages.enabled();
}

// The schedule file, read whole (capped) and parsed; the error is for a person.
skirmish::util::Result<skirmish::net::ConditionsSchedule, std::string> load_schedule(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return skirmish::util::fail(fmt::format("cannot read the conditions schedule {}: does it exist?", path));
    std::string text(skirmish::net::kMaxScheduleBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto schedule = skirmish::net::ConditionsSchedule::parse(text);
    if (!schedule) return skirmish::util::fail(fmt::format("conditions schedule {}: {}", path, schedule.error()));
    return schedule;
}

bool split_host_port(const std::string& text, std::string& host, std::uint16_t& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        host = text;
        return true;
    }
    host = text.substr(0, colon);
    try {
        const int p = std::stoi(text.substr(colon + 1));
        if (p < 1 || p > 65535) return false;
        port = static_cast<std::uint16_t>(p);
    } catch (...) {
        return false;
    }
    return !host.empty();
}

} // namespace

int main(int argc, char** argv) {
    using namespace skirmish;
    CLI::App app{"skirmish-bots: headless players that load-test a skirmish-server through the real lobby and "
                 "game port, with a live line every second and a JSON report"};
    app.set_version_flag("--version", std::string("skirmish-bots ") + kVersion);
    std::string server = "127.0.0.1:7777";
    bots::FleetOptions options;
    std::string report_path;
    util::LogLevel level = util::LogLevel::Warn;
    bots::Thresholds thresholds;
    app.add_option("--server", server, "Server address HOST:PORT (lobby TCP and game UDP share the port)")
        ->capture_default_str();
    app.add_option("--bots", options.bots, "How many bots")->check(CLI::Range(1, 4000))->capture_default_str();
    app.add_option("--duration", options.duration_s, "Seconds to run")->check(CLI::Range(1.0, 86400.0))
        ->capture_default_str();
    app.add_option("--ramp-per-s", options.ramp_per_s, "Bots started per second (0: all at once)")
        ->check(CLI::Range(0.0, 100000.0))->capture_default_str();
    app.add_option("--room-size", options.room_size, "Players per room the bots create with quick play")
        ->check(CLI::Range(2, 16))->capture_default_str();
    options.threads = bots::available_cores();
    app.add_option("--threads", options.threads,
                   "Threads the bots are shared over (default: the cores this process may use)")
        ->check(CLI::Range(1, 256))->capture_default_str();
    app.add_option("--frame-rate", options.frame_rate_hz,
                   "Frames a second each bot runs, as a display paces a person's client (0: as fast as it can, up "
                   "to 500); inputs still go out every tick")
        ->check(CLI::Range(0.0, 500.0))->capture_default_str();
    app.add_option("--password", options.password, "The server's password, if it has one");
    app.add_option("--name-prefix", options.name_prefix,
                   "Bots are named PREFIX-0001, PREFIX-0002, ... (give each bots process on a server its own)")
        ->check([](const std::string& p) {
            return !p.empty() && protocol::lobby::is_valid_name(p + "-0000", protocol::kMaxNameBytes)
                       ? std::string()
                       : std::string("a prefix is 1 to 19 bytes of text without control characters");
        })
        ->capture_default_str();
    app.add_option("--report", report_path, "Write the results as JSON to this file");
    util::add_log_level_option(app, level);
    app.add_flag("--no-prediction{false}", options.client.prediction.enabled, "Bots do not predict their own player");
    app.add_flag("--no-smoothing{false}", options.client.prediction.smoothing, "Corrections snap instead of blending");
    app.add_flag("--no-interpolation{false}", options.client.interpolation.enabled, "Bots see the newest snapshot");
    app.add_option("--input-rate", options.client.input_rate_hz,
                   "Input packets a second per bot (0: one every tick); fewer carry more ticks each (docs/NETCODE.md)")
        ->check(CLI::Range(0, 128))->capture_default_str();
    net::add_conditioner_options(app, options.conditions);
    std::string schedule_path;
    app.add_option("--conditions-schedule", schedule_path,
                   "Cycle the conditioner through the steps of this file while running, one per line: "
                   "SECONDS SETTING=VALUE..., e.g. \"60 latency-ms=25 jitter-ms=10 loss-pct=1\" (docs/NETCODE.md)")
        ->group("Network conditioner (per direction: --up-* client→server, --down-* server→client)");
    app.add_option("--record-view-dir", options.record_view_dir,
                   "Record what sampled bots saw, one <match>-<player>-<name>.skview per match (docs/DEMO.md)");
    app.add_option("--record-view-sample", options.record_view_sample,
                   "How many bots record their view (spread over the fleet)")
        ->check(CLI::Range(1, 4000))->capture_default_str();
    app.add_option("--max-rtt-p99-ms", thresholds.max_rtt_p99_ms, "Fail (exit 3) if RTT p99 is above this");
    app.add_option("--min-connected", thresholds.min_connected, "Fail if fewer bots end connected");
    app.add_option("--max-disconnects", thresholds.max_disconnects, "Fail if more connections drop");
    app.add_option("--min-snapshot-rate", thresholds.min_snapshot_rate, "Fail if the slowest bot gets fewer snapshots/s");
    app.add_option("--max-snapshot-loss-pct", thresholds.max_snapshot_loss_pct, "Fail if snapshot loss is above this");
    app.add_option("--max-down-bytes-per-s", thresholds.max_down_bytes_per_s, "Fail if mean downstream per bot is above");
    app.add_option("--max-server-tick-p99-ms", thresholds.max_server_tick_p99_ms, "Fail if the server tick p99 is above");
    CLI11_PARSE(app, argc, argv);

    if (!split_host_port(server, options.server_host, options.server_port)) {
        fmt::print(stderr, "skirmish-bots: '{}' is not HOST:PORT (e.g. 127.0.0.1:7777)\n", server);
        return 2;
    }
    if (auto valid = net::validate(options.conditions); !valid) {
        fmt::print(stderr, "skirmish-bots: {}\n", valid.error());
        return 2;
    }
    if (!schedule_path.empty()) {
        auto schedule = load_schedule(schedule_path);
        if (!schedule) {
            fmt::print(stderr, "skirmish-bots: {}\n", schedule.error());
            return 2;
        }
        options.schedule = std::move(schedule).value();
    }
    options.conditioned = any_conditions(options.conditions) || options.schedule.has_value();
    if (!options.record_view_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(options.record_view_dir, ec);
        if (ec || !std::filesystem::is_directory(options.record_view_dir)) {
            fmt::print(stderr, "skirmish-bots: --record-view-dir {}: cannot create it ({}): give a directory you can "
                               "write to\n",
                       options.record_view_dir, ec ? ec.message() : "a file is in the way");
            return 2;
        }
    }
    util::Logger log("bots", level);
    util::raise_file_limit(static_cast<std::uint64_t>(options.bots) * 3 + 64); // a TCP and a UDP socket each
    auto enet = net::EnetLibrary::initialize();
    if (!enet) {
        fmt::print(stderr, "skirmish-bots: {}\n", enet.error());
        return 1;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    fmt::print("skirmish-bots {}: {} bots against {} for {:.0f} s (rooms of {}, ramp {}/s, {} threads){}{}\n", kVersion,
               options.bots, server, options.duration_s, options.room_size, options.ramp_per_s,
               std::min(options.threads, options.bots),
               options.conditioned ? ", through the conditioner" : "",
               options.conditions.profile.empty()
                   ? std::string()
                   : fmt::format(", profile {} seed {}", options.conditions.profile, options.conditions.seed));
    if (options.conditions.outages.enabled()) fmt::print("outages: {}\n", net::describe(options.conditions.outages));
    bots::Fleet fleet(*enet, options, log);
    const bots::Report report = fleet.run(g_stop);
    fmt::print("\n{}", bots::to_table(report));
    if (!report_path.empty()) {
        std::ofstream out(report_path);
        out << bots::to_json(report);
        if (!out) {
            fmt::print(stderr, "skirmish-bots: cannot write the report to {}\n", report_path);
            return 1;
        }
        fmt::print("report written to {}\n", report_path);
    }
    if (report.connected == 0) {
        fmt::print(stderr, "skirmish-bots: no bot got into a match at {}: {}\n", server,
                   report.problems.empty() ? std::string("is skirmish-server running?") : report.problems.front());
        return 1;
    }
    const auto missed = bots::check(report, thresholds);
    for (const auto& m : missed) fmt::print(stderr, "threshold missed: {}\n", m);
    return missed.empty() ? 0 : 3;
}
