// client/app/settings.hpp
//
// What the client remembers between runs, and its file: one "key = value" per
// line, '#' comments, saved as settings.txt under SDL_GetPrefPath (the caller
// finds the folder; this file only reads and writes text and files).
//
//   name = Ada
//   server = 127.0.0.1:7777        (repeated: most recent first, at most 8)
//   window = 1280x720
//   fullscreen = false
//   vsync = true
//   net_graph = false
//   bind.fire = Mouse1             (two slots: "bind.move_up = W Up")
//
// IMPORTANT: the file is untrusted (hand-edited, half-written, from an older
// version): parsing never fails. A bad line is skipped with a warning that
// names the line, and that setting keeps its default. Unknown keys are ignored.
// IMPORTANT: save_settings() writes a temporary file and renames it over the
// old one, so a crash mid-write never leaves a half file.
#pragma once

#include "client/app/bindings.hpp"
#include "shared/util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::app {

inline constexpr std::size_t kMaxRememberedServers = 8;
inline constexpr int kMinWindowWidth = 640;
inline constexpr int kMinWindowHeight = 360;
inline constexpr int kMaxWindowSide = 16384;

struct Settings {
    std::string name;                 // empty: ask on the connect screen
    std::vector<std::string> servers; // "host:port", most recent first
    int window_width = 1280;
    int window_height = 720;
    bool fullscreen = false;
    bool vsync = true;
    bool net_graph = false;
    Bindings bindings = default_bindings();
    friend bool operator==(const Settings&, const Settings&) = default;
};

struct ParsedSettings {
    Settings settings;
    std::vector<std::string> warnings; // "line 3: 'window = big' is not WIDTHxHEIGHT; kept 1280x720"
};

ParsedSettings parse_settings(std::string_view text);
std::string format_settings(const Settings& settings);

// Moves `server` to the front of the history (adding it if new), keeping at most kMaxRememberedServers.
void remember_server(Settings& settings, const std::string& server);

// A missing file gives the defaults and no warning; an unreadable one a warning.
ParsedSettings load_settings(const std::string& path);
util::Result<util::Ok, std::string> save_settings(const std::string& path, const Settings& settings);

} // namespace skirmish::app
