// client/app_sdl/ui.cpp
#include "client/app_sdl/ui.hpp"

#include "shared/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

bool inside(const ScreenRect& r, sim::Vec2 p) { return p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h; }

} // namespace

Clipboard sdl_clipboard() {
    return {[] {
                std::string text;
                if (char* c = SDL_GetClipboardText()) {
                    text = c;
                    SDL_free(c);
                }
                return text;
            },
            [](const std::string& text) { SDL_SetClipboardText(text.c_str()); }};
}

void apply_edits(LineEdit& edit, const UiInput& in, const Clipboard& clipboard) {
    for (const EditPress& p : in.edits) {
        switch (p.key) {
        case EditKey::Insert: edit.insert(p.text); break;
        case EditKey::Backspace: edit.backspace(p.ctrl); break;
        case EditKey::Delete: edit.erase_forward(p.ctrl); break;
        case EditKey::Left: edit.move_left(p.ctrl, p.shift); break;
        case EditKey::Right: edit.move_right(p.ctrl, p.shift); break;
        case EditKey::Home: edit.move_home(p.shift); break;
        case EditKey::End: edit.move_end(p.shift); break;
        case EditKey::SelectAll: edit.select_all(); break;
        case EditKey::Copy:
            if (edit.has_selection() && clipboard.set) clipboard.set(std::string(edit.selected_text()));
            break;
        case EditKey::Cut:
            if (edit.has_selection() && clipboard.set) {
                clipboard.set(std::string(edit.selected_text()));
                edit.erase_selection();
            }
            break;
        case EditKey::Paste:
            // One line: a pasted line break ends the paste.
            if (clipboard.get) {
                const std::string text = clipboard.get();
                edit.insert(std::string_view(text).substr(0, text.find_first_of("\r\n")));
            }
            break;
        }
    }
}

UiInput blind(const UiInput& input) {
    UiInput none;
    none.mouse = {-1e6f, -1e6f};
    // The button's state stays, so a drag in the overlay on top (a slider)
    // is not ended by the screen drawn under it.
    none.mouse_down = input.mouse_down;
    none.mouse_released = input.mouse_released;
    return none;
}

void Ui::begin(const UiInput& input) {
    input_ = input;
    if (input_.mouse_pressed) press_at_ = input_.mouse;
    if (!input_.mouse_down && !input_.mouse_released) dragging_.clear();
}

bool Ui::hovered(const ScreenRect& r) const { return inside(r, input_.mouse); }

bool Ui::clicked(const ScreenRect& r) const {
    return input_.mouse_released && inside(r, input_.mouse) && inside(r, press_at_);
}

void Ui::panel(const ScreenRect& r, std::string_view title) {
    canvas_.cover(r); // a panel is opaque: what was drawn under it is hidden
    canvas_.fill_rect({r.x + 4, r.y + 6, r.w, r.h}, palette::kShadow);
    canvas_.fill_rect(r, palette::kPanel);
    if (!title.empty()) {
        canvas_.fill_rect({r.x, r.y, r.w, 34}, palette::kPanelTitle);
        canvas_.fill_rect({r.x, r.y + 34, r.w, 2}, palette::kAccent.with_alpha(0.8));
        canvas_.text(title, {r.x + 14, r.y + 7}, {17, palette::kText, Face::Bold});
    }
    canvas_.outline_rect(r, palette::kPanelBorder);
}

void Ui::note(std::string_view kind, std::string_view label, const ScreenRect& r, bool enabled, bool active) {
    UiRecord* record = canvas_.record();
    if (!record) return;
    const float k = canvas_.scale();
    record->widgets.push_back(
        {std::string(kind), std::string(label), {r.x * k, r.y * k, r.w * k, r.h * k}, enabled, active});
}

void Ui::label(sim::Vec2 at, std::string_view text, const TextStyle& style) { canvas_.text(text, at, style); }

bool Ui::button(const ScreenRect& r, std::string_view label, bool enabled, bool primary) {
    const bool hover = enabled && hovered(r);
    Color fill = primary ? palette::kAccentDark : palette::kButton;
    if (hover) fill = primary ? palette::kAccent.with_alpha(0.85) : palette::kButtonHover;
    if (!enabled) fill = palette::kButton.with_alpha(0.5);
    canvas_.fill_rect(r, fill);
    canvas_.outline_rect(r, hover ? palette::kAccent : palette::kPanelBorder);
    const TextStyle style{15, enabled ? (primary && hover ? palette::kBackground : palette::kText) : palette::kTextDim,
                          Face::Bold, Align::Center};
    canvas_.text(label, {r.x + r.w / 2, r.y + (r.h - 19) / 2}, style);
    note("button", label, r, enabled);
    return enabled && clicked(r);
}

