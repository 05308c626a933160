// server/config/config_file.cpp
//
// Reading the options: the TOML file (toml++), the command line's texts, the
// checks between options; and writing them: --print-config and a reload's
// changes. The options themselves: config_options.cpp.
#include "server/config/server_settings.hpp"

#include "server/config/admin_password.hpp"
#include "skirmish/version.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

namespace skirmish::server {

namespace {

constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

std::string_view kind_name(ValueKind kind) {
    switch (kind) {
    case ValueKind::Integer: return "a whole number";
    case ValueKind::Number: return "a number";
    case ValueKind::Switch: return "\"on\" or \"off\"";
    case ValueKind::Text: return "a string";
    case ValueKind::Lines: return "a string";
    case ValueKind::List: return "an array of strings";
    }
    return "?";
}

std::string_view node_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "a whole number";
    case toml::node_type::floating_point: return "a decimal number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date or time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

// The TOML value as the option's kind wants it, or nothing if it is of another type.
std::optional<ConfigValue> from_node(const toml::node& node, ValueKind kind) {
    switch (kind) {
    case ValueKind::Integer:
        if (const auto n = node.value_exact<std::int64_t>()) return ConfigValue{*n};
        return std::nullopt;
    case ValueKind::Number:
        if (const auto n = node.value_exact<std::int64_t>()) return ConfigValue{static_cast<double>(*n)};
        if (const auto n = node.value_exact<double>()) return ConfigValue{*n};
        return std::nullopt;
    case ValueKind::Switch:
        if (const auto b = node.value_exact<bool>()) return ConfigValue{*b};
        if (const auto t = node.value_exact<std::string>()) {
            if (*t == "on") return ConfigValue{true};
            if (*t == "off") return ConfigValue{false};
        }
        return std::nullopt;
    case ValueKind::Text:
    case ValueKind::Lines:
        if (const auto t = node.value_exact<std::string>()) return ConfigValue{*t};
        return std::nullopt;
    case ValueKind::List: {
        const toml::array* array = node.as_array();
        if (!array) return std::nullopt;
        std::vector<std::string> out;
        for (const toml::node& item : *array) {
            const auto t = item.value_exact<std::string>();
            if (!t) return std::nullopt;
            out.push_back(*t);
        }
        return ConfigValue{std::move(out)};
    }
    }
    return std::nullopt;
}

// The command line's text as the option's kind wants it; the error says why not.
util::Result<ConfigValue, std::string> from_text(const std::string& text, ValueKind kind) {
    switch (kind) {
    case ValueKind::Integer: {
        std::int64_t n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end != text.data() + text.size())
            return util::fail(fmt::format("'{}' is not a whole number", text));
        return ConfigValue{n};
    }
    case ValueKind::Number: {
        double n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end != text.data() + text.size())
            return util::fail(fmt::format("'{}' is not a number", text));
        return ConfigValue{n};
    }
    case ValueKind::Switch:
        if (text == "on") return ConfigValue{true};
        if (text == "off") return ConfigValue{false};
        return util::fail(fmt::format("takes 'on' or 'off', not '{}'", text));
    case ValueKind::Text:
    case ValueKind::Lines: return ConfigValue{text};
    case ValueKind::List: {
        std::vector<std::string> out;
        std::stringstream in(text);
        for (std::string item; std::getline(in, item, ',');) {
            if (!item.empty()) out.push_back(item);
        }
        return ConfigValue{std::move(out)};
    }
    }
    return util::fail(std::string("unknown kind"));
}

// Edit distance, for "did you mean" on an unknown key.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string suggestion(std::string_view key) {
    const Option* best = nullptr;
    std::size_t best_distance = 3; // at most two edits away
    for (const Option& o : config_options()) {
        const std::size_t d = distance(key, o.key);
        if (d < best_distance) {
            best = &o;
            best_distance = d;
        }
    }
    return best ? fmt::format(": did you mean '{}'?", best->key) : std::string();
}

// How an error names an option: where its value came from.
std::string where(const LoadedConfig& c, std::string_view key) {
    const auto it = c.origins.find(key);
    const Option* o = find_option(key);
    if (it == c.origins.end()) return fmt::format("{} (the default)", key);
    if (it->second.source == Origin::CommandLine) return std::string(o && !o->flag.empty() ? o->flag : key);
    return fmt::format("{}:{}: {}", c.file, it->second.line, key);
}

