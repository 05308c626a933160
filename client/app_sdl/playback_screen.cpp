// client/app_sdl/playback_screen.cpp
#include "client/app_sdl/playback_screen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

constexpr float kBarH = 44;      // the top bar
constexpr float kControlsH = 96; // the timeline and the buttons under the arena
constexpr double kTracerS = 0.25;
constexpr double kKillFeedS = 5.0;
constexpr double kShotShownS = 1.0; // a compared shot stays drawn this long after its tick
const Color kDrawn{255, 213, 79};   // where the client drew the target
const Color kRewound{110, 200, 255}; // where the server checked it
const Color kActual{239, 90, 86};    // where it really was

std::string clock_text(double seconds) {
    const int tenths = static_cast<int>(std::floor(std::max(0.0, seconds) * 10));
    return fmt::format("{}:{:02}.{}", tenths / 600, tenths / 10 % 60, tenths % 10);
}

std::string speed_text(double speed) { return speed < 1 ? fmt::format("{:g}x", speed) : fmt::format("{:.0f}x", speed); }

// `highlight`: drawn as the own player (the followed one, else the view's player).
client::ClientView view_of(const DemoPlayback& p, sim::PlayerId highlight) {
    client::ClientView v;
    v.state = client::ConnectionState::InMatch;
    v.map = p.world().map;
    v.rules = p.header().rules;
    v.settings = p.header().settings;
    v.phase = p.world().phase;
    v.server_tick = p.playing() ? p.clock() : p.tick();
    v.local_id = p.camera_mode() == CameraMode::Follow && p.followed() ? *p.followed() : highlight;
    for (const sim::Player& s : p.world().players) {
        client::ViewPlayer vp;
        vp.id = s.id;
        vp.name = p.name_of(vp.id);
        vp.local = vp.id == v.local_id && v.local_id != sim::kNoPlayer;
        vp.state = s;
        vp.state.position = p.drawn_position(s);
        v.players.push_back(std::move(vp));
    }
    const double rate = p.tick_rate();
    for (const PlaybackShot& s : p.recent_shots(static_cast<sim::Tick>(std::ceil(kTracerS * rate)))) {
        v.tracers.push_back({s.shot.shooter, s.shot.from, s.shot.to, (p.tick() - s.tick) / rate, false});
    }
    return v;
}

} // namespace

void PlaybackScreen::start(DemoPlayback playback, std::optional<ShotComparison> comparison) {
    playback_.emplace(std::move(playback));
    comparison_ = std::move(comparison);
    scoreboard_pinned_ = false;
}

void PlaybackScreen::close() {
    playback_.reset();
    comparison_.reset();
}

std::optional<std::size_t> PlaybackScreen::shown_shot() const {
    if (!comparison_ || !playback_) return std::nullopt;
    const double now = playback_->tick();
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < comparison_->shots.size(); ++i) {
        const double at = comparison_->shots[i].tick + 1; // the world after the step that judged it
        if (at <= now && now - at <= kShotShownS * playback_->tick_rate()) found = i;
    }
    return found;
}

void PlaybackScreen::jump(int direction) {
    if (!playback_) return;
    std::vector<sim::Tick> marks; // ticks where the shown world has the event
    if (comparison_) {
        for (const ComparedShot& s : comparison_->shots) marks.push_back(s.tick + 1);
    } else {
        for (const KillMarker& k : playback_->kills()) marks.push_back(k.tick);
    }
    const sim::Tick now = playback_->tick();
    std::optional<sim::Tick> to;
    for (sim::Tick t : marks) {
        if (direction > 0 && t > now && (!to || t < *to)) to = t;
        if (direction < 0 && t < now && (!to || t > *to)) to = t;
    }
    playback_->pause();
    if (to) playback_->seek(*to);
}

bool PlaybackScreen::key(SDL_Scancode code) {
    if (!playback_) return false;
    DemoPlayback& p = *playback_;
    const sim::Tick five_s = static_cast<sim::Tick>(5 * p.tick_rate());
    switch (code) {
    case SDL_SCANCODE_SPACE: p.toggle(); return true;
    case SDL_SCANCODE_LEFT:
        if (p.playing()) p.seek(p.tick() > five_s ? p.tick() - five_s : 0);
        else p.step_back();
        return true;
    case SDL_SCANCODE_RIGHT:
        if (p.playing()) p.seek(p.tick() + five_s);
        else p.step_forward();
        return true;
    case SDL_SCANCODE_UP: p.faster(); return true;
    case SDL_SCANCODE_DOWN: p.slower(); return true;
    case SDL_SCANCODE_HOME: p.seek(0); return true;
    case SDL_SCANCODE_END: p.seek(p.end_tick()); return true;
    case SDL_SCANCODE_F: p.follow_next(); return true;
    case SDL_SCANCODE_C: p.free_camera(); return true;
    case SDL_SCANCODE_O: p.show_overview(); return true;
    case SDL_SCANCODE_PAGEDOWN: jump(+1); return true;
    case SDL_SCANCODE_PAGEUP: jump(-1); return true;
    case SDL_SCANCODE_V: show_drawn_ = !show_drawn_; return true;
    default: return false;
    }
}

