// client/app_sdl/main.cpp: skirmish-client, the desktop client.
//
//   skirmish-client [--connect HOST:PORT] [--name NAME] [--quick-play | --watch]
//                   [conditioner flags] [--no-prediction] [--no-smoothing] [--no-interpolation] [--input-rate HZ]
//                   [--ghosts] [--snapshots] [--rewinds] [--net-graph] [--study] [--screenshot FILE --screenshot-after SECONDS]
//                   [--demo FILE [--view VIEW_FILE [--print-shots]] [--demo-tick TICK]] [--demo-dir DIR]
//                   [--record-view FILE]
//
// Exit status: 0 closed normally (or the screenshot was written), 1 it could
// not start or the screenshot failed, 2 bad usage.
#include "client/app_sdl/app.hpp"
#include "shared/net/conditioner_cli.hpp"
#include "shared/net/enet_library.hpp"
#include "shared/util/log_cli.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <random>

#ifndef SKIRMISH_FONT_DIR
#define SKIRMISH_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

int main(int argc, char** argv) {
    using namespace skirmish;
    CLI::App cli{"skirmish-client: the Skirmish desktop client (lobby, match, net graph and study controls)"};
    cli.set_version_flag("--version", std::string("skirmish-client ") + kVersion);
    std::string connect, name, password, screenshot, settings_path, net_log, ui_log, demo, view, demo_dir,
        record_view;
    std::optional<std::uint32_t> demo_tick;
    bool print_shots = false;
    util::LogLevel level = util::LogLevel::Warn;
    double screenshot_after = 5.0;
    bool quick_play = false, no_prediction = false, no_smoothing = false, no_interpolation = false, ghosts = false,
         snapshots = false, rewinds = false, net_graph = false, study = false, watch = false;
    int max_fps = 240;
    int idle_fps = 15;
    net::ConditionerConfig conditions;
    cli.add_option("--connect", connect, "Connect to HOST:PORT at once (skips the connect screen)");
    cli.add_option("--name", name, "Player name (1-24 characters); remembered")
        ->check([](const std::string& n) {
            return protocol::lobby::is_valid_name(n, protocol::kMaxNameBytes)
                       ? std::string()
                       : std::string("a name is 1 to 24 bytes of text, no control characters");
        });
    cli.add_option("--password", password, "With --connect: the server's password, if it has one (never saved)");
    cli.add_flag("--quick-play", quick_play, "With --connect: join a match at once (the lobby's quick play)");
    cli.add_flag("--watch", watch, "With --connect: watch a match as a spectator (the first room with a free "
                                   "spectator seat, a running match first)");
    cli.add_flag("--no-prediction", no_prediction, "Study: draw the own player where the server last said");
    cli.add_flag("--no-smoothing", no_smoothing, "Study: prediction corrections snap instead of blending");
    cli.add_flag("--no-interpolation", no_interpolation, "Study: draw others at the newest snapshot");
    int input_rate = 0;
    cli.add_option("--input-rate", input_rate,
                   "Input packets a second (0: one every tick); fewer carry more ticks each (docs/NETCODE.md)")
        ->check(CLI::Range(0, 128))->capture_default_str();
    cli.add_flag("--ghosts", ghosts, "Study: show the server's own position and others' newest positions");
    cli.add_flag("--snapshots", snapshots, "Study: show others' raw snapshot positions as dots with a trail");
    cli.add_flag("--rewinds", rewinds, "Study: show each of your shots' target where the server checked it");
    cli.add_flag("--net-graph", net_graph, "Show the net graph from the start (F3 toggles it)");
    cli.add_flag("--study", study, "Show the study controls from the start (F2 toggles them)");
    cli.add_option("--screenshot", screenshot, "Write what the window shows to FILE (.png, or .bmp), then quit");
    cli.add_option("--screenshot-after", screenshot_after, "Seconds after start for --screenshot")
        ->check(CLI::Range(0.0, 3600.0))
        ->capture_default_str();
    cli.add_option("--max-fps", max_fps, "Frame-rate cap")->check(CLI::Range(10, 1000))->capture_default_str();
    cli.add_option("--idle-fps", idle_fps, "Frame-rate cap on screens where nothing moves (menus, lobby)")
        ->check(CLI::Range(1, 240))
        ->capture_default_str();
    std::uint16_t discovery_port = client::kDiscoveryPort;
    std::vector<std::string> lan_addresses;
    cli.add_option("--discovery-port", discovery_port, "UDP port LAN servers answer discovery on")
        ->capture_default_str();
    cli.add_option("--lan-address", lan_addresses,
                   "Send LAN discovery probes only to this broadcast or multicast address (repeatable; default: every "
                   "interface, or SKIRMISH_LAN_ADDRESS)");
    cli.add_option("--settings", settings_path, "Settings file (default: settings.txt in SDL's preference folder)");
    cli.add_option("--net-log", net_log,
                   "Write what the client sees to FILE, one JSON object per line, once a second (docs/CLIENT.md)");
    cli.add_option("--ui-log", ui_log,
                   "Write every widget and text each screen shows to FILE, one JSON line per change (for tests)");
    cli.add_option("--demo", demo, "Play back a match demo (.skdemo, skirmish-server --record-dir); docs/DEMO.md");
    cli.add_option("--view", view,
                   "With --demo: a view recording (.skview) of the same match, its shots compared with the server's");
    cli.add_option("--demo-tick", demo_tick, "With --demo: start paused at this tick");
    cli.add_flag("--print-shots", print_shots,
                 "With --demo and --view: print the alignment and every shot compared, then quit (no window)");
    cli.add_option("--demo-dir", demo_dir,
                   "The Demos list's folder (default: the demo_dir setting, else demos/ in the data folder)");
    cli.add_option("--record-view", record_view,
                   "Record what this client sees in its next match to FILE (.skview: snapshots, inputs, predictions, "
                   "drawn positions)");
    util::add_log_level_option(cli, level);
    net::add_conditioner_options(cli, conditions);
    CLI11_PARSE(cli, argc, argv);

    if (auto valid = net::validate(conditions); !valid) {
        fmt::print(stderr, "skirmish-client: {}\n", valid.error());
        return 2;
    }
    app::AppOptions options;
    if (!connect.empty()) {
        auto endpoint = app::parse_endpoint(connect);
        if (!endpoint) {
            fmt::print(stderr, "skirmish-client: --connect: {}\n", endpoint.error());
            return 2;
        }
        options.connect = *endpoint;
        options.password = password;
    } else if (quick_play || watch) {
        fmt::print(stderr, "skirmish-client: {} needs --connect HOST:PORT (which server to {} on)\n",
                   quick_play ? "--quick-play" : "--watch", quick_play ? "play" : "watch");
        return 2;
    }
    if (quick_play && watch) {
        fmt::print(stderr, "skirmish-client: --quick-play plays and --watch watches: choose one\n");
        return 2;
    }
    if (!demo.empty() && options.connect) {
        fmt::print(stderr, "skirmish-client: --demo plays a file; it cannot be combined with --connect\n");
        return 2;
    }
    if (print_shots && view.empty()) {
        fmt::print(stderr, "skirmish-client: --print-shots needs --demo FILE and --view VIEW_FILE\n");
        return 2;
    }
    if ((!view.empty() || demo_tick) && demo.empty()) {
        fmt::print(stderr, "skirmish-client: --view and --demo-tick go with --demo FILE (the server's demo)\n");
        return 2;
    }
    if (!demo.empty()) {
        auto playback = app::DemoPlayback::open(demo);
        if (!playback) {
            fmt::print(stderr, "skirmish-client: {}\n", playback.error());
            return 1;
        }
        if (!view.empty()) {
            auto compared = app::compare_view_files(demo, view);
            if (!compared) {
                fmt::print(stderr, "skirmish-client: --view {}: {}\n", view, compared.error());
                return 1;
            }
            if (print_shots) {
                fmt::print("{}", app::describe(*compared));
                return 0;
            }
            options.comparison = std::move(compared).value();
        }
        if (demo_tick) playback->seek(*demo_tick);
        options.playback = std::move(playback).value();
    }
    if (!screenshot.empty() && screenshot_after <= 0) screenshot_after = 0;
    util::Logger log("client", level);

    const char* font_dir = std::getenv("SKIRMISH_FONT_DIR");
    auto fonts = app::find_fonts(font_dir && *font_dir ? font_dir : SKIRMISH_FONT_DIR);
    if (!fonts) {
        fmt::print(stderr, "skirmish-client: {}\n", fonts.error());
        return 1;
    }
    auto enet = net::EnetLibrary::initialize();
    if (!enet) {
        fmt::print(stderr, "skirmish-client: {}\n", enet.error());
        return 1;
    }

    // Settings: the file's, then the command line on top.
    app::Settings settings;
    if (settings_path.empty()) {
        const std::string folder = app::Platform::preference_folder();
        if (!folder.empty()) settings_path = folder + "settings.txt";
    }
    if (!settings_path.empty()) {
        auto loaded = app::load_settings(settings_path);
        for (const auto& w : loaded.warnings) log.warn("{}: {}", settings_path, w);
        settings = std::move(loaded.settings);
    }
    if (!name.empty()) settings.name = name;
    if (settings.name.empty() && options.connect) {
        // Going straight in needs a name: make one up, the player can change it later.
        std::random_device entropy;
        settings.name = fmt::format("player-{:04}", entropy() % 10000);
    }

    auto platform = app::Platform::start({settings.window_width, settings.window_height, settings.fullscreen, settings.vsync});
    if (!platform) {
        fmt::print(stderr, "skirmish-client: {}\n", platform.error());
        return 1;
    }
    log.info("renderer: {}", (*platform)->renderer_name());

    options.name = settings.name;
    options.quick_play = quick_play;
    options.watch = watch;
    options.session.conditions = conditions;
    options.session.client.prediction.enabled = !no_prediction;
    options.session.client.prediction.smoothing = !no_smoothing;
    options.session.client.interpolation.enabled = !no_interpolation;
    options.session.client.input_rate_hz = input_rate;
    options.session.auto_ready = quick_play;
    options.ghosts = ghosts;
    options.snapshots = snapshots;
    options.rewinds = rewinds;
    options.study_panel = study;
    if (net_graph) options.net_graph = true;
    options.screenshot = screenshot;
    options.screenshot_after_s = screenshot_after;
    options.max_fps = max_fps;
    options.idle_fps = idle_fps;
    options.settings_path = settings_path;
    options.record_view = record_view;
    options.demo_dir = !demo_dir.empty()            ? demo_dir
                       : !settings.demo_dir.empty() ? settings.demo_dir
                                                    : app::default_demo_dir(app::Platform::preference_folder()).string();
    options.net_log = net_log;
    options.ui_log = ui_log;
    options.discovery_port = discovery_port;
    options.lan_addresses = lan_addresses;
    options.fonts = *fonts;
    int status = 0;
    {
        app::App client(**platform, *enet, std::move(options), std::move(settings), log);
        status = client.run();
    }
    return status;
}
