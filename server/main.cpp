// server/main.cpp: skirmish-server's command line.
#include "shared/protocol/map_codec.hpp"
#include "shared/sim/rules.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

int main(int argc, char** argv) {
    CLI::App app{"skirmish-server: the authoritative Skirmish game server (TCP lobby + UDP game port)"};
    app.set_version_flag("--version", std::string("skirmish-server ") + skirmish::kVersion);
    std::string maps_dir = std::string(skirmish::kSourceDir) + "/assets/maps";
    app.add_option("--maps", maps_dir, "Directory of *.json maps")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    const skirmish::sim::Rules rules;
    auto maps = skirmish::protocol::load_map_directory(maps_dir, rules.player_radius);
    if (!maps) {
        fmt::print(stderr, "skirmish-server: {}\n", maps.error());
        return 2;
    }
    fmt::print("skirmish-server {}: {} maps valid. The lobby and game port are not built yet.\n",
               skirmish::kVersion, maps->size());
    return 1;
}