bool PlaybackScreen::draw(Frame& f, const PlaybackInput& input, double since_last_s) {
    if (!playback_) return false;
    Canvas& c = f.canvas;
    playback_->update(since_last_s);
    if (input.pan.x != 0 || input.pan.y != 0) {
        const float step = static_cast<float>(600.0 * since_last_s / playback_->zoom());
        playback_->pan({input.pan.x * step, input.pan.y * step});
    }
    const ScreenRect area{12, kBarH + 8, c.width() - 24, c.height() - kBarH - 8 - kControlsH};
    if (f.ui.hovered(area) && f.ui.input().wheel != 0) playback_->zoom_by(std::pow(1.15, f.ui.input().wheel));
    draw_arena(f, input, area);
    draw_top_bar(f);
    const bool stay = draw_controls(f, {0, c.height() - kControlsH, c.width(), kControlsH});
    if (input.scoreboard || scoreboard_pinned_) draw_scoreboard(f);
    return stay;
}

void PlaybackScreen::draw_arena(Frame& f, const PlaybackInput&, const ScreenRect& area) {
    Canvas& c = f.canvas;
    const DemoPlayback& p = *playback_;
    const client::ClientView view = view_of(p, comparison_ ? comparison_->player_id : sim::kNoPlayer);
    MatchOverlays overlays;
    overlays.area = area;
    overlays.camera = p.camera(area);
    view_.draw(f, view, overlays);
    // The kill feed of the last seconds, top right.
    float y = area.y + 6;
    for (const KillMarker& k : p.recent_kills(static_cast<sim::Tick>(kKillFeedS * p.tick_rate()))) {
        const std::string text = fmt::format("{}  \xe2\x96\xb8  {}", p.name_of(k.killer), p.name_of(k.victim));
        const float w = c.measure(text, {14, palette::kText, Face::Bold}).x;
        c.fill_rect({area.x + area.w - w - 26, y - 3, w + 20, 24}, palette::kPanel.with_alpha(0.7));
        c.text(text, {area.x + area.w - 16, y}, {14, palette::player(k.killer), Face::Bold, Align::Right});
        y += 28;
    }
    if (p.world().phase == sim::MatchPhase::Over)
        c.text("Match over", {area.x + area.w / 2, area.y + 20}, {30, palette::kAccent, Face::Bold, Align::Center});
    if (comparison_ && show_drawn_) draw_seen(f, area);
    if (const auto shot = shown_shot()) {
        const ComparedShot& s = comparison_->shots[*shot];
        const double age_s = (p.tick() - (s.tick + 1.0)) / p.tick_rate();
        c.set_clip(area);
        draw_shot(f, s, std::clamp(1.0 - age_s / kShotShownS, 0.25, 1.0));
        c.clear_clip();
        draw_shot_panel(f, s, *shot);
    }
}

void PlaybackScreen::draw_seen(Frame& f, const ScreenRect& area) {
    Canvas& c = f.canvas;
    const DemoPlayback& p = *playback_;
    const DrawnFrame* frame = comparison_->frame_at(p.tick());
    if (!frame) return;
    const Camera& cam = view_.camera();
    const float r = std::max(6.0f, cam.to_screen(p.header().rules.player_radius));
    c.set_clip(area);
    // Where the viewer's client drew everyone at this server tick, joined to where the server had them.
    for (const demo::DrawnPlayer& d : frame->players) {
        const sim::Player* now = p.world().find(sim::PlayerId{d.id});
        if (!d.alive || !now) continue;
        const sim::Vec2 at = cam.to_screen(d.position);
        c.line(at, cam.to_screen(now->position), kDrawn.with_alpha(0.5), 1.5f);
        c.ring(at, r, 1.5f, kDrawn.with_alpha(0.8));
        c.text(d.local ? "predicted" : "drawn", {at.x, at.y + r + 2}, {10, kDrawn.with_alpha(0.8), Face::Bold, Align::Center});
    }
    c.clear_clip();
}

