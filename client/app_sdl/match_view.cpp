// client/app_sdl/match_view.cpp
#include "client/app_sdl/match_view.hpp"

#include "client/core/shot_rewinds.hpp"
#include "shared/sim/quantise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

constexpr float kGridStep = 80.0f; // world units
constexpr double kTracerLifetimeS = 0.25;

Color health_color(double fraction) {
    if (fraction > 0.6) return palette::kGood;
    if (fraction > 0.3) return palette::kWarn;
    return palette::kBad;
}

} // namespace

ScreenRect MatchView::arena_area(const Canvas& canvas, float right_edge) {
    return {12, 52, std::min(canvas.width(), right_edge) - 24, canvas.height() - 64};
}

void MatchView::draw(Frame& f, const client::ClientView& view, const MatchOverlays& overlays) {
    Canvas& c = f.canvas;
    if (!view.map) return;
    const ScreenRect area = overlays.area ? *overlays.area : arena_area(c, overlays.right_edge);
    camera_ = overlays.camera ? *overlays.camera : fit_camera(view.map->width, view.map->height, area);
    if (overlays.area) c.set_clip(area);
    draw_arena(c, *view.map);
    draw_tracers(c, view);
    trail_.record(view.latest_received_tick, view.latest_received);
    if (overlays.snapshots) draw_snapshots(c, view);
    if (overlays.ghosts) draw_study(c, view);
    if (overlays.rewinds) draw_rewinds(c, view);
    // Others first, the own player on top.
    for (const auto& p : view.players) {
        if (!p.local) draw_player(c, view, p);
        if (overlays.highlight == p.id && p.state.alive) {
            const float r = std::max(10.0f, camera_.to_screen(view.rules.player_radius));
            c.ring(camera_.to_screen(p.state.position), r + 6.0f, 2.0f, palette::kAccent);
        }
    }
    if (const auto* me = view.local()) draw_player(c, view, *me);
    if (overlays.area) c.clear_clip();
}

void MatchView::draw_arena(Canvas& c, const sim::Map& map) {
    const sim::Vec2 tl = camera_.to_screen({0, 0});
    const sim::Vec2 br = camera_.to_screen({map.width, map.height});
    const ScreenRect floor{tl.x, tl.y, br.x - tl.x, br.y - tl.y};
    c.fill_rect({floor.x - 6, floor.y - 6, floor.w + 12, floor.h + 12}, palette::kWallEdge);
    c.fill_rect(floor, palette::kFloor);
    for (float x = kGridStep; x < map.width; x += kGridStep) {
        const float sx = camera_.to_screen({x, 0}).x;
        c.fill_rect({sx, floor.y, 1, floor.h}, palette::kFloorGrid);
    }
    for (float y = kGridStep; y < map.height; y += kGridStep) {
        const float sy = camera_.to_screen({0, y}).y;
        c.fill_rect({floor.x, sy, floor.w, 1}, palette::kFloorGrid);
    }
    // Walls: a shadow, the body, a lit top edge and a dark outline.
    const float shadow = std::max(2.0f, camera_.to_screen(8.0f));
    for (const auto& w : map.walls) {
        const sim::Vec2 a = camera_.to_screen({w.x, w.y});
        c.fill_rect({a.x + shadow, a.y + shadow, camera_.to_screen(w.w), camera_.to_screen(w.h)}, palette::kShadow);
    }
    for (const auto& w : map.walls) {
        const sim::Vec2 a = camera_.to_screen({w.x, w.y});
        const ScreenRect r{a.x, a.y, camera_.to_screen(w.w), camera_.to_screen(w.h)};
        c.fill_rect(r, palette::kWall);
        c.fill_rect({r.x, r.y, r.w, std::min(3.0f, r.h / 3)}, palette::kWallLight);
        c.outline_rect(r, palette::kWallEdge);
    }
    c.outline_rect({floor.x - 2, floor.y - 2, floor.w + 4, floor.h + 4}, palette::kWall, 2);
}

