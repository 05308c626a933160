// shared/util/log_cli.hpp
//
// --log-level, the same in every binary (skirmish-server, skirmish-client,
// skirmish-bots, skirmish-netsim): debug, info, warn, error or off. An unknown
// value is a usage error: the binary prints what went wrong and the choices,
// and exits with kUsageExitCode (2), as for its other bad arguments.
//
// IMPORTANT: header-only and for binaries only (it includes CLI11, which
// throws); shared/* libraries take a LogLevel or a Logger, never a CLI::App.
// IMPORTANT: `level` is written while app.parse() runs, so it must outlive it;
// the value already in it is the default.
#pragma once

#include "shared/util/log.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace skirmish::util {

inline constexpr int kUsageExitCode = 2;

inline CLI::Option* add_log_level_option(CLI::App& app, LogLevel& level) {
    return app
        .add_option_function<std::string>(
            "--log-level",
            [&level](const std::string& text) {
                if (!parse_log_level(text, level))
                    throw CLI::ValidationError(
                        "--log-level: unknown log level '" + text + "': use debug, info, warn, error or off",
                        kUsageExitCode);
            },
            "debug, info, warn, error or off")
        ->default_str(std::string(name(level)));
}

} // namespace skirmish::util