bool Ui::checkbox(const ScreenRect& r, std::string_view label, bool& value) {
    const bool hover = hovered(r);
    const ScreenRect box{r.x, r.y + (r.h - 18) / 2, 18, 18};
    canvas_.fill_rect(box, palette::kField);
    canvas_.outline_rect(box, hover ? palette::kAccent : palette::kPanelBorder);
    if (value) canvas_.fill_rect({box.x + 4, box.y + 4, 10, 10}, palette::kAccent);
    canvas_.text(label, {r.x + 28, r.y + (r.h - 19) / 2}, {15, hover ? palette::kText : palette::kText.with_alpha(0.9)});
    note("checkbox", label, r, true, value);
    if (clicked(r)) {
        value = !value;
        return true;
    }
    return false;
}

bool Ui::slider(const ScreenRect& r, std::string_view id, std::string_view label, double& value, double low,
                double high, double step, std::string_view unit) {
    const TextStyle text{14, palette::kText};
    canvas_.text(label, {r.x, r.y}, text);
    canvas_.text(fmt::format("{:g} {}", value, unit), {r.x + r.w, r.y}, {14, palette::kAccent, Face::Bold, Align::Right});
    const ScreenRect track{r.x, r.y + 24, r.w, 6};
    const ScreenRect grab{r.x, r.y + 16, r.w, 22};
    canvas_.fill_rect(track, palette::kField);
    const float fraction = static_cast<float>((value - low) / (high - low));
    canvas_.fill_rect({track.x, track.y, track.w * std::clamp(fraction, 0.0f, 1.0f), track.h}, palette::kAccentDark);
    const bool active = dragging_ == id;
    note("slider", id, grab, true, active);
    canvas_.fill_rect({track.x + track.w * fraction - 5, track.y - 6, 10, 18},
                      active || hovered(grab) ? palette::kAccent : palette::kWallLight);
    if (input_.mouse_pressed && hovered(grab)) dragging_ = std::string(id);
    // Held, or let go this frame (a quick drag may end in the frame it last moved in).
    if (dragging_ != id || !(input_.mouse_down || input_.mouse_released)) return false;
    const double f = std::clamp(static_cast<double>((input_.mouse.x - track.x) / track.w), 0.0, 1.0);
    double v = low + f * (high - low);
    v = std::round(v / step) * step;
    if (v == value) return false;
    value = v;
    return true;
}

bool Ui::track(const ScreenRect& r, std::string_view id, double& fraction) {
    note("track", id, r, true, dragging_ == id);
    if (input_.mouse_pressed && hovered(r)) dragging_ = std::string(id);
    if (dragging_ != id || !(input_.mouse_down || input_.mouse_released)) return false;
    fraction = std::clamp(static_cast<double>((input_.mouse.x - r.x) / std::max(1.0f, r.w)), 0.0, 1.0);
    return true;
}

bool Ui::stepper(const ScreenRect& r, std::string_view label, int& value, int low, int high, int step,
                 std::string_view shown) {
    canvas_.text(label, {r.x, r.y + (r.h - 19) / 2}, {15, palette::kText});
    note("stepper", label, r, true);
    const float bw = r.h;
    const ScreenRect minus{r.x + r.w - bw * 2 - 80, r.y, bw, r.h};
    const ScreenRect plus{r.x + r.w - bw, r.y, bw, r.h};
    const int before = value;
    if (button(minus, "\xe2\x88\x92", value > low)) value = std::max(low, value - step);
    canvas_.text(shown, {minus.x + bw + 40, r.y + (r.h - 19) / 2}, {15, palette::kAccent, Face::Bold, Align::Center});
    if (button(plus, "+", value < high)) value = std::min(high, value + step);
    return value != before;
}

namespace {

// The byte offset in `text` whose caret position is nearest to `x` (virtual
// pixels from the text's left edge).
std::size_t offset_at(Canvas& canvas, const std::string& text, float x, const TextStyle& style) {
    std::size_t best = 0;
    float best_distance = std::abs(x);
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i < text.size() && util::is_utf8_continuation(text[i])) continue;
        const float distance = std::abs(canvas.measure(std::string_view(text).substr(0, i), style).x - x);
        if (distance < best_distance) {
            best = i;
            best_distance = distance;
        }
    }
    return best;
}

} // namespace

