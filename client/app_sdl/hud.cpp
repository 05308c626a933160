// client/app_sdl/hud.cpp
#include "client/app_sdl/hud.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

constexpr double kHitMarkerS = 0.25;
constexpr double kDamageFlashS = 0.35;
constexpr double kChatShownS = 10.0;

// `me`: the own player, or the one a spectator follows.
void draw_top_bar(Frame& f, const client::ClientView& view, const client::ViewPlayer* me) {
    Canvas& c = f.canvas;
    c.fill_rect({0, 0, c.width(), 44}, palette::kPanelTitle.with_alpha(std::uint8_t{235}));
    c.fill_rect({0, 44, c.width(), 1}, palette::kPanelBorder);
    if (me) {
        c.text(fmt::format("{}", me->state.frags), {20, 6}, {26, palette::kAccent, Face::Bold});
        c.text("FRAGS", {64, 10}, {11, palette::kTextDim, Face::Bold});
        c.text(fmt::format("{} deaths", me->state.deaths), {64, 23}, {12, palette::kTextDim});
    }
    const bool limited = view.rules.time_limit_s > 0;
    const std::string clock = limited ? format_clock(view.time_left_s) : "\xe2\x88\x9e";
    const bool hurry = limited && view.time_left_s < 30;
    c.text(clock, {c.width() / 2, 4}, {28, hurry ? palette::kBad : palette::kText, Face::Bold, Align::Center});
    // The leader and the frag limit.
    const client::ViewPlayer* leader = nullptr;
    for (const auto& p : view.players) {
        if (!leader || p.state.frags > leader->state.frags) leader = &p;
    }
    if (leader) {
        const std::string text = fmt::format("{} leads with {}  \xc2\xb7  first to {}", leader->name, leader->state.frags,
                                             view.rules.frag_limit);
        c.text(c.fit(text, c.width() / 2 - 90, {14}), {c.width() - 20, 13},
               {14, palette::kTextDim, Face::Regular, Align::Right});
    }
}

// In the top bar, between the frags and the clock: it never covers the arena.
void draw_health(Frame& f, const client::ViewPlayer& me, const client::ClientView& view) {
    Canvas& c = f.canvas;
    const float x = 160, y = 8;
    const float w = std::clamp(c.width() / 2 - 60 - x - 52, 80.0f, 220.0f);
    const double health = std::clamp(static_cast<double>(me.state.health) / std::max(1, view.rules.max_health), 0.0, 1.0);
    c.fill_rect({x, y + 4, w, 16}, palette::kField);
    const Color color = health > 0.6 ? palette::kGood : health > 0.3 ? palette::kWarn : palette::kBad;
    c.fill_rect({x, y + 4, static_cast<float>(w * health), 16}, color);
    c.text(fmt::format("{}", std::max<int>(0, me.state.health)), {x + w + 10, y}, {20, palette::kText, Face::Bold});
    if (view.server_tick < static_cast<double>(me.state.protected_until_tick))
        c.text("protected", {x, y + 22}, {11, Color{150, 230, 255}, Face::Bold});
}

// How much an overlay in `box` shows: faint while the own player is under it.
double overlay_opacity(const ScreenRect& box, const std::optional<sim::Vec2>& own_at) {
    if (!own_at) return 1.0;
    const float m = 24; // the player's body and name around its centre
    const bool under = own_at->x > box.x - m && own_at->x < box.x + box.w + m && own_at->y > box.y - m &&
                       own_at->y < box.y + box.h + m;
    return under ? 0.2 : 1.0;
}

void draw_crosshair(Frame& f, const client::ClientView& view, sim::Vec2 m) {
    Canvas& c = f.canvas;
    const Color color{255, 255, 255, 220};
    const float gap = 5, len = 8;
    c.line({m.x - gap - len, m.y}, {m.x - gap, m.y}, color, 2);
    c.line({m.x + gap, m.y}, {m.x + gap + len, m.y}, color, 2);
    c.line({m.x, m.y - gap - len}, {m.x, m.y - gap}, color, 2);
    c.line({m.x, m.y + gap}, {m.x, m.y + gap + len}, color, 2);
    c.fill_rect({m.x - 1, m.y - 1, 2, 2}, color);
    if (view.since_hit_confirm_s < kHitMarkerS) {
        // A hit marker: four diagonal ticks, fading out.
        const double life = 1.0 - view.since_hit_confirm_s / kHitMarkerS;
        const Color hit = palette::kHitMarker.with_alpha(life);
        const float a = 7, b = 15;
        for (const float sx : {-1.0f, 1.0f}) {
            for (const float sy : {-1.0f, 1.0f}) c.line({m.x + sx * a, m.y + sy * a}, {m.x + sx * b, m.y + sy * b}, hit, 3);
        }
    }
}

