// tools/replay/main.cpp: skirmish-replay, what a demo (.skdemo) holds and
// whether this build re-simulates it bit for bit (docs/DEMO.md).
//
//   skirmish-replay info FILE          (a demo, or a view recording: .skview)
//   skirmish-replay verify FILE [--any-rules]
//   skirmish-replay export FILE --json [--every N] [--any-rules]
//
// Exit status: commands.hpp (0 agrees, 1 differs, 2 unreadable, 3 other
// rules, 4 damaged part-way).
#include "tools/replay/commands.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

int main(int argc, char** argv) {
    using namespace skirmish;
    CLI::App app{"skirmish-replay: read, verify and export Skirmish match demos (.skdemo, written by skirmish-server "
                 "--record-dir)"};
    app.set_version_flag("--version", std::string("skirmish-replay ") + kVersion);
    app.require_subcommand(1);
    std::string file;
    bool any_rules = false, json = false;
    int every = 1;

    CLI::App* info = app.add_subcommand(
        "info", "Print the header, duration, players and final scoreboard (of a .skview: what the client recorded)");
    info->add_option("FILE", file, "The demo, or a view recording")->required();
    CLI::App* verify = app.add_subcommand(
        "verify", "Re-simulate the match from its inputs and compare every recorded state hash; exit 0 if all agree");
    verify->add_option("FILE", file, "The demo")->required();
    verify->add_flag("--any-rules", any_rules, "Re-simulate even a demo recorded with other game rules");
    CLI::App* exporter = app.add_subcommand("export", "Print the re-simulated state of every tick");
    exporter->add_option("FILE", file, "The demo")->required();
    exporter->add_flag("--json", json, "As one JSON document (the only format)");
    exporter->add_option("--every", every, "Only every N-th tick")->check(CLI::Range(1, 1'000'000))->capture_default_str();
    exporter->add_flag("--any-rules", any_rules, "Export even a demo recorded with other game rules");
    CLI11_PARSE(app, argc, argv);

    if (info->parsed()) return replay::run_info(file, stdout);
    if (verify->parsed()) return replay::run_verify(file, any_rules, stdout);
    if (!json) {
        fmt::print(stderr, "skirmish-replay export: say which format: --json\n");
        return replay::kExitUnreadable;
    }
    return replay::run_export_json(file, every, any_rules, stdout);
}
