// client/app/settings.cpp
#include "client/app/settings.hpp"

#include "shared/protocol/lobby_codec.hpp"
#include "shared/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace skirmish::app {
namespace {

constexpr std::size_t kMaxSettingsLineBytes = 1024;
constexpr std::size_t kMaxSettingsFileBytes = 64 * 1024;


std::optional<bool> parse_bool(std::string_view text) {
    const std::string lower = util::fold_ascii_case(text);
    if (lower == "true" || lower == "on" || lower == "yes" || lower == "1") return true;
    if (lower == "false" || lower == "off" || lower == "no" || lower == "0") return false;
    return std::nullopt;
}

std::optional<int> parse_int(std::string_view text) {
    if (text.empty() || text.size() > 6) return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// "1", "0.5", "2.25": digits with at most one point (no sign, no exponent),
// computed as one division so "1.15" reads back as exactly 115 / 100.
std::optional<double> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 8) return std::nullopt;
    std::int64_t mantissa = 0, divisor = 1;
    bool point = false;
    for (char c : text) {
        if (c == '.' && !point) {
            point = true;
        } else if (c >= '0' && c <= '9') {
            mantissa = mantissa * 10 + (c - '0');
            if (point) divisor *= 10;
        } else {
            return std::nullopt;
        }
    }
    return static_cast<double>(mantissa) / static_cast<double>(divisor);
}

const char* yes_no(bool value) { return value ? "true" : "false"; }

constexpr std::array<std::string_view, 4> kCornerNames{"top_left", "top_right", "bottom_left", "bottom_right"};
constexpr std::array<std::string_view, 4> kCornerLabels{"top left", "top right", "bottom left", "bottom right"};

class Parser {
public:
    ParsedSettings run(std::string_view text) {
        if (text.size() > kMaxSettingsFileBytes) {
            warn(0, fmt::format("the file is larger than {} KiB; only its start was read", kMaxSettingsFileBytes / 1024));
            text = text.substr(0, kMaxSettingsFileBytes);
        }
        std::size_t number = 0;
        while (!text.empty()) {
            const auto end = text.find('\n');
            std::string_view line = text.substr(0, end);
            text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
            ++number;
            line_ = number;
            handle(line);
        }
        if (out_.settings.servers.size() > kMaxRememberedServers) out_.settings.servers.resize(kMaxRememberedServers);
        return std::move(out_);
    }

private:
    void warn(std::size_t line, std::string text) {
        if (out_.warnings.size() >= 20) return; // a garbage file should not flood the log
        out_.warnings.push_back(line ? fmt::format("line {}: {}", line, text) : std::move(text));
    }
    void bad(std::string_view key, std::string_view value, std::string_view expected, std::string kept) {
        warn(line_, fmt::format("'{} = {}' is not {}; kept {}", key, value, expected, kept));
    }

    void handle(std::string_view raw) {
        if (raw.size() > kMaxSettingsLineBytes) return warn(line_, "longer than 1 KiB; skipped");
        if (!protocol::lobby::is_valid_utf8(raw)) return warn(line_, "not UTF-8 text; skipped");
        std::string_view line = util::trim_space(raw);
        if (line.empty() || line.front() == '#') return;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return warn(line_, fmt::format("'{}' has no '='; skipped", line));
        const std::string_view key = util::trim_space(line.substr(0, eq));
        const std::string_view value = util::trim_space(line.substr(eq + 1));
        Settings& s = out_.settings;
        if (key == "name") {
            if (value.empty()) s.name.clear();
            else if (protocol::lobby::is_valid_name(value, protocol::kMaxNameBytes)) s.name = std::string(value);
            else bad(key, value, "a player name (1-24 bytes, no control characters)", "no name");
        } else if (key == "demo_dir") {
            if (value.size() > 4096 || !protocol::is_valid_text(value, protocol::free_text(4096)))
                return bad(key, value, "a folder path", "the default demos folder");
            s.demo_dir = std::string(value);
        } else if (key == "server") {
            if (value.empty() || value.size() > 260 || value.find(' ') != std::string_view::npos)
                return bad(key, value, "HOST:PORT", "the other servers");
            if (std::find(s.servers.begin(), s.servers.end(), value) == s.servers.end())
                s.servers.emplace_back(value);
        } else if (key == "window") {
            const auto x = value.find('x');
            const auto w = x == std::string_view::npos ? std::nullopt : parse_int(value.substr(0, x));
            const auto h = x == std::string_view::npos ? std::nullopt : parse_int(value.substr(x + 1));
            if (!w || !h || *w < kMinWindowWidth || *h < kMinWindowHeight || *w > kMaxWindowSide || *h > kMaxWindowSide)
                return bad(key, value, fmt::format("WIDTHxHEIGHT of at least {}x{}", kMinWindowWidth, kMinWindowHeight),
                           fmt::format("{}x{}", s.window_width, s.window_height));
            s.window_width = *w;
            s.window_height = *h;
        } else if (key == "favourite") {
            if (value.empty() || value.size() > 260 || value.find(' ') != std::string_view::npos)
                return bad(key, value, "HOST:PORT", "the other favourites");
            if (s.favourites.size() < kMaxFavourites &&
                std::find(s.favourites.begin(), s.favourites.end(), value) == s.favourites.end())
                s.favourites.emplace_back(value);
        } else if (key == "net_graph_position") {
            if (const auto corner = parse_corner(value)) s.net_graph_position = *corner;
            else bad(key, value, "top_left, top_right, bottom_left or bottom_right", std::string(name(s.net_graph_position)));
        } else if (key == "mouse_sensitivity") {
            const auto v = parse_decimal(value);
            if (!v || *v < kMinSensitivity || *v > kMaxSensitivity)
                return bad(key, value, fmt::format("a number from {} to {}", kMinSensitivity, kMaxSensitivity),
                           fmt::format("{:.2f}", s.mouse_sensitivity));
            s.mouse_sensitivity = *v;
        } else if (key == "volume") {
            const auto v = parse_int(value);
            if (!v || *v > 100) return bad(key, value, "a percentage from 0 to 100", fmt::format("{}", s.volume));
            s.volume = *v;
        } else if (key == "fullscreen" || key == "vsync" || key == "net_graph" || key == "mute") {
            bool& field = key == "fullscreen" ? s.fullscreen : key == "vsync" ? s.vsync : key == "mute" ? s.mute : s.net_graph;
            if (const auto b = parse_bool(value)) field = *b;
            else bad(key, value, "true or false", yes_no(field));
        } else if (key.starts_with("bind.")) {
            const auto action = parse_action(key.substr(5));
            if (!action) return warn(line_, fmt::format("'{}' is not an action; skipped", key.substr(5)));
            parse_binding(key, value, *action);
        }
        // Unknown keys: from a newer version, perhaps. Ignored on purpose.
    }