void PlaybackScreen::draw_top_bar(Frame& f) {
    Canvas& c = f.canvas;
    const DemoPlayback& p = *playback_;
    c.fill_rect({0, 0, c.width(), kBarH}, palette::kPanelTitle.with_alpha(std::uint8_t{235}));
    c.fill_rect({0, kBarH, c.width(), 1}, palette::kPanelBorder);
    c.text(c.fit(fmt::format("Demo  {}", p.title()), c.width() * 0.3f, {15}), {16, 6},
           {15, palette::kText, Face::Bold});
    c.text(fmt::format("{} \xc2\xb7 match {} \xc2\xb7 {} Hz", p.header().settings.map, p.header().match_id,
                       p.header().rules.tick_rate_hz),
           {16, 24}, {12, palette::kTextDim});
    c.text(fmt::format("{} / {}", clock_text(p.seconds(p.tick())), clock_text(p.seconds(p.end_tick()))),
           {c.width() / 2, 4}, {24, palette::kText, Face::Bold, Align::Center});
    c.text(fmt::format("tick {} of {}", p.tick(), p.end_tick()), {c.width() / 2, 29},
           {11, palette::kTextDim, Face::Regular, Align::Center});
    std::string camera = std::string(name(p.camera_mode()));
    if (p.camera_mode() == CameraMode::Follow && p.followed()) camera += " " + p.name_of(*p.followed());
    std::string state = fmt::format("{} \xc2\xb7 {} \xc2\xb7 camera: {}", p.playing() ? "playing" : "paused",
                                    speed_text(p.speed()), camera);
    c.text(c.fit(state, c.width() * 0.3f, {14}), {c.width() - 16, 6},
           {14, p.playing() ? palette::kGood : palette::kAccent, Face::Bold, Align::Right});
    std::string note;
    if (p.mismatches() > 0) note = fmt::format("{} re-simulation checks differ: not what the server saw", p.mismatches());
    else if (p.ending() != demo::Ending::Complete) note = p.ending_text();
    else if (comparison_)
        note = fmt::format("view of {}: {} shots, {} refused", comparison_->player_name, comparison_->shots.size(),
                           comparison_->refused());
    if (!note.empty())
        c.text(c.fit(note, c.width() * 0.32f, {12}), {c.width() - 16, 26},
               {12, p.mismatches() > 0 ? palette::kBad : palette::kTextDim, Face::Regular, Align::Right});
}

bool PlaybackScreen::draw_controls(Frame& f, const ScreenRect& bar) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    DemoPlayback& p = *playback_;
    c.fill_rect(bar, palette::kPanelTitle.with_alpha(std::uint8_t{240}));
    c.fill_rect({bar.x, bar.y, bar.w, 1}, palette::kPanelBorder);
    draw_timeline(f, {bar.x + 20, bar.y + 10, bar.w - 40, 22});
    float x = bar.x + 20;
    const float y = bar.y + 42, h = 30;
    auto button = [&](std::string_view label, float w, bool enabled = true, bool primary = false) {
        const bool clicked = ui.button({x, y, w, h}, label, enabled, primary);
        x += w + 6;
        return clicked;
    };
    if (button("Start", 58, p.tick() > 0)) p.seek(0);
    if (button("Step back", 86, p.tick() > 0)) p.step_back();
    if (button(p.playing() ? "Pause" : "Play", 70, true, true)) p.toggle();
    if (button("Step forward", 106, !p.at_end())) p.step_forward();
    if (button("End", 48, !p.at_end())) p.seek(p.end_tick());
    x += 10;
    if (button("Slower", 66, p.speed_index() > 0)) p.slower();
    c.text(speed_text(p.speed()), {x + 22, y + 5}, {16, palette::kAccent, Face::Bold, Align::Center});
    x += 50;
    if (button("Faster", 66, p.speed_index() + 1 < kPlaybackSpeeds.size())) p.faster();
    x += 10;
    if (button("Follow", 66, !p.world().players.empty())) p.follow_next();
    if (button("Free camera", 100)) p.free_camera();
    if (button("Overview", 80, p.camera_mode() != CameraMode::Overview)) p.show_overview();
    if (button("Scoreboard", 96)) scoreboard_pinned_ = !scoreboard_pinned_;
    const bool back = ui.button({bar.x + bar.w - 90, y, 70, h}, "Back");
    c.text(c.fit("Space play/pause \xc2\xb7 \xe2\x86\x90/\xe2\x86\x92 a tick (paused) or 5 s \xc2\xb7 \xe2\x86\x91/\xe2\x86\x93 "
                 "speed \xc2\xb7 F follow \xc2\xb7 C free (WASD, wheel) \xc2\xb7 O overview \xc2\xb7 PgUp/PgDn "
                 "previous/next " + std::string(comparison_ ? "shot \xc2\xb7 V drawn" : "kill") + " \xc2\xb7 Tab scoreboard \xc2\xb7 Esc back",
                 bar.w - 40, {11}),
           {bar.x + 20, y + h + 4}, {11, palette::kTextDim});
    return !back;
}

