// server/main.cpp: skirmish-server's command line. Reads its options (the
// defaults, then --config FILE, then the flags: server/config/), loads the
// maps, starts the TCP lobby (its own thread) and the UDP game port (the tick
// thread) on one port number, and runs until SIGINT or SIGTERM: then every
// client is told why, everything is flushed, and it exits 0 within about two
// seconds. SIGHUP reads the config file again and applies what may change
// while running (docs/OPERATIONS.md, "Configuration").
// Exit 1: could not start (port in use, ...); exit 2: bad arguments, config or maps.
#include "server/config/admin_password.hpp"
#include "server/admin/console.hpp"
#include "server/config/server_settings.hpp"
#include "server/server.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/sim/rules.hpp"
#include "shared/util/file_limit.hpp"
#include "shared/util/log_cli.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <fmt/format.h>

#include <csignal>
#include <future>
#include <optional>
#include <unistd.h>
#include <iostream>
#include <map>

namespace {

using namespace skirmish;

constexpr int kCannotStart = 1;

// A value as --help shows its default.
std::string shown(const server::ConfigValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) return v ? "on" : "off";
            else if constexpr (std::is_same_v<T, std::string>) return v;
            else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                std::string out;
                for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
                return out;
            } else {
                return fmt::format("{}", v);
            }
        },
        value);
}

std::string type_name(server::ValueKind kind) {
    switch (kind) {
    case server::ValueKind::Integer: return "INT";
    case server::ValueKind::Number: return "NUMBER";
    case server::ValueKind::Switch: return "on|off";
    case server::ValueKind::Text:
    case server::ValueKind::Lines: return "TEXT";
    case server::ValueKind::List: return "A,B,...";
    }
    return "TEXT";
}

int hash_password_from_stdin() {
    std::string password;
    if (!std::getline(std::cin, password) || password.empty()) {
        fmt::print(stderr, "skirmish-server: --hash-admin-password reads the password as one line on standard input "
                           "(e.g. read -rs P; echo \"$P\" | skirmish-server --hash-admin-password)\n");
        return util::kUsageExitCode;
    }
    auto hash = server::hash_admin_password(password);
    if (!hash) {
        fmt::print(stderr, "skirmish-server: {}\n", hash.error());
        return kCannotStart;
    }
    fmt::print("{}\n", *hash);
    return 0;
}

std::vector<std::string> names_of(const std::vector<sim::Map>& maps) {
    std::vector<std::string> out;
    for (const auto& m : maps) out.push_back(m.name);
    return out;
}

