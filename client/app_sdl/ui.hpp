// client/app_sdl/ui.hpp
//
// Immediate-mode widgets for the menus, the lobby and the study panel:
// buttons, check boxes, sliders, steppers, text fields, list rows, panels.
// Each frame the app hands in what the mouse and keyboard did (UiInput);
// a widget draws itself and says whether it was used.
//
// IMPORTANT: one thread; widgets are identified by a caller-chosen id string
// (stable across frames) for dragging and keyboard focus.
#pragma once

#include "client/app/line_edit.hpp"
#include "client/app_sdl/canvas.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>
#include <string_view>

namespace skirmish::app {

// A key that edits or moves in a text field, in the order pressed (several
// may come in one frame: fast typing must not lose any).
enum class EditKey : std::uint8_t { Insert, Backspace, Delete, Left, Right, Home, End, SelectAll, Copy, Cut, Paste };
struct EditPress {
    EditPress(EditKey k = EditKey::Backspace, bool with_ctrl = false, bool with_shift = false, std::string typed = {})
        : key(k), ctrl(with_ctrl), shift(with_shift), text(std::move(typed)) {}
    EditKey key = EditKey::Backspace;
    bool ctrl = false;  // whole words (Backspace, Delete, Left, Right)
    bool shift = false; // extend the selection (Left, Right, Home, End)
    std::string text;   // Insert: what was typed (UTF-8)
};

struct UiInput {
    sim::Vec2 mouse;            // virtual pixels
    bool mouse_down = false;    // left button held
    bool mouse_pressed = false; // went down this frame
    bool mouse_released = false;
    bool double_click = false;  // this release ends a second click in quick succession (SDL counts them)
    bool shift = false;         // held (shift-click extends a text selection)
    float wheel = 0;            // + up
    // Typing and editing keys, in the order they happened: typed text is an
    // Insert between the keys (Ctrl+A then "bob" must select, then replace).
    std::vector<EditPress> edits;
    void type(std::string_view utf8) {
        if (!edits.empty() && edits.back().key == EditKey::Insert) edits.back().text += utf8;
        else edits.push_back({EditKey::Insert, false, false, std::string(utf8)});
    }
    bool enter = false;
    bool tab = false;
};

// Where copied text goes and pasted text comes from (SDL's clipboard by
// default; tests give their own).
struct Clipboard {
    std::function<std::string()> get;
    std::function<void(const std::string&)> set;
};
Clipboard sdl_clipboard();

// Applies this frame's typing and edit keys, in order, to `edit` (text fields and the match's chat line).
void apply_edits(LineEdit& edit, const UiInput& input, const Clipboard& clipboard);

// The same input with the mouse and keys taken away: for what is drawn under a dialog.
UiInput blind(const UiInput& input);

class Ui {
public:
    explicit Ui(Canvas& canvas, Clipboard clipboard = sdl_clipboard())
        : canvas_(canvas), clipboard_(std::move(clipboard)) {}

    void begin(const UiInput& input);
    Canvas& canvas() { return canvas_; }
    const UiInput& input() const { return input_; }

    bool hovered(const ScreenRect& r) const;
    // The mouse went down and up inside `r` this frame (releases count, so a
    // drag that ends elsewhere does not click).
    bool clicked(const ScreenRect& r) const;

    void panel(const ScreenRect& r, std::string_view title = {});
    void label(sim::Vec2 at, std::string_view text, const TextStyle& style = {});
    bool button(const ScreenRect& r, std::string_view label, bool enabled = true, bool primary = false);
    bool checkbox(const ScreenRect& r, std::string_view label, bool& value);
    // Returns true while the value changes.
    bool slider(const ScreenRect& r, std::string_view id, std::string_view label, double& value, double low,
                double high, double step, std::string_view unit);
    bool stepper(const ScreenRect& r, std::string_view label, int& value, int low, int high, int step,
                 std::string_view shown);
    // A text field; returns true when Enter was pressed in it. Click focuses it.
    // `secret`: shows a * for each character (a password).
    bool text_field(const ScreenRect& r, std::string_view id, LineEdit& edit, std::string_view placeholder,
                    bool secret = false);
    bool list_row(const ScreenRect& r, bool selected);
    // A key-binding slot: shows `shown` (a key name), recorded for --ui-log
    // as kind "key" with `id` as its label ("fire.1"); `waiting` while it
    // waits for a key press. Returns true when clicked.
    // A small square button showing `glyph`, recorded as kind "icon" labelled `id`.
    bool icon_button(const ScreenRect& r, std::string_view id, std::string_view glyph, bool active);
    bool key_slot(const ScreenRect& r, std::string_view id, std::string_view shown, bool waiting);
    // A bare track the mouse can press and drag along (the caller draws it),
    // recorded as kind "track" labelled `id`. While pressed or dragged, sets
    // `fraction` (0 at the left edge, 1 at the right) and returns true.
    bool track(const ScreenRect& r, std::string_view id, double& fraction);

    void focus(std::string_view id) { focus_ = std::string(id); }
    void unfocus() { focus_.clear(); }
    bool focused(std::string_view id) const { return focus_ == id; }
    bool typing() const { return !focus_.empty(); }
    // Blinking caret phase, advanced by the app (seconds).
    void set_time(double seconds) { time_s_ = seconds; }

private:
    // For --ui-log: what a widget looked like this frame (window pixels).
    void note(std::string_view kind, std::string_view label, const ScreenRect& r, bool enabled, bool active = false);

    Canvas& canvas_;
    Clipboard clipboard_;
    UiInput input_;
    std::string focus_;
    std::string dragging_;
    sim::Vec2 press_at_;
    double time_s_ = 0;
};

} // namespace skirmish::app
