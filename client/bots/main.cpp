// client/bots/main.cpp: skirmish-bots' command line.
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

int main(int argc, char** argv) {
    CLI::App app{"skirmish-bots: headless load-testing players for skirmish-server"};
    app.set_version_flag("--version", std::string("skirmish-bots ") + skirmish::kVersion);
    CLI11_PARSE(app, argc, argv);
    fmt::print(stderr, "skirmish-bots {}: the bots are not built yet.\n", skirmish::kVersion);
    return 1;
}
