// client/app_sdl/settings_overlay.hpp
//
// The settings screen, opened from the menu (Esc → Settings) on any screen:
// name, mouse sensitivity, master volume and mute, vsync, fullscreen, the net
// graph and where it docks, and every key binding (click a slot, press a key
// or mouse button; Esc cancels, Backspace clears; a key taken from another
// action is named). It edits the app's Settings in place; the app applies
// what changed (window, audio) and saves the file when the overlay closes.
//
// IMPORTANT: draws through a Frame; while it waits for a key, the app hands it
// the next key or button press (capture()) instead of acting on it.
#pragma once

#include "client/app_sdl/frame.hpp"

#include <optional>
#include <utility>

namespace skirmish::app {

class SettingsOverlay {
public:
    void open(const Settings& settings);
    bool is_open() const noexcept { return open_; }
    // Draws the screen; returns false once it has closed (Done or Esc).
    bool draw(Frame& frame);
    void close() { open_ = false; capture_.reset(); }

    // Waiting for a key for a slot.
    bool capturing() const noexcept { return capture_.has_value(); }
    // A key (scancode) or mouse button pressed while capturing: Escape
    // cancels, Backspace clears the slot, anything else is bound there.
    void capture(Settings& settings, InputCode code);

private:
    bool open_ = false;
    LineEdit name_{protocol::kMaxNameBytes};
    std::optional<std::pair<Action, int>> capture_;
    std::string notice_; // what the last binding did ("G was bound to ghosts: that is now unbound")
};

} // namespace skirmish::app