void PlaybackScreen::draw_timeline(Frame& f, const ScreenRect& r) {
    Canvas& c = f.canvas;
    DemoPlayback& p = *playback_;
    const double end = std::max<double>(1, p.end_tick());
    auto x_of = [&](double tick) { return r.x + static_cast<float>(tick / end) * r.w; };
    c.fill_rect({r.x, r.y + 8, r.w, 6}, palette::kField);
    c.fill_rect({r.x, r.y + 8, x_of(p.tick()) - r.x, 6}, palette::kAccentDark);
    for (const KillMarker& k : p.kills()) // a kill: the victim's colour, under the track
        c.fill_rect({x_of(k.tick) - 1, r.y + 14, 3, 8}, palette::player(k.victim));
    if (comparison_) {
        for (const ComparedShot& s : comparison_->shots) // the viewer's shots, over the track; refused ones red and tall
            c.fill_rect({x_of(s.tick + 1) - 1, s.refused ? r.y - 2 : r.y + 2, 2, s.refused ? 10.0f : 6.0f},
                        s.refused ? palette::kBad : palette::kText.with_alpha(0.6));
    }
    const float head = x_of(p.tick());
    c.fill_rect({head - 2, r.y, 4, r.h}, palette::kAccent);
    double fraction = 0;
    if (f.ui.track(r, "timeline", fraction)) p.seek_fraction(fraction);
}

void PlaybackScreen::draw_scoreboard(Frame& f) {
    Canvas& c = f.canvas;
    const DemoPlayback& p = *playback_;
    const auto rows = p.scoreboard();
    const float w = 520, h = 90 + 30 * static_cast<float>(rows.size());
    const ScreenRect box{(c.width() - w) / 2, std::max(60.0f, (c.height() - h) / 2 - 40), w, h};
    f.ui.panel(box, fmt::format("Scoreboard at {}", clock_text(p.seconds(p.tick()))));
    float y = box.y + 46;
    const TextStyle head{12, palette::kTextDim, Face::Bold, Align::Right};
    c.text("PLAYER", {box.x + 46, y}, {12, palette::kTextDim, Face::Bold});
    c.text("FRAGS", {box.x + w - 120, y}, head);
    c.text("DEATHS", {box.x + w - 30, y}, head);
    y += 24;
    int rank = 1;
    for (const ScoreRow& row : rows) {
        const bool followed = p.camera_mode() == CameraMode::Follow && p.followed() == row.id;
        if (followed) c.fill_rect({box.x + 6, y - 3, w - 12, 28}, palette::kButton);
        c.text(fmt::format("{}", rank++), {box.x + 18, y}, {15, palette::kTextDim});
        c.fill_circle({box.x + 52, y + 10}, 6, palette::player(row.id));
        const std::string shown = row.present ? row.name : row.name + " (left)";
        c.text(shown, {box.x + 66, y}, {16, row.present ? palette::kText : palette::kTextDim, Face::Bold});
        c.text(fmt::format("{}", row.frags), {box.x + w - 120, y}, {16, palette::kText, Face::Bold, Align::Right});
        c.text(fmt::format("{}", row.deaths), {box.x + w - 30, y}, {16, palette::kTextDim, Face::Regular, Align::Right});
        y += 30;
    }
}