void draw_damage_flash(Frame& f, const client::ClientView& view) {
    if (view.since_damage_taken_s >= kDamageFlashS) return;
    Canvas& c = f.canvas;
    const double strength = 1.0 - view.since_damage_taken_s / kDamageFlashS;
    // A red frame, thick at the edge and fading inwards.
    for (int i = 0; i < 6; ++i) {
        const float inset = static_cast<float>(i) * 8;
        const Color color = palette::kDamage.with_alpha(strength * 0.45 * (1.0 - i / 6.0));
        c.outline_rect({inset, inset, c.width() - 2 * inset, c.height() - 2 * inset}, color, 8);
    }
}

void draw_kill_feed(Frame& f, const client::ClientView& view, float right, const std::optional<sim::Vec2>& own_at) {
    Canvas& c = f.canvas;
    float y = 56;
    // Translucent at the arena's top-right edge, and fainter still over the own player.
    const float feed_h = 28.0f * static_cast<float>(view.kill_feed.size());
    const double opacity = overlay_opacity({right - 380, y - 3, 380, feed_h}, own_at);
    for (const auto& k : view.kill_feed) {
        const double fade = (k.age_s > 5.0 ? std::max(0.0, 6.0 - k.age_s) : 1.0) * opacity;
        const bool mine = k.killer == view.local_id || k.victim == view.local_id;
        const TextStyle killer{14, palette::player(k.killer).with_alpha(fade), Face::Bold};
        const TextStyle victim{14, palette::player(k.victim).with_alpha(fade), Face::Bold};
        const std::string arrow = "  \xe2\x96\xb8  ";
        const float w = c.measure(k.killer_name, killer).x + c.measure(arrow, {14}).x + c.measure(k.victim_name, victim).x;
        const float x = right - 20 - w;
        c.fill_rect({x - 10, y - 3, w + 20, 24},
                    (mine ? palette::kAccentDark : palette::kPanel).with_alpha(0.55 * fade));
        float cx = x;
        cx += c.text(k.killer_name, {cx, y}, killer).x;
        cx += c.text(arrow, {cx, y}, {14, palette::kTextDim.with_alpha(fade)}).x;
        c.text(k.victim_name, {cx, y}, victim);
        y += 28;
    }
}

// Watching: what the camera shows under the top bar, and its keys at the bottom.
void draw_spectating(Frame& f, const HudState& state) {
    Canvas& c = f.canvas;
    const std::string line = "SPECTATING  \xc2\xb7  " + state.spectating;
    const TextStyle style{16, palette::kAccent, Face::Bold, Align::Center};
    const float w = c.measure(line, style).x;
    c.fill_rect({c.width() / 2 - w / 2 - 14, 50, w + 28, 28}, palette::kPanel.with_alpha(std::uint8_t{200}));
    c.text(line, {c.width() / 2, 54}, style);
    const std::string keys = "F follow the next player  \xc2\xb7  click a player to follow  \xc2\xb7  C free camera (move "
                             "keys pan, wheel zooms)  \xc2\xb7  O whole arena  \xc2\xb7  Tab scoreboard  \xc2\xb7  Esc menu";
    const TextStyle hint{13, palette::kTextDim, Face::Regular, Align::Center};
    c.text(c.fit(keys, std::min(c.width(), state.right_edge) - 40, hint), {std::min(c.width(), state.right_edge) / 2, c.height() - 22},
           hint);
}

void draw_chat(Frame& f, const HudState& state) {
    Canvas& c = f.canvas;
    float y = c.height() - 40;
    if (state.chat) {
        const ScreenRect box{16, y - 4, std::min(560.0f, c.width() - 32), 30};
        c.fill_rect(box, palette::kField.with_alpha(std::uint8_t{230}));
        c.outline_rect(box, palette::kAccent);
        const std::string shown = "say: " + state.chat->text() + (std::fmod(f.seconds, 1.0) < 0.6 ? "_" : " ");
        c.text(c.fit(shown, box.w - 16, {15}), {box.x + 8, box.y + 5}, {15, palette::kText});
        y -= 30;
    }
    const auto& lines = f.session.chat();
    int shown = 0;
    for (auto it = lines.rbegin(); it != lines.rend() && shown < 5; ++it, ++shown) {
        const double age = util::to_seconds(f.now - it->when);
        if (age > kChatShownS && !state.chat) break;
        const double fade = state.chat ? 1.0
                                       : std::clamp(kChatShownS - age, 0.0, 1.0) *
                                             overlay_opacity({16, c.height() - 40 - 24 * 4, 572, 24 * 5}, state.own_at);
        const std::string text = it->from.empty() ? it->text : it->from + ": " + it->text;
        const TextStyle style{14, (it->from.empty() ? palette::kTextDim : palette::kText).with_alpha(fade)};
        const float w = std::min(c.measure(text, style).x, 560.0f);
        c.fill_rect({16, y - 2, w + 12, 22}, palette::kPanel.with_alpha(0.6 * fade));
        c.text(c.fit(text, 560, style), {22, y}, style);
        y -= 24;
    }
}

} // namespace

