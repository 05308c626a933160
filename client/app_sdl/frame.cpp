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

float draw_wrapped(Canvas& canvas, std::string_view text, sim::Vec2 at, float width, const TextStyle& style) {
    const float line_h = style.size * 1.35f;
    float y = at.y;
    int lines = 0;
    while (!text.empty()) {
        // The longest run of whole words that fits (a word longer than the line is cut).
        std::size_t end = text.size();
        if (lines == 3 || canvas.measure(text, style).x <= width) {
            canvas.text(canvas.fit(text, width, style), {at.x, y}, style);
            return y + line_h - at.y;
        }
        std::size_t best = 0;
        for (std::size_t space = text.find(' '); space != std::string_view::npos; space = text.find(' ', space + 1)) {
            if (canvas.measure(text.substr(0, space), style).x > width) break;
            best = space;
        }
        end = best == 0 ? text.size() : best;
        canvas.text(canvas.fit(text.substr(0, end), width, style), {at.x, y}, style);
        text = end < text.size() ? text.substr(end + 1) : std::string_view{};
        y += line_h;
        ++lines;
    }
    return y - at.y;
}

std::string format_clock(double seconds) {
    const int s = std::max(0, static_cast<int>(std::ceil(seconds)));
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string ping_text(const std::vector<protocol::PlayerPing>& pings, std::uint32_t player_id) {
    for (const auto& p : pings) {
        if (p.player_id == player_id) return fmt::format("{} ms", p.ping_ms);
    }
    return "-";
}

} // namespace skirmish::app
