// client/app/ui.cpp
#include "client/app/ui.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

bool inside(const ScreenRect& r, sim::Vec2 p) { return p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h; }

} // namespace

UiInput blind(const UiInput&) {
    UiInput none;
    none.mouse = {-1e6f, -1e6f};
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
    if (dragging_ != id || !input_.mouse_down) return false;
    const double f = std::clamp(static_cast<double>((input_.mouse.x - track.x) / track.w), 0.0, 1.0);
    double v = low + f * (high - low);
    v = std::round(v / step) * step;
    if (v == value) return false;
    value = v;
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

bool Ui::text_field(const ScreenRect& r, std::string_view id, LineEdit& edit, std::string_view placeholder) {
    if (input_.mouse_released && clicked(r)) focus(id);
    const bool has_focus = focused(id);
    note("text_field", id, r, true, has_focus);
    canvas_.fill_rect(r, palette::kField);
    canvas_.outline_rect(r, has_focus ? palette::kAccent : (hovered(r) ? palette::kWallLight : palette::kPanelBorder),
                         has_focus ? 2.0f : 1.0f);
    bool entered = false;
    if (has_focus) {
        if (!input_.typed.empty()) edit.insert(input_.typed);
        if (input_.backspace) edit.backspace();
        entered = input_.enter;
    }
    const TextStyle style{16, palette::kText};
    const float inner = r.w - 20;
    canvas_.set_clip(r);
    const float y = r.y + (r.h - 20) / 2;
    if (edit.empty() && !has_focus) {
        canvas_.text(placeholder, {r.x + 10, y}, {16, palette::kTextDim});
    } else {
        const sim::Vec2 size = canvas_.measure(edit.text(), style);
        const float x = size.x > inner ? r.x + 10 + inner - size.x : r.x + 10; // keep the caret end visible
        canvas_.text(edit.text(), {x, y}, style);
        if (has_focus && std::fmod(time_s_, 1.0) < 0.6)
            canvas_.fill_rect({x + size.x + 1, r.y + 7, 2, r.h - 14}, palette::kAccent);
    }
    canvas_.clear_clip();
    return entered;
}

bool Ui::list_row(const ScreenRect& r, bool selected) {
    const bool hover = hovered(r);
    note("list_row", "", r, true, selected);
    if (selected) canvas_.fill_rect(r, palette::kAccentDark.with_alpha(0.55));
    else if (hover) canvas_.fill_rect(r, palette::kButtonHover.with_alpha(0.7));
    return clicked(r);
}

} // namespace skirmish::app
