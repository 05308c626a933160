// client/app_sdl/settings_overlay.cpp
#include "client/app_sdl/settings_overlay.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {

void SettingsOverlay::open(const Settings& settings) {
    open_ = true;
    name_.set(settings.name);
    capture_.reset();
    notice_.clear();
}

void SettingsOverlay::capture(Settings& settings, InputCode code) {
    if (!capture_) return;
    const auto [action, slot] = *capture_;
    capture_.reset();
    if (code == SDL_SCANCODE_ESCAPE) {
        notice_.clear();
        return;
    }
    if (code == SDL_SCANCODE_BACKSPACE || code == SDL_SCANCODE_DELETE) {
        bind(settings.bindings, action, slot, kUnbound);
        notice_ = fmt::format("{}: slot cleared", label(action));
        return;
    }
    const Rebound r = bind(settings.bindings, action, slot, code);
    notice_ = r.taken_from && *r.taken_from != action
                  ? fmt::format("{} was bound to {}: that is now unbound there", code_name(code), label(*r.taken_from))
                  : fmt::format("{} now does {}", code_name(code), label(action));
}

bool SettingsOverlay::draw(Frame& f) {
    if (!open_) return false;
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    Settings& s = f.settings;
    c.fill_rect({0, 0, c.width(), c.height()}, palette::kBackground.with_alpha(std::uint8_t{200}));
    const float w = std::min(920.0f, c.width() - 24), h = 660;
    const ScreenRect box{(c.width() - w) / 2, (c.height() - h) / 2, w, h};
    ui.panel(box, "Settings");
    const float col = (w - 60) / 2;

    // --- left: you, the mouse, sound, the window ---
    float x = box.x + 20, y = box.y + 50;
    c.text("Your name (used from the next connection)", {x, y}, {14, palette::kTextDim});
    ui.text_field({x, y + 20, col, 36}, "settings_name", name_, "1-24 characters");
    if (protocol::lobby::is_valid_name(name_.text(), protocol::kMaxNameBytes)) s.name = name_.text();
    y += 68;
    double sensitivity = s.mouse_sensitivity;
    if (ui.slider({x, y, col, 40}, "mouse_sensitivity", "Mouse sensitivity", sensitivity, kMinSensitivity,
                  kMaxSensitivity, 0.05, "x"))
        s.mouse_sensitivity = std::round(sensitivity * 100) / 100;
    y += 50;
    double volume = s.volume;
    if (ui.slider({x, y, col, 40}, "volume", "Master volume", volume, 0, 100, 5, "%"))
        s.volume = static_cast<int>(std::lround(volume));
    y += 50;
    ui.checkbox({x, y, col, 28}, "Mute", s.mute);
    y += 36;
    ui.checkbox({x, y, col, 28}, "Vsync", s.vsync);
    y += 36;
    ui.checkbox({x, y, col, 28}, "Fullscreen", s.fullscreen);
    y += 36;
    ui.checkbox({x, y, col, 28}, "Net graph (F3)", s.net_graph);
    y += 36;
    // One click moves it to the next corner.
    if (ui.button({x, y, col, 32}, fmt::format("Net graph at: {}", label(s.net_graph_position))))
        s.net_graph_position = static_cast<Corner>((static_cast<int>(s.net_graph_position) + 1) % 4);

    // --- right: the keys ---
    x = box.x + 40 + col;
    y = box.y + 50;
    c.text(c.fit("Keys: click a slot, press a key (Esc cancels, Backspace clears)", col, {13}), {x, y},
           {13, palette::kTextDim});
    y += 24;
    const float slot_w = 112;
    for (std::size_t i = 0; i < kActionCount; ++i) {
        const auto action = static_cast<Action>(i);
        c.text(label(action), {x, y + 5}, {15, palette::kText});
        for (int slot = 0; slot < 2; ++slot) {
            const Binding& b = s.bindings[action];
            const bool waiting = capture_ && capture_->first == action && capture_->second == slot;
            const ScreenRect r{x + col - (2 - slot) * (slot_w + 8) + 8, y, slot_w, 28};
            const std::string shown = waiting ? "press a key\xe2\x80\xa6" : code_name(slot == 0 ? b.primary : b.secondary);
            if (ui.key_slot(r, fmt::format("{}.{}", name(action), slot + 1), shown, waiting)) {
                capture_ = std::pair{action, slot};
                ui.unfocus();
            }
        }
        y += 34;
    }
    if (ui.button({x, y + 4, 200, 32}, "Default keys")) {
        s.bindings = default_bindings();
        notice_ = "keys back to their defaults";
    }
    if (!notice_.empty()) c.text(c.fit(notice_, col, {13}), {x, y + 46}, {13, palette::kAccent});

    // --- bottom ---
    const bool done = ui.button({box.x + w / 2 - 100, box.y + h - 54, 200, 40}, "Done", true, true);
    if (done) close();
    return open_;
}

} // namespace skirmish::app