util::Result<util::Ok, std::string> load_file(LoadedConfig& c) {
    std::ifstream in(c.file, std::ios::binary);
    if (!in)
        return util::fail(fmt::format("cannot read the config file {}: {}", c.file,
                                      std::error_code(errno, std::generic_category()).message()));
    std::string text(kMaxConfigFileBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigFileBytes)
        return util::fail(fmt::format("{}: the config file is larger than {} bytes", c.file, kMaxConfigFileBytes));
    toml::table table;
    try {
        table = toml::parse(text, c.file);
    } catch (const toml::parse_error& e) {
        return util::fail(fmt::format("{}:{}:{}: {}", c.file, e.source().begin.line, e.source().begin.column,
                                      e.description()));
    }
    for (auto&& [key, node] : table) {
        const int line = static_cast<int>(node.source().begin.line);
        const Option* option = find_option(key.str());
        if (!option) {
            if (node.is_table())
                return util::fail(fmt::format("{}:{}: [{}]: there are no sections; every key is at the top level "
                                              "(docs/OPERATIONS.md lists them)",
                                              c.file, line, key.str()));
            return util::fail(fmt::format("{}:{}: unknown key '{}'{} (docs/OPERATIONS.md lists every key)", c.file,
                                          line, key.str(), suggestion(key.str())));
        }
        const auto value = from_node(node, option->kind);
        if (!value)
            return util::fail(fmt::format("{}:{}: {} must be {}, not {}", c.file, line, option->key,
                                          kind_name(option->kind), node_name(node)));
        if (auto set = option->set(c.settings, *value); !set)
            return util::fail(fmt::format("{}:{}: {}: {}", c.file, line, option->key, set.error()));
        c.origins[std::string(option->key)] = {Origin::File, line};
    }
    return util::Ok{};
}

util::Result<util::Ok, std::string> check_between(const LoadedConfig& c) {
    const auto& g = c.settings.server.game;
    if (g.snapshot_rate_hz > g.tick_rate_hz)
        return util::fail(fmt::format("{}: {} snapshots per second is more than the tick rate ({})",
                                      where(c, "snapshot_rate"), g.snapshot_rate_hz, g.tick_rate_hz));
    if (g.record_state_interval_ticks > 60 * g.tick_rate_hz)
        return util::fail(fmt::format("{}: {} ticks is more than a minute at {} Hz (at most {})",
                                      where(c, "record_state_every"), g.record_state_interval_ticks, g.tick_rate_hz,
                                      60 * g.tick_rate_hz));
    if (auto valid = validate_config(g); !valid) return util::fail(valid.error());
    return util::Ok{};
}

} // namespace

util::Result<LoadedConfig, std::string> load_config(const std::string& file, const CommandLineValues& command_line) {
    LoadedConfig c;
    c.settings.maps_dir = std::string(kSourceDir) + "/assets/maps";
    c.file = file;
    if (!file.empty()) {
        if (auto loaded = load_file(c); !loaded) return util::fail(loaded.error());
    }
    for (const auto& [key, text] : command_line) {
        const Option* option = find_option(key);
        if (!option) return util::fail(fmt::format("unknown option '{}'", key));
        auto value = from_text(text, option->kind);
        if (!value) return util::fail(fmt::format("{}: {}", option->flag, value.error()));
        if (auto set = option->set(c.settings, *value); !set)
            return util::fail(fmt::format("{}: {}", option->flag, set.error()));
        c.origins[key] = {Origin::CommandLine, 0};
    }
    if (auto checked = check_between(c); !checked) return util::fail(checked.error());
    return c;
}

util::Result<util::Ok, std::string> check_map_rotation(const LoadedConfig& c, const std::vector<std::string>& maps) {
    for (const auto& m : c.settings.server.hosting.map_rotation) {
        if (std::find(maps.begin(), maps.end(), m) == maps.end()) {
            std::string have;
            for (const auto& n : maps) have += (have.empty() ? "" : ", ") + n;
            return util::fail(fmt::format("{}: there is no map '{}' in {} (there are: {})", where(c, "map_rotation"),
                                          m, c.settings.maps_dir, have));
        }
    }
    return util::Ok{};
}