bool Ui::text_field(const ScreenRect& r, std::string_view id, LineEdit& edit, std::string_view placeholder,
                    bool secret) {
    const TextStyle style{16, palette::kText};
    const float inner = r.w - 20;
    // What is drawn: the text, or one * per character of it. Offsets into the
    // text (caret, selection) map to offsets into what is drawn and back.
    const std::string& text = edit.text();
    std::string masked;
    const auto mask = [&] {
        masked.clear();
        if (!secret) return;
        for (const char ch : text)
            if (!util::is_utf8_continuation(ch)) masked += '*';
    };
    mask();
    const std::string& shown = secret ? masked : text;
    const auto to_shown = [&](std::size_t bytes) {
        if (!secret) return bytes;
        std::size_t n = 0;
        for (std::size_t i = 0; i < bytes && i < text.size(); ++i) n += util::is_utf8_continuation(text[i]) ? 0 : 1;
        return n;
    };
    const auto from_shown = [&](std::size_t offset) {
        if (!secret) return offset;
        std::size_t i = 0;
        for (std::size_t n = 0; i < text.size(); ++i) {
            if (util::is_utf8_continuation(text[i])) continue;
            if (n++ == offset) return i;
        }
        return i;
    };
    const auto prefix_width = [&](std::size_t bytes) {
        const std::size_t n = to_shown(bytes);
        return n == 0 ? 0.0f : canvas_.measure(std::string_view(shown).substr(0, n), style).x;
    };
    // Where the text starts: scrolled so the caret stays inside the field.
    const auto text_left = [&] {
        const float caret_x = prefix_width(edit.caret());
        return r.x + 10 - std::max(0.0f, caret_x - inner);
    };
    // A press in the field focuses it and places the caret (shift: extends
    // the selection); dragging with the button held selects.
    if (input_.mouse_pressed && hovered(r)) {
        const bool was_focused = focused(id);
        focus(id);
        dragging_ = std::string(id);
        edit.move_to(from_shown(offset_at(canvas_, shown, input_.mouse.x - text_left(), style)),
                     input_.shift && was_focused);
    } else if (dragging_ == id && input_.mouse_down) {
        edit.move_to(from_shown(offset_at(canvas_, shown, input_.mouse.x - text_left(), style)), true);
    }
    const bool has_focus = focused(id);
    note("text_field", id, r, true, has_focus);
    canvas_.fill_rect(r, palette::kField);
    canvas_.outline_rect(r, has_focus ? palette::kAccent : (hovered(r) ? palette::kWallLight : palette::kPanelBorder),
                         has_focus ? 2.0f : 1.0f);
    bool entered = false;
    if (has_focus) {
        apply_edits(edit, input_, clipboard_);
        mask(); // the text may have changed
        entered = input_.enter;
    }
    canvas_.set_clip(r);
    const float y = r.y + (r.h - 20) / 2;
    if (edit.empty() && !has_focus) {
        canvas_.text(placeholder, {r.x + 10, y}, {16, palette::kTextDim});
    } else {
        const float x = text_left();
        if (has_focus && edit.has_selection()) {
            const float from = prefix_width(edit.selection_begin()), to = prefix_width(edit.selection_end());
            canvas_.fill_rect({x + from, r.y + 6, to - from, r.h - 12}, palette::kAccentDark.with_alpha(0.8));
        }
        canvas_.text(secret ? std::string_view(masked) : std::string_view(edit.text()), {x, y}, style);
        if (has_focus && std::fmod(time_s_, 1.0) < 0.6)
            canvas_.fill_rect({x + prefix_width(edit.caret()), r.y + 7, 2, r.h - 14}, palette::kAccent);
    }
    canvas_.clear_clip();
    return entered;
}

bool Ui::icon_button(const ScreenRect& r, std::string_view id, std::string_view glyph, bool active) {
    const bool hover = hovered(r);
    if (hover) canvas_.fill_rect(r, palette::kButtonHover);
    canvas_.text(glyph, {r.x + r.w / 2, r.y + (r.h - 22) / 2},
                 {18, active ? palette::kAccent : (hover ? palette::kText : palette::kTextDim), Face::Regular, Align::Center});
    note("icon", id, r, true, active);
    return clicked(r);
}

bool Ui::key_slot(const ScreenRect& r, std::string_view id, std::string_view shown, bool waiting) {
    const bool hover = hovered(r);
    canvas_.fill_rect(r, waiting ? palette::kAccentDark : hover ? palette::kButtonHover : palette::kField);
    canvas_.outline_rect(r, waiting || hover ? palette::kAccent : palette::kPanelBorder, waiting ? 2.0f : 1.0f);
    canvas_.text(canvas_.fit(shown, r.w - 8, {14}), {r.x + r.w / 2, r.y + (r.h - 18) / 2},
                 {14, shown == "none" ? palette::kTextDim : palette::kText, Face::Bold, Align::Center});
    note("key", id, r, true, waiting);
    return clicked(r);
}

bool Ui::list_row(const ScreenRect& r, bool selected) {
    const bool hover = hovered(r);
    note("list_row", "", r, true, selected);
    if (selected) canvas_.fill_rect(r, palette::kAccentDark.with_alpha(0.55));
    else if (hover) canvas_.fill_rect(r, palette::kButtonHover.with_alpha(0.7));
    return clicked(r);
}

} // namespace skirmish::app
