// client/app_sdl/frame.cpp
#include "client/app_sdl/frame.hpp"

#include <fmt/format.h>

#include <cmath>

namespace skirmish::app {

void draw_title(Canvas& canvas, sim::Vec2 at, float size) {
    const TextStyle shadow{size, palette::kShadow.with_alpha(std::uint8_t{255}), Face::Bold, Align::Center};
    canvas.text("SKIRMISH", {at.x + 3, at.y + 4}, shadow);
    canvas.text("SKIRMISH", at, {size, palette::kAccent, Face::Bold, Align::Center});
}

void draw_problem(Frame& f, float y, double lifetime_s) {
    const std::string& problem = f.session.problem();
    if (problem.empty()) return;
    const double age = util::to_seconds(f.now - f.session.problem_at());
    if (age > lifetime_s) return;
    const TextStyle style{15, palette::kText, Face::Regular, Align::Center};
    const float width = std::min(f.canvas.width() - 80, f.canvas.measure(problem, style).x + 40);
    const ScreenRect box{(f.canvas.width() - width) / 2, y, width, 34};
    const double fade = age > lifetime_s - 1.0 ? lifetime_s - age : 1.0;
    f.canvas.fill_rect(box, Color{90, 28, 30, 235}.with_alpha(fade));
    f.canvas.outline_rect(box, palette::kBad.with_alpha(fade));
    f.canvas.text(f.canvas.fit(problem, width - 20, style), {box.x + width / 2, box.y + 7},
                  {15, palette::kText.with_alpha(fade), Face::Regular, Align::Center});
}

std::string format_clock(double seconds) {
    const int s = std::max(0, static_cast<int>(std::ceil(seconds)));
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

} // namespace skirmish::app