util::Result<util::Ok, std::string> finish_settings(LoadedConfig& c, const LoadedConfig* previous) {
    auto& admission = c.settings.server.game.admission;
    admission.challenges_burst = admission.challenges_per_second;
    admission.challenges_per_address_burst = 2 * admission.challenges_per_address_per_second;
    auto& hash = c.settings.server.hosting.admin_password_hash;
    const std::string& password = c.settings.admin_password;
    if (password.empty()) {
        hash.clear();
    } else if (previous && previous->settings.admin_password == password) {
        hash = previous->settings.server.hosting.admin_password_hash; // unchanged: no second hashing
    } else {
        auto hashed = hash_admin_password(password);
        if (!hashed) return util::fail(fmt::format("{}: {}", where(c, "admin_password"), hashed.error()));
        hash = *hashed;
    }
    return util::Ok{};
}

// --- writing ------------------------------------------------------------------------

std::string toml_value(const ConfigValue& value) {
    const auto quote = [](const std::string& s) {
        std::string out = "\"";
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", c);
                else out += ch;
            }
        }
        return out + "\"";
    };
    return std::visit(
        [&](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(v);
            else if constexpr (std::is_same_v<T, double>) return fmt::format("{}", v);
            else if constexpr (std::is_same_v<T, bool>) return v ? "\"on\"" : "\"off\"";
            else if constexpr (std::is_same_v<T, std::string>) return quote(v);
            else {
                std::string out = "[";
                for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quote(v[i]);
                return out + "]";
            }
        },
        value);
}

std::string print_config(const LoadedConfig& c) {
    std::string out = fmt::format("# skirmish-server {}: the effective configuration (defaults, then {}, then the "
                                  "command line).\n# Every key is documented in docs/OPERATIONS.md, "
                                  "\"Configuration\".\n",
                                  kVersion, c.file.empty() ? std::string("no config file") : c.file);
    for (const Option& o : config_options()) {
        const auto it = c.origins.find(o.key);
        const std::string from = it == c.origins.end()                        ? "default"
                                 : it->second.source == Origin::CommandLine ? std::string("command line ") +
                                                                                  std::string(o.flag)
                                                                            : fmt::format("{}:{}", c.file, it->second.line);
        const ConfigValue value = o.get(c.settings);
        if (o.secret) {
            const bool set = !std::get<std::string>(value).empty();
            out += fmt::format("# {} = {}  # {}\n", o.key, set ? "(set, not shown)" : "(not set)", from);
            continue;
        }
        out += fmt::format("{} = {}  # {}\n", o.key, toml_value(value), from);
    }
    return out;
}

std::vector<ConfigChange> diff_configs(const LoadedConfig& running, const LoadedConfig& reloaded) {
    std::vector<ConfigChange> out;
    for (const Option& o : config_options()) {
        const ConfigValue before = o.get(running.settings), after = o.get(reloaded.settings);
        if (before == after) continue;
        out.push_back({std::string(o.key), o.apply, o.secret ? "(hidden)" : toml_value(before),
                       o.secret ? "(hidden)" : toml_value(after)});
    }
    return out;
}

LoadedConfig keep_restart_options(const LoadedConfig& running, LoadedConfig reloaded) {
    for (const Option& o : config_options()) {
        if (o.apply != Apply::Restart) continue;
        (void)o.set(reloaded.settings, o.get(running.settings)); // a running value was valid when it was set
        if (auto it = running.origins.find(o.key); it != running.origins.end()) reloaded.origins[it->first] = it->second;
        else reloaded.origins.erase(std::string(o.key));
    }
    return reloaded;
}

std::string describe_changes(const std::vector<ConfigChange>& changes) {
    if (changes.empty()) return "no changes";
    std::string out;
    for (const ConfigChange& c : changes) {
        if (!out.empty()) out += "; ";
        const bool hidden = c.before == "(hidden)";
        if (c.apply == Apply::Live)
            out += hidden ? fmt::format("{} changed", c.key) : fmt::format("{} {} -> {}", c.key, c.before, c.after);
        else
            out += hidden ? fmt::format("{} changed but needs a restart (the old one stays)", c.key)
                          : fmt::format("{} {} -> {} needs a restart (still {})", c.key, c.before, c.after, c.before);
    }
    return out;
}

} // namespace skirmish::server