    void parse_binding(std::string_view key, std::string_view value, Action action) {
        Binding binding;
        std::string_view rest = value;
        int slot = 0;
        while (!(rest = util::trim_space(rest)).empty()) {
            const auto space = rest.find_first_of(" \t");
            const std::string_view word = rest.substr(0, space);
            rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space);
            const auto code = parse_code(word);
            if (!code || slot >= 2) {
                return bad(key, value, "one or two key names (e.g. 'W Up', 'Mouse1', 'F3')",
                           code_name(out_.settings.bindings[action].primary));
            }
            (slot++ == 0 ? binding.primary : binding.secondary) = *code;
        }
        out_.settings.bindings[action] = binding;
    }

    ParsedSettings out_;
    std::size_t line_ = 0;
};

} // namespace

std::string_view name(Corner corner) { return kCornerNames[static_cast<std::size_t>(corner)]; }
std::string_view label(Corner corner) { return kCornerLabels[static_cast<std::size_t>(corner)]; }
std::optional<Corner> parse_corner(std::string_view text) {
    for (std::size_t i = 0; i < kCornerNames.size(); ++i) {
        if (text == kCornerNames[i]) return static_cast<Corner>(i);
    }
    return std::nullopt;
}

ParsedSettings parse_settings(std::string_view text) { return Parser{}.run(text); }

std::string format_settings(const Settings& s) {
    std::string out = "# skirmish-client settings: key = value. Edit while the client is closed.\n"
                      "# Keys are bound by position on the keyboard (scancode); names as in docs/CLIENT.md.\n";
    out += fmt::format("name = {}\n", s.name);
    for (const auto& server : s.servers) out += fmt::format("server = {}\n", server);
    out += fmt::format("window = {}x{}\n", s.window_width, s.window_height);
    out += fmt::format("fullscreen = {}\nvsync = {}\nnet_graph = {}\nnet_graph_position = {}\n", yes_no(s.fullscreen),
                       yes_no(s.vsync), yes_no(s.net_graph), name(s.net_graph_position));
    for (const auto& server : s.favourites) out += fmt::format("favourite = {}\n", server);
    out += fmt::format("mouse_sensitivity = {:.2f}\nvolume = {}\nmute = {}\n", s.mouse_sensitivity, s.volume,
                       yes_no(s.mute));
    if (!s.demo_dir.empty()) out += fmt::format("demo_dir = {}\n", s.demo_dir);
    for (std::size_t i = 0; i < kActionCount; ++i) {
        const Binding& b = s.bindings.slots[i];
        out += fmt::format("bind.{} = {}", name(static_cast<Action>(i)), code_name(b.primary));
        if (b.secondary != kUnbound) out += " " + code_name(b.secondary);
        out += "\n";
    }
    return out;
}

void remember_server(Settings& settings, const std::string& server) {
    auto& list = settings.servers;
    list.erase(std::remove(list.begin(), list.end(), server), list.end());
    list.insert(list.begin(), server);
    if (list.size() > kMaxRememberedServers) list.resize(kMaxRememberedServers);
}

void toggle_favourite(Settings& settings, const std::string& server) {
    auto& list = settings.favourites;
    if (const auto it = std::find(list.begin(), list.end(), server); it != list.end()) list.erase(it);
    else if (list.size() < kMaxFavourites) list.push_back(server);
}

bool is_favourite(const Settings& settings, const std::string& server) {
    return std::find(settings.favourites.begin(), settings.favourites.end(), server) != settings.favourites.end();
}

ParsedSettings load_settings(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ParsedSettings defaults;
        if (errno != ENOENT)
            defaults.warnings.push_back(fmt::format("cannot read {}: {}; using the defaults", path, std::strerror(errno)));
        return defaults;
    }
    std::string text;
    text.resize(kMaxSettingsFileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parse_settings(text);
}

util::Result<util::Ok, std::string> save_settings(const std::string& path, const Settings& settings) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return util::fail(fmt::format("cannot write {}: {}", temporary, std::strerror(errno)));
        out << format_settings(settings);
        out.flush();
        if (!out) return util::fail(fmt::format("cannot write {}: {}", temporary, std::strerror(errno)));
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string error = std::strerror(errno);
        std::remove(temporary.c_str());
        return util::fail(fmt::format("cannot replace {}: {}", path, error));
    }
    return util::Ok{};
}

} // namespace skirmish::app
