// client/app_sdl/app_draw.cpp
//
// App's drawing (App is declared in app.hpp; app.cpp runs the frame loop):
// the current screen, the match with its HUD or the spectator's view, and
// the overlays on top.
#include "client/app_sdl/app.hpp"

#include "client/app_sdl/hud.hpp"
#include "client/app_sdl/net_graph_view.hpp"
#include "client/app_sdl/scoreboard_screen.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::app {

std::optional<sim::Vec2> App::own_on_screen() const {
    const client::GameClient* game = session_.game();
    if (!game || screen_ != Screen::Match) return std::nullopt;
    const auto* me = game->view().local();
    if (!me || !me->state.alive) return std::nullopt;
    return match_view_.camera().to_screen(me->state.position);
}

float App::right_edge() const {
    return study_open_ && screen_ != Screen::Connect ? StudyPanel::area(canvas_).x - 4 : canvas_.width();
}

void App::draw_match(Frame& f) {
    const client::GameClient* game = session_.game();
    if (!game) {
        if (!last_map_) return;
        client::ClientView empty;
        empty.map = last_map_;
        empty.rules = last_rules_;
        MatchOverlays overlays;
        overlays.right_edge = right_edge();
        match_view_.draw(f, empty, overlays);
        return;
    }
    const client::ClientView& view = game->view();
    if (view.map) {
        last_map_ = view.map;
        last_rules_ = view.rules;
    }
    MatchOverlays overlays;
    overlays.ghosts = study_show_.ghosts;
    overlays.snapshots = study_show_.snapshots;
    overlays.rewinds = study_show_.rewinds;
    overlays.mouse = mouse_;
    overlays.right_edge = right_edge();
    if (view.spectating && view.state == client::ConnectionState::InMatch) watch(f, view, overlays);
    match_view_.draw(f, view, overlays);
    if (view.state != client::ConnectionState::InMatch) {
        canvas_.text("Joining the match\xe2\x80\xa6", {canvas_.width() / 2, canvas_.height() / 2 - 40},
                     {26, palette::kText, Face::Bold, Align::Center});
        canvas_.text(view.status, {canvas_.width() / 2, canvas_.height() / 2}, {15, palette::kTextDim, Face::Regular, Align::Center});
        return;
    }
    HudState hud;
    hud.scoreboard = held(settings_.bindings, Action::Scoreboard, held_) && !chat_open_;
    hud.chat = chat_open_ ? &chat_ : nullptr;
    hud.mouse = mouse_;
    hud.crosshair = !ui_wants_mouse() && !view.spectating;
    if (view.spectating) {
        hud.spectating = spectator_.caption(view);
        hud.followed = spectator_.followed();
    }
    hud.right_edge = right_edge();
    if (const auto* me = view.local(); me && me->state.alive) hud.own_at = match_view_.camera().to_screen(me->state.position);
    draw_hud(f, view, hud);
    SDL_ShowCursor(hud.crosshair ? SDL_DISABLE : SDL_ENABLE); // the crosshair replaces the pointer
}

void App::watch(Frame& f, const client::ClientView& view, MatchOverlays& overlays) {
    const double seconds = std::min(0.25, util::to_seconds(f.now - last_watch_frame_));
    last_watch_frame_ = f.now;
    const bool keys = !menu_open_ && !chat_open_ && !settings_overlay_.is_open();
    const auto axis = [&](Action minus, Action plus) {
        if (!keys) return 0.0f;
        return (held(settings_.bindings, plus, held_) ? 1.0f : 0.0f) -
               (held(settings_.bindings, minus, held_) ? 1.0f : 0.0f);
    };
    spectator_.update(view, {axis(Action::MoveLeft, Action::MoveRight), axis(Action::MoveUp, Action::MoveDown)},
                      seconds);
    const ScreenRect area = MatchView::arena_area(canvas_, overlays.right_edge);
    const UiInput& input = f.ui.input();
    const bool over_arena = !ui_wants_mouse() && input.mouse.x >= area.x && input.mouse.y >= area.y &&
                            input.mouse.x < area.x + area.w && input.mouse.y < area.y + area.h;
    if (over_arena && input.wheel != 0) spectator_.zoom_by(view, std::pow(1.15, input.wheel));
    // A click on a player follows them (with this frame's camera, as drawn last frame).
    if (over_arena && input.mouse_pressed)
        spectator_.follow_at(view, spectator_.camera(area, view).to_world(input.mouse));
    overlays.camera = spectator_.camera(area, view);
    overlays.area = area;
    overlays.highlight = spectator_.followed();
}

bool App::handle_spectator_key(SDL_Scancode code) {
    const client::GameClient* game = session_.game();
    if (!game || screen_ != Screen::Match || !game->view().spectating || menu_open_ || chat_open_ ||
        settings_overlay_.is_open())
        return false;
    const client::ClientView& view = game->view();
    switch (code) {
    case SDL_SCANCODE_F: spectator_.follow_next(view); return true;
    case SDL_SCANCODE_C: spectator_.free_camera(view); return true;
    case SDL_SCANCODE_O: spectator_.show_overview(); return true;
    default: return false;
    }
}

void App::draw(Frame& f) {
    canvas_.clear(palette::kBackground);
    const UiInput input = ui_.input();
    if (menu_open_ || settings_overlay_.is_open()) ui_.begin(blind(input)); // the overlay has the mouse and keys
    switch (screen_) {
    case Screen::Connect:
        if (playback_screen_.active() || demos_screen_.is_open()) {
            draw_demos(f);
        } else {
            connect_screen_.draw(f, browser_, lan_);
            if (connect_screen_.take_demos_request()) {
                ui_.unfocus();
                demos_screen_.open(options_.demo_dir);
            }
        }
        break;
    case Screen::Lobby: lobby_screen_.draw(f); break;
    case Screen::Match: draw_match(f); break;
    case Screen::Scoreboard:
        draw_match(f);
        draw_scoreboard_screen(f, session_.results_at() + session_.scoreboard_time() - f.now);
        break;
    }
    if (screen_ != Screen::Match) SDL_ShowCursor(SDL_ENABLE);
    const client::GameClient* game = session_.game();
    if (settings_.net_graph && game && game->state() == client::ConnectionState::InMatch)
        draw_net_graph(f, net_graph_, session_.snapshot_interval_ticks(), game->view().rules.tick_rate_hz, right_edge(),
                       settings_.net_graph_position, own_on_screen());
    if (study_open_ && screen_ != Screen::Connect) study_panel_.draw(f, study_show_);
    if (screen_ == Screen::Match || screen_ == Screen::Scoreboard) draw_problem(f, 56);
    // A modal overlay covers the screen under it: what the UI log records is
    // what can be read and used, the overlay's widgets and texts only.
    if ((settings_overlay_.is_open() || menu_open_) && ui_log_.open()) ui_record_.clear();
    if (settings_overlay_.is_open()) {
        ui_.begin(input);
        SDL_ShowCursor(SDL_ENABLE);
        if (!settings_overlay_.draw(f)) {
            // Done: apply and keep what was chosen.
            apply_settings();
            save();
        }
    } else if (menu_open_) {
        ui_.begin(input);
        SDL_ShowCursor(SDL_ENABLE);
        carry_out(draw_menu(f, study_open_));
    }
}

} // namespace skirmish::app