void PlaybackScreen::draw_shot(Frame& f, const ComparedShot& s, double fade) {
    Canvas& c = f.canvas;
    const Camera& cam = view_.camera();
    const float r = std::max(8.0f, cam.to_screen(playback_->header().rules.player_radius));
    // The client's ray (dashed look: thin) and the server's shot (solid).
    c.line(cam.to_screen(s.client_from), cam.to_screen(s.client_to), kDrawn.with_alpha(0.7 * fade), 1.5f);
    if (s.server_fired) c.line(cam.to_screen(s.from), cam.to_screen(s.to), palette::kGhost.with_alpha(fade), 2.5f);
    // The three places of the target, then their labels stacked to the right of all three.
    struct Place {
        std::optional<sim::Vec2> at;
        Color color;
        std::string label;
    };
    const Place places[] = {{s.drawn, kDrawn, "client drew it here"},
                            {s.rewound, kRewound, fmt::format("server rewound {:.0f} ms: checked here", s.rewind_ms)},
                            {s.actual, kActual, fmt::format("where it was at tick {}", s.tick)}};
    if (s.drawn && s.rewound) c.line(cam.to_screen(*s.drawn), cam.to_screen(*s.rewound), kRewound.with_alpha(0.6 * fade), 1.5f);
    if (s.rewound && s.actual) c.line(cam.to_screen(*s.rewound), cam.to_screen(*s.actual), kActual.with_alpha(0.6 * fade), 1.5f);
    float right = -1e9f, top = 1e9f;
    for (const Place& p : places) {
        if (!p.at) continue;
        const sim::Vec2 at = cam.to_screen(*p.at);
        c.fill_circle(at, r, p.color.with_alpha(0.18 * fade));
        c.ring(at, r, 2.5f, p.color.with_alpha(fade));
        right = std::max(right, at.x + r + 10);
        top = std::min(top, at.y - r);
    }
    for (const Place& p : places) {
        if (!p.at) continue;
        c.fill_rect({right - 2, top - 1, c.measure(p.label, {12, p.color, Face::Bold}).x + 4, 15},
                    palette::kPanel.with_alpha(0.75 * fade));
        c.text(p.label, {right, top}, {12, p.color.with_alpha(fade), Face::Bold});
        top += 16;
    }
    if (s.refused) {
        const sim::Vec2 at = cam.to_screen(s.drawn ? *s.drawn : s.client_to);
        c.line({at.x - r - 6, at.y - r - 6}, {at.x + r + 6, at.y + r + 6}, palette::kBad.with_alpha(fade), 4);
        c.line({at.x - r - 6, at.y + r + 6}, {at.x + r + 6, at.y - r - 6}, palette::kBad.with_alpha(fade), 4);
    }
}

void PlaybackScreen::draw_shot_panel(Frame& f, const ComparedShot& s, std::size_t index) {
    Canvas& c = f.canvas;
    const DemoPlayback& p = *playback_;
    auto who = [&](const std::optional<sim::PlayerId>& id) { return id ? p.name_of(*id) : std::string("nobody"); };
    const ScreenRect box{20, kBarH + 16, 400, s.refused ? 172.0f : 128.0f};
    c.fill_rect(box, palette::kPanel);
    c.outline_rect(box, s.refused ? palette::kBad : palette::kPanelBorder, s.refused ? 2.0f : 1.0f);
    float y = box.y + 8;
    const float x = box.x + 12;
    c.text(fmt::format("Shot {} of {} by {} \xc2\xb7 tick {}", index + 1, comparison_->shots.size(),
                       comparison_->player_name, s.tick),
           {x, y}, {14, palette::kText, Face::Bold});
    y += 22;
    c.text(c.fit(fmt::format("target {}: drawn {:.1f} units off the rewound spot", who(s.target),
                             s.drawn_to_rewound),
                 box.w - 24, {12}),
           {x, y}, {12, palette::kTextDim});
    y += 18;
    c.text(fmt::format("rewind {:.0f} ms (view tick {} + {}/256)", s.rewind_ms, s.view_tick, s.view_fraction),
           {x, y}, {12, kRewound, Face::Bold});
    y += 18;
    c.text(fmt::format("client saw: {}", s.client_hit ? "hit " + who(s.client_hit) : std::string("a miss")), {x, y},
           {12, kDrawn, Face::Bold});
    y += 18;
    c.text(s.server_fired ? fmt::format("server judged: {}", s.server_hit ? "hit " + who(s.server_hit) : std::string("a miss"))
                          : std::string("server: no shot on this tick"),
           {x, y}, {12, palette::kGhost, Face::Bold});
    y += 22;
    if (s.refused) {
        c.text("REFUSED: the client saw a hit, the server did not", {x, y}, {13, palette::kBad, Face::Bold});
        draw_wrapped(c, s.reason, {x, y + 18}, box.w - 24, {12, palette::kBad});
    }
}

} // namespace skirmish::app