void MatchView::draw_tracers(Canvas& c, const client::ClientView& view) {
    for (const auto& t : view.tracers) {
        const double life = std::clamp(1.0 - t.age_s / kTracerLifetimeS, 0.0, 1.0);
        const Color color = t.local ? Color{255, 241, 200} : palette::player(t.shooter);
        const sim::Vec2 a = camera_.to_screen(t.from), b = camera_.to_screen(t.to);
        c.line(a, b, color.with_alpha(life * 0.35), 5.0f);
        c.line(a, b, color.with_alpha(life), 1.6f);
        c.fill_circle(b, 3.0f, color.with_alpha(life));
    }
}

void MatchView::draw_player(Canvas& c, const client::ClientView& view, const client::ViewPlayer& p) {
    const sim::Player& s = p.state;
    const sim::Vec2 at = camera_.to_screen(s.position);
    // Never smaller than 10 virtual pixels, so a player reads at any window size.
    const float r = std::max(10.0f, camera_.to_screen(view.rules.player_radius));
    const Color color = palette::player(p.id);
    if (!s.alive) {
        // A small cross where they fell, until they respawn.
        const Color dead = color.with_alpha(0.45);
        c.line({at.x - r * 0.6f, at.y - r * 0.6f}, {at.x + r * 0.6f, at.y + r * 0.6f}, dead, 3);
        c.line({at.x - r * 0.6f, at.y + r * 0.6f}, {at.x + r * 0.6f, at.y - r * 0.6f}, dead, 3);
        return;
    }
    const float aim = sim::aim_radians(s.aim);
    const sim::Vec2 dir{std::cos(aim), std::sin(aim)};
    const bool dashing = view.server_tick < static_cast<double>(s.dash_end_tick);
    c.fill_circle({at.x + 2, at.y + 4}, r, palette::kShadow);
    if (dashing) c.fill_circle(at, r * 1.5f, color.with_alpha(0.25));
    // Barrel, then body, then a darker core and a rim.
    c.line(at, at + dir * (r * 1.75f), palette::kWallEdge, 7.0f);
    c.line(at, at + dir * (r * 1.7f), Color{220, 226, 235}, 4.0f);
    c.fill_circle(at, r, color);
    c.fill_circle(at, r * 0.55f, Color{static_cast<std::uint8_t>(color.r * 0.6), static_cast<std::uint8_t>(color.g * 0.6),
                                       static_cast<std::uint8_t>(color.b * 0.6)});
    c.ring(at, r, 2.0f, p.local ? Color{255, 255, 255} : palette::kWallEdge);
    if (p.local) c.ring(at, r + 5.0f, 1.5f, Color{255, 255, 255, 110});
    if (view.server_tick < static_cast<double>(s.protected_until_tick)) {
        // Spawn protection: a shimmering shield ring, seen by everyone (the
        // snapshot carries it); it fades in its last half second.
        const double left_s = (static_cast<double>(s.protected_until_tick) - view.server_tick) / view.rules.tick_rate_hz;
        const double pulse = 0.5 + 0.5 * std::sin(view.server_tick * 12.0 / view.rules.tick_rate_hz);
        const double fade = std::clamp(left_s / 0.5, 0.0, 1.0);
        const Color shield{150, 230, 255};
        c.fill_circle(at, r + 9.0f, shield.with_alpha(0.10 * fade));
        c.ring(at, r + 8.0f + static_cast<float>(pulse) * 2.0f, 2.5f, shield.with_alpha((0.55 + 0.35 * pulse) * fade));
    }

    // Name and health above.
    const float bar_w = std::max(34.0f, r * 2.6f);
    const float bar_y = at.y - r - 12;
    const double health = std::clamp(static_cast<double>(s.health) / std::max(1, view.rules.max_health), 0.0, 1.0);
    c.fill_rect({at.x - bar_w / 2 - 1, bar_y - 1, bar_w + 2, 6}, palette::kWallEdge);
    c.fill_rect({at.x - bar_w / 2, bar_y, static_cast<float>(bar_w * health), 4}, health_color(health));
    const TextStyle name_style{14, p.local ? palette::kAccent : palette::kText, Face::Bold, Align::Center};
    c.text(p.name, {at.x + 1, bar_y - 19}, {14, palette::kWallEdge, Face::Bold, Align::Center});
    c.text(p.name, {at.x, bar_y - 20}, name_style);
}

