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
//   net_graph_position = bottom_right   (top_left, top_right, bottom_left)
//   favourite = 10.0.0.5:7777      (repeated: starred servers, at most 16)
//   mouse_sensitivity = 1.00       (0.25 .. 4)
//   volume = 80                    (master volume, 0 .. 100 %)
//   mute = false
//   bind.fire = Mouse1             (two slots: "bind.move_up = W Up")
//   demo_dir = /home/ada/demos     (the Demos list's folder; default: demos/ in the data folder)
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
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::app {

inline constexpr std::size_t kMaxRememberedServers = 8;
inline constexpr std::size_t kMaxFavourites = 16;
inline constexpr double kMinSensitivity = 0.25;
inline constexpr double kMaxSensitivity = 4.0;

// Where the net graph docks (a corner of the window; the arena is drawn beside it).
enum class Corner : std::uint8_t { TopLeft, TopRight, BottomLeft, BottomRight };
std::string_view name(Corner corner);     // "top_left", ...
std::string_view label(Corner corner);    // "top left", ...
std::optional<Corner> parse_corner(std::string_view text);
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
    Corner net_graph_position = Corner::BottomRight;
    std::vector<std::string> favourites; // "host:port", starred on the connect screen
    double mouse_sensitivity = 1.0;      // crosshair movement per mouse movement
    int volume = 80;                     // master volume, percent
    bool mute = false;
    Bindings bindings = default_bindings();
    std::string demo_dir; // empty: demos/ in the client's data folder
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

// Stars or unstars a server (kept in the order starred, at most kMaxFavourites).
void toggle_favourite(Settings& settings, const std::string& server);
bool is_favourite(const Settings& settings, const std::string& server);

// A missing file gives the defaults and no warning; an unreadable one a warning.
ParsedSettings load_settings(const std::string& path);
util::Result<util::Ok, std::string> save_settings(const std::string& path, const Settings& settings);

} // namespace skirmish::app