void draw_live_scoreboard(Frame& f, const client::ClientView& view) {
    Canvas& c = f.canvas;
    std::vector<const client::ViewPlayer*> rows;
    for (const auto& p : view.players) rows.push_back(&p);
    std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
        if (a->state.frags != b->state.frags) return a->state.frags > b->state.frags;
        if (a->state.deaths != b->state.deaths) return a->state.deaths < b->state.deaths;
        return a->id < b->id;
    });
    const float spectators_h = view.spectators.empty() ? 0.0f : 34.0f;
    const float w = 580, h = 100 + 30 * static_cast<float>(rows.size()) + spectators_h;
    const ScreenRect box{(c.width() - w) / 2, std::max(60.0f, (c.height() - h) / 2), w, h};
    f.ui.panel(box, fmt::format("Scoreboard  \xc2\xb7  {}  \xc2\xb7  {} left", view.settings.map,
                                format_clock(view.time_left_s)));
    float y = box.y + 46;
    const TextStyle head{12, palette::kTextDim, Face::Bold};
    c.text("PLAYER", {box.x + 46, y}, head);
    c.text("FRAGS", {box.x + w - 220, y}, {12, palette::kTextDim, Face::Bold, Align::Right});
    c.text("DEATHS", {box.x + w - 130, y}, {12, palette::kTextDim, Face::Bold, Align::Right});
    c.text("PING", {box.x + w - 30, y}, {12, palette::kTextDim, Face::Bold, Align::Right});
    y += 24;
    int rank = 1;
    for (const auto* p : rows) {
        if (p->local) c.fill_rect({box.x + 6, y - 3, w - 12, 28}, palette::kButton);
        c.text(fmt::format("{}", rank++), {box.x + 18, y}, {15, palette::kTextDim});
        c.fill_circle({box.x + 52, y + 10}, 6, palette::player(p->id));
        c.text(p->name, {box.x + 66, y}, {16, p->local ? palette::kAccent : palette::kText, Face::Bold});
        c.text(fmt::format("{}", p->state.frags), {box.x + w - 220, y}, {16, palette::kText, Face::Bold, Align::Right});
        c.text(fmt::format("{}", p->state.deaths), {box.x + w - 130, y}, {16, palette::kTextDim, Face::Regular, Align::Right});
        c.text(ping_text(view.stats.server.pings, sim::to_int(p->id)), {box.x + w - 30, y},
               {16, palette::kTextDim, Face::Regular, Align::Right});
        y += 30;
    }
    if (view.spectators.empty()) return;
    // Who watches, on one line under the players.
    std::string names;
    for (const auto& [id, name] : view.spectators) {
        if (!names.empty()) names += ", ";
        names += name + (view.spectating && id == view.local_id ? " (you)" : "");
    }
    c.text(fmt::format("{} watching", view.spectators.size()), {box.x + 18, y + 6}, {12, palette::kTextDim, Face::Bold});
    c.text(c.fit(names, w - 140, {14}), {box.x + 120, y + 4}, {14, palette::kTextDim});
}

void draw_hud(Frame& f, const client::ClientView& view, const HudState& state) {
    Canvas& c = f.canvas;
    draw_damage_flash(f, view);
    const client::ViewPlayer* me = view.local();
    // A spectator's top bar shows the player it follows.
    const client::ViewPlayer* shown = me;
    if (!shown && state.followed) {
        for (const auto& p : view.players) {
            if (p.id == *state.followed) shown = &p;
        }
    }
    draw_top_bar(f, view, shown);
    draw_kill_feed(f, view, std::min(c.width(), state.right_edge), state.own_at);
    if (shown) draw_health(f, *shown, view);
    if (view.spectating) draw_spectating(f, state);
    if (me && !me->state.alive) {
        const double respawn_s =
            std::max(0.0, (static_cast<double>(me->state.respawn_tick) - view.server_tick) / view.rules.tick_rate_hz);
        c.text("You are down", {c.width() / 2, c.height() / 2 - 60}, {30, palette::kBad, Face::Bold, Align::Center});
        c.text(fmt::format("back in {:.1f} s", respawn_s), {c.width() / 2, c.height() / 2 - 20},
               {18, palette::kText, Face::Regular, Align::Center});
    }
    // Our newest frag, briefly, under the top bar.
    for (const auto& k : view.kill_feed) {
        if (k.killer != view.local_id || k.victim == view.local_id || k.age_s > 2.0) continue;
        const double fade = k.age_s > 1.5 ? (2.0 - k.age_s) / 0.5 : 1.0;
        c.text("You fragged " + k.victim_name, {c.width() / 2, 60},
               {20, palette::kAccent.with_alpha(fade), Face::Bold, Align::Center});
        break;
    }
    if (view.phase == sim::MatchPhase::Over)
        c.text("Match over", {c.width() / 2, c.height() / 2 - 100}, {34, palette::kAccent, Face::Bold, Align::Center});
    draw_chat(f, state);
    if (state.scoreboard) draw_live_scoreboard(f, view);
    if (state.crosshair && !state.scoreboard) draw_crosshair(f, view, state.mouse);
}

} // namespace skirmish::app