void MatchView::draw_study(Canvas& c, const client::ClientView& view) {
    const float r = std::max(6.0f, camera_.to_screen(view.rules.player_radius));
    // The own player where the server last said it was.
    if (view.server_ghost) {
        if (const auto* me = view.local(); me && me->state.alive) {
            const sim::Vec2 ghost = camera_.to_screen(*view.server_ghost);
            c.line(ghost, camera_.to_screen(me->state.position), palette::kGhost.with_alpha(0.35), 1.5f);
            c.fill_circle(ghost, r, palette::kGhost.with_alpha(0.18));
            c.ring(ghost, r, 2.0f, palette::kGhost.with_alpha(0.8));
            c.text("server", {ghost.x, ghost.y + r + 3}, {11, palette::kGhost.with_alpha(0.8), Face::Bold, Align::Center});
        }
    }
    // The others at their newest received position (interpolation draws them in the past).
    for (const auto& [id, position] : view.latest_received) {
        const auto it = std::find_if(view.players.begin(), view.players.end(),
                                     [&](const client::ViewPlayer& p) { return p.id == id; });
        if (it == view.players.end() || it->local || !it->state.alive) continue;
        const sim::Vec2 latest = camera_.to_screen(position);
        const Color color = palette::player(id);
        c.line(camera_.to_screen(it->state.position), latest, color.with_alpha(0.6), 1.5f);
        c.ring(latest, r, 2.0f, color.with_alpha(0.85));
        c.fill_rect({latest.x - 2, latest.y - 2, 4, 4}, color);
    }
}

void MatchView::draw_snapshots(Canvas& c, const client::ClientView& view) {
    // Each other player's last snapshots as received: a trail of dots, the
    // newest largest, and a thin line from it to the body interpolation draws.
    for (const auto& p : view.players) {
        if (p.local || !p.state.alive) continue;
        const auto& trail = trail_.trail(p.id);
        if (trail.empty()) continue;
        const Color color = palette::player(p.id);
        const float n = static_cast<float>(trail.size());
        for (std::size_t i = 0; i < trail.size(); ++i) {
            const sim::Vec2 at = camera_.to_screen(trail[i].position);
            const float age = (n - 1 - static_cast<float>(i)) / std::max(1.0f, n - 1); // 0: newest
            if (i > 0) c.line(camera_.to_screen(trail[i - 1].position), at, Color{255, 255, 255}.with_alpha(0.25 + 0.35 * (1 - age)), 1.5f);
            const float r = i + 1 == trail.size() ? 4.5f : 3.0f;
            c.fill_circle(at, r + 1.5f, palette::kWallEdge.with_alpha(0.8 * (1 - age) + 0.2));
            c.fill_circle(at, r, color.with_alpha(0.35 + 0.65 * (1 - age)));
        }
        const sim::Vec2 newest = camera_.to_screen(trail.back().position);
        c.line(newest, camera_.to_screen(p.state.position), Color{255, 255, 255, 90}, 1.0f);
    }
}

void MatchView::draw_rewinds(Canvas& c, const client::ClientView& view) {
    // Each of our judged shots, for a moment: the target where the server
    // checked it (orange), where we drew it when we fired (white), joined.
    const float r = std::max(10.0f, camera_.to_screen(view.rules.player_radius));
    const Color server{255, 170, 60};
    for (const auto& shot : view.rewinds) {
        const double life = std::clamp(1.0 - shot.age_s / client::ShotRewinds::kLifetimeS, 0.0, 1.0);
        const sim::Vec2 at = camera_.to_screen(shot.server_at);
        if (shot.seen_at) {
            const sim::Vec2 seen = camera_.to_screen(*shot.seen_at);
            c.line(seen, at, Color{255, 255, 255}.with_alpha(0.6 * life), 1.5f);
            c.ring(seen, r, 2.0f, Color{255, 255, 255}.with_alpha(0.9 * life));
            c.text("you saw", {seen.x, seen.y - r - 16}, {11, Color{255, 255, 255}.with_alpha(life), Face::Bold, Align::Center});
        }
        c.fill_circle(at, r, server.with_alpha(0.18 * life));
        c.ring(at, r, 2.5f, server.with_alpha(life));
        c.text(fmt::format("server {} ({:.0f} ms back)", shot.hit ? "hit" : "miss", shot.rewind_ms),
               {at.x, at.y + r + 3}, {11, server.with_alpha(life), Face::Bold, Align::Center});
    }
}

} // namespace skirmish::app
