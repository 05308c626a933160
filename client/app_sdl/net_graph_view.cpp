// client/app_sdl/net_graph_view.cpp
#include "client/app_sdl/net_graph_view.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::app {
namespace {

constexpr Color kPingLine{120, 220, 140};
constexpr Color kBar{110, 190, 240};
constexpr Color kFullBar{255, 170, 60};
constexpr Color kNominal{120, 230, 140, 230};
constexpr Color kLost{255, 70, 70};
constexpr Color kGuide{255, 255, 255, 40};

float x_of(util::TimePoint when, util::TimePoint now, const ScreenRect& r) {
    const double age = util::to_seconds(now - when) / util::to_seconds(NetGraph::kWindow);
    return r.x + r.w * static_cast<float>(1.0 - std::clamp(age, 0.0, 1.0));
}

void graph_frame(Canvas& c, const ScreenRect& r, const std::string& title, double scale_ms) {
    c.fill_rect(r, Color{0, 0, 0, 120});
    c.fill_rect({r.x, r.y + r.h / 2, r.w, 1}, kGuide);
    c.outline_rect(r, palette::kPanelBorder);
    c.text(title, {r.x + 4, r.y + 2}, {11, palette::kTextDim, Face::Mono});
    c.text(fmt::format("{:.0f} ms", scale_ms), {r.x + r.w - 4, r.y + 2}, {11, palette::kTextDim, Face::Mono, Align::Right});
}

} // namespace

ScreenRect net_graph_box(const Canvas& c, std::size_t lines, float right_edge, Corner corner,
                         const std::optional<sim::Vec2>& own_at) {
    const float w = 440, line_h = 16, graph_h = 58;
    const float h = 12 + line_h * static_cast<float>(lines) + 2 * (graph_h + 8) + 6 + 16; // + the legend
    const auto place = [&](Corner k) {
        const bool right = k == Corner::TopRight || k == Corner::BottomRight;
        const bool top = k == Corner::TopLeft || k == Corner::TopRight;
        return ScreenRect{right ? std::min(c.width(), right_edge) - w - 12 : 12.0f, top ? 52.0f : c.height() - h - 12,
                          w, h};
    };
    const ScreenRect box = place(corner);
    const bool under = own_at && own_at->x > box.x - 20 && own_at->x < box.x + box.w + 20 && own_at->y > box.y - 20 &&
                       own_at->y < box.y + box.h + 20;
    if (!under) return box;
    switch (corner) {
    case Corner::TopLeft: return place(Corner::TopRight);
    case Corner::TopRight: return place(Corner::TopLeft);
    case Corner::BottomLeft: return place(Corner::BottomRight);
    case Corner::BottomRight: return place(Corner::BottomLeft);
    }
    return box;
}

void draw_net_graph(Frame& f, const NetGraph& graph, int snapshot_interval_ticks, int tick_rate_hz, float right_edge,
                    Corner corner, const std::optional<sim::Vec2>& own_at) {
    Canvas& c = f.canvas;
    const auto lines = graph.lines();
    const float w = 440, line_h = 16, graph_h = 58;
    const ScreenRect box = net_graph_box(c, lines.size(), right_edge, corner, own_at);
    c.fill_rect(box, Color{8, 11, 16, 215});
    c.outline_rect(box, palette::kPanelBorder);
    float y = box.y + 6;
    for (const auto& line : lines) {
        const bool alarm = line.find("EXTRAPOLATING") != std::string::npos;
        c.text(line, {box.x + 8, y}, {12, alarm ? palette::kWarn : palette::kText, Face::Mono});
        y += line_h;
    }
    y += 6;

    // Ping over time.
    const ScreenRect ping{box.x + 8, y, w - 16, graph_h};
    const double ping_scale = graph.ping_scale_ms();
    graph_frame(c, ping, "ping", ping_scale);
    const auto& pings = graph.ping_series();
    for (std::size_t i = 1; i < pings.size(); ++i) {
        const auto y_of = [&](double ms) {
            return ping.y + ping.h - static_cast<float>(std::min(ms / ping_scale, 1.0)) * (ping.h - 4);
        };
        c.line({x_of(pings[i - 1].when, f.now, ping), y_of(pings[i - 1].rtt_ms)},
               {x_of(pings[i].when, f.now, ping), y_of(pings[i].rtt_ms)}, kPingLine, 1.5f);
    }
    y += graph_h + 8;

    // Snapshot arrivals over the last 3 s: one bar per snapshot, its height
    // the interval since the previous one, and the nominal interval drawn over them.
    const ScreenRect bars{box.x + 8, y, w - 16, graph_h};
    const double scale = graph.arrival_scale_ms();
    graph_frame(c, bars, "snapshot arrival interval, last 3 s", scale);
    const double window_s = util::to_seconds(NetGraph::kBarWindow);
    const auto bar_x = [&](util::TimePoint when) {
        const double age = util::to_seconds(f.now - when) / window_s;
        return bars.x + bars.w * static_cast<float>(1.0 - std::clamp(age, 0.0, 1.0));
    };
    for (const auto& b : graph.arrival_series()) {
        if (f.now - b.when > NetGraph::kBarWindow) continue;
        const float x = bar_x(b.when);
        const float bh = std::max(1.0f, static_cast<float>(std::min(b.interval_ms / scale, 1.0)) * (bars.h - 4));
        c.fill_rect({x - 3, bars.y + bars.h - bh, 3, bh}, b.full ? kFullBar : kBar);
        if (b.lost_before > 0) c.fill_rect({x - 6, bars.y + 14, 2, bars.h - 16}, kLost);
    }
    if (tick_rate_hz > 0) {
        const double nominal = 1000.0 * snapshot_interval_ticks / tick_rate_hz;
        const float ny = bars.y + bars.h - static_cast<float>(std::min(nominal / scale, 1.0)) * (bars.h - 4);
        c.fill_rect({bars.x, ny - 1, bars.w, 2}, kNominal);
    }
    // The legend, under the graph.
    float lx = bars.x;
    const float ly = bars.y + bars.h + 3;
    for (const auto& [color, label] : {std::pair{kBar, "delta"}, std::pair{kFullBar, "full"}, std::pair{kLost, "lost"},
                                       std::pair{kNominal, "nominal interval"}}) {
        c.fill_rect({lx, ly + 4, 8, 8}, color);
        c.text(label, {lx + 11, ly}, {11, palette::kTextDim, Face::Mono});
        lx += 20 + c.measure(label, {11, palette::kTextDim, Face::Mono}).x;
    }
}

} // namespace skirmish::app
