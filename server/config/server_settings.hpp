// server/config/server_settings.hpp
//
// skirmish-server's configuration: one table of options (config_options.cpp)
// from which come both the command-line flags and the keys of the TOML file
// (--config FILE): each key is its flag's long name with '_' for '-'. A value
// comes from the default, then the file, then the command line (the command
// line wins). Every error is one line that names the key (or flag) and, for the
// file, its line; --print-config prints the result. On SIGHUP the file is read
// again and what may change while running does (docs/OPERATIONS.md, "Configuration").
//
// IMPORTANT: pure apart from reading the file; no global state. Secrets
// (password, admin_password, token_key) are never printed or logged.
#pragma once

#include "server/server.hpp"
#include "shared/util/log.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace skirmish::server {

// Everything an option can set. `server` is what Server::start() takes; its
// maps, token key and admin password hash are filled in by finish_settings()
// and load_maps() in main.
struct ServerSettings {
    ServerConfig server;
    std::string maps_dir;
    std::string token_key;       // 64 hex digits, or "" for a fresh random key
    util::LogLevel log_level = util::LogLevel::Info;
    std::string metrics_address; // "" = no HTTP endpoint
    std::string event_log;       // "" = no event log
    std::string db = default_results_path(); // the results database; "off" = none
    std::string admin_password;  // as written: a password or a crypto_pwhash_str hash; "" = none
};

// Whether a reload may apply an option while the server runs, or it only takes
// effect at the next start.
enum class Apply : std::uint8_t { Live, Restart };

// An option's value, whatever its source.
using ConfigValue = std::variant<std::int64_t, double, bool, std::string, std::vector<std::string>>;
enum class ValueKind : std::uint8_t {
    Integer, // a whole number
    Number,  // a whole or decimal number
    Switch,  // "on"/"off" (in the file, true/false too)
    Text,    // a string
    Lines,   // a string of one or more lines (the motd)
    List,    // strings (in the file an array, on the command line comma-separated)
};

struct Option {
    std::string_view key;  // in the file: "tick_rate"
    std::string_view flag; // "--tick-rate"; empty: the file only
    std::string help;
    ValueKind kind;
    Apply apply;
    bool secret;
    // Sets the option; the error says what is wrong with the value (the caller names the key).
    std::function<util::Result<util::Ok, std::string>(ServerSettings&, const ConfigValue&)> set;
    std::function<ConfigValue(const ServerSettings&)> get;
};

// Every option, in the order --print-config prints them.
const std::vector<Option>& config_options();
const Option* find_option(std::string_view key);

// Where an option's value came from.
struct Origin {
    enum Source : std::uint8_t { Default, File, CommandLine } source = Default;
    int line = 0; // in the file
};

struct LoadedConfig {
    ServerSettings settings;
    std::map<std::string, Origin, std::less<>> origins; // by key; absent: the default
    std::string file;                                   // "" if none
};

// The command line's option values, by key, as typed.
using CommandLineValues = std::vector<std::pair<std::string, std::string>>;

// Defaults, then `file` (if not empty), then `command_line`; then the checks
// between options (snapshot rate ≤ tick rate, ...). The error is one line.
util::Result<LoadedConfig, std::string> load_config(const std::string& file, const CommandLineValues& command_line);

// map_rotation against the maps the server has; the error names the key.
util::Result<util::Ok, std::string> check_map_rotation(const LoadedConfig& config,
                                                       const std::vector<std::string>& map_names);

// Turns the admin password into the hash the server keeps (crypto_pwhash_str;
// a hash is kept as it is) and derives the challenge bursts. `previous`: a
// config already finished, whose hash is reused if the password is unchanged.
util::Result<util::Ok, std::string> finish_settings(LoadedConfig& config, const LoadedConfig* previous = nullptr);

// The effective configuration as a TOML file, one key a line with where its
// value came from; secrets are shown as set or not, never their value.
std::string print_config(const LoadedConfig& config);

// A reload: what changed between the running configuration and the file's.
struct ConfigChange {
    std::string key;
    Apply apply;
    std::string before, after; // as TOML values; "(hidden)" for secrets
};
std::vector<ConfigChange> diff_configs(const LoadedConfig& running, const LoadedConfig& reloaded);
// `reloaded` with every Restart option put back to its running value: what
// the server runs with after the reload.
LoadedConfig keep_restart_options(const LoadedConfig& running, LoadedConfig reloaded);

// One line a person reads in the log: "config reload: motd changed; password
// changed; tick_rate 60 → 30 needs a restart (still 60)", or "no changes".
std::string describe_changes(const std::vector<ConfigChange>& changes);

// A value as TOML (strings quoted and escaped, lists in brackets).
std::string toml_value(const ConfigValue& value);

} // namespace skirmish::server
