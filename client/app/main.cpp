// client/app/main.cpp: skirmish-client's command line.
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

int main(int argc, char** argv) {
    CLI::App app{"skirmish-client: the Skirmish desktop client"};
    app.set_version_flag("--version", std::string("skirmish-client ") + skirmish::kVersion);
    CLI11_PARSE(app, argc, argv);
    fmt::print(stderr, "skirmish-client {}: the desktop client is not built yet.\n", skirmish::kVersion);
    return 1;
}