// SIGHUP (and the console's `reload`): the file again, the same flags on top;
// what may change live does. Returns the line it logged.
std::string reload(server::LoadedConfig& running, const server::CommandLineValues& flags,
                   const std::vector<std::string>& map_names, server::Server& server, util::Logger& log,
                   server::EventLog* events) {
    if (running.file.empty()) {
        log.warn("SIGHUP: there is no --config file to read again; nothing changed");
        return "there is no --config file to read again; nothing changed";
    }
    auto reloaded = server::load_config(running.file, flags);
    if (reloaded) {
        if (auto rotation = server::check_map_rotation(*reloaded, map_names); !rotation)
            reloaded = util::fail(rotation.error());
    }
    if (!reloaded) {
        log.error("config reload failed, nothing changed: {}", reloaded.error());
        return "config reload failed, nothing changed: " + reloaded.error();
    }
    const auto changes = server::diff_configs(running, *reloaded);
    server::LoadedConfig next = server::keep_restart_options(running, std::move(*reloaded));
    if (auto finished = server::finish_settings(next, &running); !finished) {
        log.error("config reload failed, nothing changed: {}", finished.error());
        return "config reload failed, nothing changed: " + finished.error();
    }
    if (auto applied = server.reconfigure(next.settings.server.hosting); !applied) {
        log.error("config reload failed, nothing changed: {}", applied.error());
        return "config reload failed, nothing changed: " + applied.error();
    }
    log.set_level(next.settings.log_level);
    std::string done = fmt::format("config reload from {}: {}", running.file, server::describe_changes(changes));
    log.info("{}", done);
    server::EventFields fields = {{"file", running.file}, {"applied", server::EventFields::array()},
                                  {"needs_restart", server::EventFields::array()}};
    for (const auto& c : changes) fields[c.apply == server::Apply::Live ? "applied" : "needs_restart"].push_back(c.key);
    server::emit_event(events, "config_reloaded", std::move(fields));
    running = std::move(next);
    return done;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-server: the authoritative Skirmish game server (TCP lobby + UDP game port)"};
    app.set_version_flag("--version", std::string("skirmish-server ") + skirmish::kVersion);
    std::string config_file;
    bool print_config = false, hash_admin_password = false, console_flag = false, no_console = false;
    app.add_option("--config", config_file,
                   "Read options from this TOML file: each key is a flag's name with _ for - (docs/OPERATIONS.md, "
                   "docs/server.toml); flags given here win. SIGHUP reads it again");
    app.add_flag("--print-config", print_config,
                 "Print the effective configuration (defaults, then the file, then the flags) as TOML, and exit");
    app.add_flag("--hash-admin-password", hash_admin_password,
                 "Read a password from standard input, print the hash to use as admin_password, and exit");
    app.add_flag("--console", console_flag,
                 "Read console commands from standard input even when it is not a terminal (a pipe); "
                 "by default the console runs only on a terminal");
    app.add_flag("--no-console", no_console, "No console, even on a terminal")->excludes("--console");
    const auto defaults = server::load_config("", {});
    std::map<std::string, std::string, std::less<>> flag_texts;
    for (const server::Option& o : server::config_options()) {
        if (o.flag.empty()) continue;
        CLI::Option* flag = app.add_option(std::string(o.flag), flag_texts[std::string(o.key)], o.help);
        flag->type_name(type_name(o.kind));
        if (!o.secret && defaults) flag->default_str(shown(o.get(defaults->settings)));
    }
    CLI11_PARSE(app, argc, argv);
    if (hash_admin_password) return hash_password_from_stdin();

    server::CommandLineValues flags;
    for (const server::Option& o : server::config_options()) {
        if (!o.flag.empty() && app.count(std::string(o.flag)) > 0)
            flags.emplace_back(std::string(o.key), flag_texts[std::string(o.key)]);
    }
    auto loaded = server::load_config(config_file, flags);
    if (!loaded) {
        fmt::print(stderr, "skirmish-server: {}\n", loaded.error());
        return util::kUsageExitCode;
    }
    server::LoadedConfig running = std::move(loaded).value();
    server::ServerSettings& settings = running.settings;
    const sim::Rules rules;
    auto maps = protocol::load_map_directory(settings.maps_dir, rules.player_radius);
    if (!maps) {
        fmt::print(stderr, "skirmish-server: {}\n", maps.error());
        return util::kUsageExitCode;
    }
    const std::vector<std::string> map_names = names_of(*maps);
    if (auto rotation = server::check_map_rotation(running, map_names); !rotation) {
        fmt::print(stderr, "skirmish-server: {}\n", rotation.error());
        return util::kUsageExitCode;
    }
    if (print_config) {
        fmt::print("{}", server::print_config(running));
        return 0;
    }
    if (auto finished = server::finish_settings(running); !finished) {
        fmt::print(stderr, "skirmish-server: {}\n", finished.error());
        return util::kUsageExitCode;
    }
    util::Logger log("skirmish-server", settings.log_level);
    std::unique_ptr<server::EventLog> events;
    if (!settings.event_log.empty()) {
        auto opened = server::EventLog::open(
            settings.event_log,
            [] {
                return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
            },
            log.child("events"));
        if (!opened) {
            fmt::print(stderr, "skirmish-server: event_log: {}\n", opened.error());
            return kCannotStart;
        }
        events = std::move(opened).value();
    }

    // The results database: one that cannot be opened stops the server (its
    // results would silently go nowhere); --db off runs without one.
    std::unique_ptr<server::ResultsStore> results;
    if (settings.db != "off") {
        auto opened = server::ResultsStore::open(settings.db, log.child("results"));
        if (!opened) {
            fmt::print(stderr, "skirmish-server: db: {}\n", opened.error());
            return kCannotStart;
        }
        results = std::move(opened).value();
    }

    // Bans: in the results database (table bans), or a file beside where it would be.
    auto bans = server::BanList::open(results ? server::make_database_ban_store(results->path())
                                              : server::make_file_ban_store(server::default_bans_path()));
    if (!bans) {
        fmt::print(stderr, "skirmish-server: bans: {}\n", bans.error());
        return kCannotStart;
    }

    server::ServerConfig config = settings.server;
    config.maps = std::move(maps).value();
    config.events = events.get();
    config.results = results.get();
    config.bans = bans->get();
    util::raise_file_limit(); // each player holds a TCP socket (lobby)
    auto enet = net::EnetLibrary::initialize();
    if (!enet) {
        fmt::print(stderr, "skirmish-server: {}\n", enet.error());
        return kCannotStart;
    }

    // asio's signal_set catches the signals whichever thread they land on and
    // hands them to this (main) thread's loop; set up before the threads.
    asio::io_context signals_io;
    asio::signal_set signals(signals_io, SIGINT, SIGTERM, SIGHUP);
    const std::size_t map_count = config.maps.size();
    // The console's and remote admins' `reload` runs here on the main thread,
    // as SIGHUP does; `quit` ends this thread's loop, as SIGTERM does.
    server::Server* started = nullptr;
    config.admin_hooks.reload = [&]() -> std::string {
        auto done = std::make_shared<std::promise<std::string>>();
        auto answer = done->get_future();
        asio::post(signals_io, [&, done] { done->set_value(reload(running, flags, map_names, *started, log, events.get())); });
        if (answer.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
            return "the reload did not finish within 5 s (is the server stopping?)";
        return answer.get();
    };
    config.admin_hooks.quit = [&] {
        log.info("quit from the console or an administrator: shutting down");
        signals_io.stop();
    };
    auto server = server::Server::start(*enet, std::move(config), log);
    if (!server) {
        fmt::print(stderr, "skirmish-server: {}\n", server.error());
        return kCannotStart;
    }
    started = server->get();
    fmt::print("skirmish-server {}: lobby on TCP and game on UDP port {}, {} maps{}. Ctrl+C stops it.\n",
               skirmish::kVersion, (*server)->port(), map_count,
               running.file.empty() ? std::string() : fmt::format(", config {}", running.file));
    if (const auto metrics = (*server)->metrics_port())
        fmt::print("metrics: http://{}:{}/metrics\n", settings.server.metrics->host, metrics);
    if (results) fmt::print("results: {}\n", results->path());
    fmt::print("bans: {}, {} in force\n", (*bans)->describe(), (*bans)->list(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count())).size());
    if (const auto discovery = (*server)->discovery_port())
        fmt::print("LAN discovery: UDP port {} (skirmish-query --lan finds this server)\n", discovery);
    std::fflush(stdout);

    std::function<void(const std::error_code&, int)> on_signal = [&](const std::error_code& ec, int signal) {
        if (ec) return;
        if (signal == SIGHUP) {
            reload(running, flags, map_names, **server, log, events.get());
            signals.async_wait(on_signal);
            return;
        }
        log.info("signal {}: shutting down", signal);
    };
    signals.async_wait(on_signal);
    std::optional<server::Console> console;
    // On a terminal only in the foreground: a server started with `&` that read
    // its controlling terminal would be stopped by SIGTTIN, game and all (a
    // terminal that is not the controlling one has no foreground: -1).
    const pid_t foreground = ::isatty(STDIN_FILENO) == 1 ? ::tcgetpgrp(STDIN_FILENO) : 0;
    const bool foreground_terminal = ::isatty(STDIN_FILENO) == 1 && (foreground == -1 || foreground == ::getpgrp());
    if (!no_console && (console_flag || foreground_terminal)) {
        console.emplace((*server)->admin(), STDIN_FILENO, stdout);
        console->start();
    }
    signals_io.run();
    if (console) console->stop();
    (*server)->stop();
    const auto game = (*server)->game_stats();
    const auto lobby = (*server)->lobby_stats();
    const auto& run = game.whole_run;
    log.info("stopped: {} lobby connections, {} matches; ticks with players: {}, work p50 {:.3f} p99 {:.3f} max "
             "{:.3f} ms, {} overruns; p50/p99 by phase: network {:.3f}/{:.3f}, step {:.3f}/{:.3f}, snapshots "
             "{:.3f}/{:.3f}, flush {:.3f}/{:.3f} ms",
             lobby.connections_accepted, lobby.matches_started, run.ticks, run.work_ms_p50, run.work_ms_p99,
             run.work_ms_max, run.overruns, run.phase_ms_p50[0], run.phase_ms_p99[0], run.phase_ms_p50[1],
             run.phase_ms_p99[1], run.phase_ms_p50[2], run.phase_ms_p99[2], run.phase_ms_p50[3], run.phase_ms_p99[3]);
    const auto& a = game.admission;
    std::uint64_t dropped = 0;
    for (const auto n : a.dropped) dropped += n;
    log.info("game port admission: {} Challenges sent ({} Hellos over the rate limits, {} malformed, {} of another "
             "version); {} CONNECTs let in, {} without their cookie dropped; {} datagrams dropped by the rules, {} "
             "with a wrong MAC, {} bandwidth or throttle requests pinned",
             a.challenges, a.hellos_rate_limited, a.hellos_malformed, a.hellos_wrong_version, a.connects,
             a.connects_bad_cookie, dropped, a.bad_mac, a.limits_pinned);
    log.info("queries: {} answered ({} bytes), {} without the sender's cookie, {} over the rate limits, {} malformed",
             a.query_replies, a.query_reply_bytes, a.queries_bad_cookie, a.queries_rate_limited, a.queries_malformed);
    if ((*server)->discovery_port() != 0) {
        const auto d = (*server)->discovery_counters();
        log.info("LAN discovery: {} probes ({} bytes), {} answered ({} bytes), {} malformed, {} over the rate limits",
                 d.probes, d.probe_bytes, d.answers, d.answer_bytes, d.malformed, d.rate_limited);
    }
    if (results) {
        const bool flushed = results->flush(std::chrono::seconds(5));
        const auto r = results->counters();
        log.info("results {}: {} matches stored (last insert {:.2f} ms, slowest {:.2f} ms), {} dropped, {} failed{}",
                 results->path(), r.written, r.last_insert_ms, r.max_insert_ms, r.dropped, r.errors,
                 flushed ? "" : "; some were still waiting for the disk after 5 s and are lost");
    }
    if (events) {
        events->flush(std::chrono::seconds(2));
        const auto written = events->counters();
        log.info("event log {}: {} lines written, {} dropped", events->path(), written.written, written.dropped);
    }
    return 0;
}
