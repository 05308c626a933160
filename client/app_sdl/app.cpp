// client/app_sdl/app.cpp
#include "client/app_sdl/app.hpp"

#include "client/app_sdl/hud.hpp"
#include "client/app_sdl/net_graph_view.hpp"
#include "client/app_sdl/scoreboard_screen.hpp"

#include <fmt/format.h>

#include <optional>
#include <thread>

namespace skirmish::app {

namespace {

util::TimePoint steady_now() { return std::chrono::steady_clock::now(); }

// The text-editing meaning of a key, if it has one.
std::optional<EditPress> edit_press(const SDL_KeyboardEvent& key) {
    const bool ctrl = (key.keysym.mod & KMOD_CTRL) != 0;
    const bool shift = (key.keysym.mod & KMOD_SHIFT) != 0;
    switch (key.keysym.scancode) {
    case SDL_SCANCODE_BACKSPACE: return EditPress{EditKey::Backspace, ctrl, shift};
    case SDL_SCANCODE_DELETE: return EditPress{EditKey::Delete, ctrl, shift};
    case SDL_SCANCODE_LEFT: return EditPress{EditKey::Left, ctrl, shift};
    case SDL_SCANCODE_RIGHT: return EditPress{EditKey::Right, ctrl, shift};
    case SDL_SCANCODE_HOME: return EditPress{EditKey::Home, ctrl, shift};
    case SDL_SCANCODE_END: return EditPress{EditKey::End, ctrl, shift};
    default: break;
    }
    if (!ctrl) return std::nullopt;
    // Shortcuts follow the letter the layout puts on the key (the keycode), not its position.
    switch (key.keysym.sym) {
    case SDLK_a: return EditPress{EditKey::SelectAll};
    case SDLK_c: return EditPress{EditKey::Copy};
    case SDLK_x: return EditPress{EditKey::Cut};
    case SDLK_v: return EditPress{EditKey::Paste};
    default: return std::nullopt;
    }
}

bool is_text_key(SDL_Scancode code) {
    return code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER || code == SDL_SCANCODE_BACKSPACE ||
           code == SDL_SCANCODE_TAB || code == SDL_SCANCODE_ESCAPE;
}

} // namespace

App::App(Platform& platform, const net::EnetLibrary& enet, AppOptions options, Settings settings, util::Logger log)
    : platform_(platform),
      options_(std::move(options)),
      settings_(std::move(settings)),
      log_(std::move(log)),
      session_(enet, io_, options_.session, log_.child("session")),
      canvas_(platform.renderer(), options_.fonts),
      ui_(canvas_),
      net_log_(options_.net_log, log_),
      ui_log_(options_.ui_log, log_) {
    if (!options_.name.empty()) settings_.name = options_.name;
    if (options_.net_graph) settings_.net_graph = *options_.net_graph;
    ghosts_ = options_.ghosts;
    study_open_ = options_.study_panel;
    study_panel_.load(session_);
    const auto now = steady_now();
    if (options_.connect) {
        session_.connect(options_.connect->host, options_.connect->port, settings_.name, now);
        if (options_.quick_play) session_.quick_play();
    }
    load_connect_screen();
}

App::~App() { save(); }

void App::save() {
    if (options_.settings_path.empty()) return;
    if (auto r = save_settings(options_.settings_path, settings_); !r) log_.warn("settings not saved: {}", r.error());
}

// --- input -----------------------------------------------------------------------

bool App::ui_wants_mouse() const {
    if (menu_open_ || screen_ != Screen::Match) return true;
    if (study_open_) {
        const ScreenRect a = StudyPanel::area(canvas_);
        if (mouse_.x >= a.x && mouse_.y >= a.y && mouse_.x < a.x + a.w && mouse_.y < a.y + a.h) return true;
    }
    return false;
}

void App::handle_key_down(const SDL_KeyboardEvent& key, UiInput& in) {
    const SDL_Scancode code = key.keysym.scancode;
    // Editing keys go to whatever is being typed (and repeat); everything
    // else acts once per press.
    if (chat_open_ || (ui_.typing() && !menu_open_)) {
        if (const auto press = edit_press(key)) {
            in.edits.push_back(*press);
            return;
        }
    }
    if (key.repeat) return;
    const auto action = action_for(settings_.bindings, static_cast<InputCode>(code));

    // Typing a chat line in the match: Enter sends, Esc cancels, nothing else acts.
    if (chat_open_) {
        if (code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER) {
            session_.say(chat_.take());
            chat_open_ = false;
        } else if (code == SDL_SCANCODE_ESCAPE) {
            chat_.clear();
            chat_open_ = false;
        }
        return;
    }
    // A text field has the keyboard (connect screen, lobby chat, room name).
    if (ui_.typing() && !menu_open_) {
        if (code == SDL_SCANCODE_ESCAPE) {
            ui_.unfocus();
            lobby_screen_.close_dialog();
        }
        if (code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER) in.enter = true;
        if (code == SDL_SCANCODE_TAB) in.tab = true;
        return;
    }
    if (is_text_key(code)) {
        if (code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER) in.enter = true;
        if (code == SDL_SCANCODE_TAB) in.tab = true;
    }
    held_.press(static_cast<InputCode>(code));
    if (!action) return;
    switch (*action) {
    case Action::Menu:
        if (lobby_screen_.creating()) lobby_screen_.close_dialog();
        else menu_open_ = !menu_open_;
        break;
    case Action::NetGraph: settings_.net_graph = !settings_.net_graph; break;
    case Action::StudyPanel: study_open_ = !study_open_; break;
    case Action::Ghosts:
        if (screen_ == Screen::Match) ghosts_ = !ghosts_;
        break;
    case Action::Chat:
        if (menu_open_) break;
        if (screen_ == Screen::Match) {
            chat_open_ = true;
            held_.clear();
        } else if (screen_ == Screen::Lobby && !lobby_screen_.creating()) {
            lobby_screen_.focus_chat(ui_);
            in.enter = false; // opening the field is not sending it
        }
        break;
    default: break;
    }
}

namespace {

// Which kind of input an event is, for keeping clicks and typing in order.
enum class InputKind : std::uint8_t { Other, Pointer, Keys };
InputKind kind_of(const SDL_Event& e) {
    switch (e.type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return InputKind::Pointer;
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT: return InputKind::Keys;
    default: return InputKind::Other;
    }
}

} // namespace

void App::handle_events(UiInput& in) {
    // The widgets see one frame's input at once, so a click and typing in the
    // same frame would reach them out of order (text typed before a click on
    // another field landing in that field). On the UI's screens a frame ends
    // where the input switches between pointer and keys; the event that
    // switched waits for the next frame. A match mixes them freely.
    const bool keep_order = screen_ != Screen::Match || chat_open_ || menu_open_;
    InputKind frame_kind = InputKind::Other;
    SDL_Event e;
    bool have = false;
    if (deferred_event_) {
        e = *deferred_event_;
        deferred_event_.reset();
        have = true;
    }
    while (have || SDL_PollEvent(&e)) {
        have = false;
        if (const InputKind kind = kind_of(e); keep_order && kind != InputKind::Other) {
            if (frame_kind != InputKind::Other && frame_kind != kind) {
                deferred_event_ = e;
                break;
            }
            frame_kind = kind;
        }
        switch (e.type) {
        case SDL_QUIT: quit_ = true; break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) held_.clear();
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && !settings_.fullscreen) {
                settings_.window_width = std::max(kMinWindowWidth, e.window.data1);
                settings_.window_height = std::max(kMinWindowHeight, e.window.data2);
            }
            break;
        case SDL_KEYDOWN: handle_key_down(e.key, in); break;
        case SDL_KEYUP: held_.release(static_cast<InputCode>(e.key.keysym.scancode)); break;
        case SDL_TEXTINPUT: in.type(e.text.text); break;
        case SDL_MOUSEMOTION: mouse_ = canvas_.to_virtual(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y)); break;
        case SDL_MOUSEBUTTONDOWN:
            mouse_ = canvas_.to_virtual(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            if (e.button.button == SDL_BUTTON_LEFT) in.mouse_pressed = true;
            if (!ui_wants_mouse() && !chat_open_) held_.press(mouse_code(e.button.button));
            break;
        case SDL_MOUSEBUTTONUP:
            mouse_ = canvas_.to_virtual(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            if (e.button.button == SDL_BUTTON_LEFT) in.mouse_released = true;
            held_.release(mouse_code(e.button.button));
            break;
        case SDL_MOUSEWHEEL: in.wheel += e.wheel.preciseY; break;
        default: break;
        }
    }
    in.mouse = mouse_;
    in.mouse_down = (SDL_GetMouseState(nullptr, nullptr) & SDL_BUTTON(SDL_BUTTON_LEFT)) != 0;
    in.shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
    // The match's chat line takes the typing; no widget sees it.
    if (chat_open_) {
        apply_edits(chat_, in, clipboard_);
        in.edits.clear();
    }
}

client::InputIntent App::intent() {
    client::InputIntent none;
    none.aim = last_aim_;
    const client::GameClient* game = session_.game();
    if (!game || screen_ != Screen::Match || menu_open_ || chat_open_) return none;
    const client::ViewPlayer* me = game->view().local();
    if (!me) return none;
    const AimPoint aim{me->state.position, match_view_.camera().to_world(mouse_)};
    client::InputIntent out = make_intent(settings_.bindings, held_, aim, last_aim_);
    last_aim_ = out.aim;
    return out;
}

// --- drawing -----------------------------------------------------------------------

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
    overlays.ghosts = ghosts_;
    overlays.mouse = mouse_;
    overlays.right_edge = right_edge();
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
    hud.crosshair = !ui_wants_mouse();
    hud.right_edge = right_edge();
    draw_hud(f, view, hud);
    SDL_ShowCursor(hud.crosshair ? SDL_DISABLE : SDL_ENABLE); // the crosshair replaces the pointer
}

void App::draw(Frame& f) {
    canvas_.clear(palette::kBackground);
    const UiInput input = ui_.input();
    if (menu_open_) ui_.begin(blind(input)); // the menu has the mouse
    switch (screen_) {
    case Screen::Connect: connect_screen_.draw(f); break;
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
        draw_net_graph(f, net_graph_, session_.snapshot_interval_ticks(), game->view().rules.tick_rate_hz, right_edge());
    if (study_open_ && screen_ != Screen::Connect) study_panel_.draw(f, ghosts_);
    if (screen_ == Screen::Match || screen_ == Screen::Scoreboard) draw_problem(f, 56);
    if (menu_open_) {
        ui_.begin(input);
        SDL_ShowCursor(SDL_ENABLE);
        carry_out(draw_menu(f, study_open_));
    }
}

void App::carry_out(MenuChoice choice) {
    switch (choice) {
    case MenuChoice::None: break;
    case MenuChoice::Resume: menu_open_ = false; break;
    case MenuChoice::NetGraph: settings_.net_graph = !settings_.net_graph; break;
    case MenuChoice::StudyPanel: study_open_ = !study_open_; break;
    case MenuChoice::Fullscreen:
        settings_.fullscreen = !settings_.fullscreen;
        platform_.set_fullscreen(settings_.fullscreen);
        break;
    case MenuChoice::Vsync:
        settings_.vsync = !settings_.vsync;
        platform_.set_vsync(settings_.vsync);
        break;
    case MenuChoice::LeaveMatch:
        session_.leave_match();
        menu_open_ = false;
        break;
    case MenuChoice::Disconnect:
        session_.disconnect();
        menu_open_ = false;
        break;
    case MenuChoice::Quit: quit_ = true; break;
    }
}

void App::on_screen_change(Screen from, Screen to) {
    log_.info("screen: {} -> {}", name(from), name(to));
    ui_.unfocus();
    chat_open_ = false;
    held_.clear();
    if (to == Screen::Connect) load_connect_screen();
}

void App::finish() {
    const util::TimePoint until = session_.shut_down(steady_now());
    while (steady_now() < until) {
        io_.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5)); // pacing a bounded wait, not synchronisation
    }
    io_.poll();
}

void App::load_connect_screen() {
    connect_screen_.load(settings_);
    // The server last tried (from --connect or this screen), which may not have worked.
    if (!session_.endpoint_text().empty()) connect_screen_.set_address(session_.endpoint_text());
}

// --- logs --------------------------------------------------------------------------

std::string_view App::shown_screen() const {
    if (screen_ == Screen::Lobby && session_.room()) return "room";
    return name(screen_);
}

void App::write_net_log(util::TimePoint now, double t) {
    NetLogLine line;
    line.t = t;
    line.screen = shown_screen();
    line.lobby_state = client::name(session_.lobby_state());
    line.server = session_.endpoint_text();
    line.name = session_.player_name();
    line.problem = session_.problem();
    line.room_id = session_.room() ? session_.room()->room_id : 0;
    line.fps = fps_;
    if (const client::GameClient* game = session_.game()) {
        const client::NetStats& s = game->stats();
        line.match_id = game->view().match_id;
        line.players_seen = static_cast<int>(game->view().players.size());
        line.ping_ms = s.rtt_ms;
        line.snapshots_per_s = s.snapshot_rate_hz;
        line.snapshot_loss_pct = s.snapshot_loss_pct;
        line.snapshots_received = s.snapshots_received;
        line.snapshots_undecodable = s.snapshots_undecodable;
        line.down_bytes_per_s = s.bytes_in_per_s;
        line.up_bytes_per_s = s.bytes_out_per_s;
        line.interp_delay_ms = s.interp_delay_ms;
        line.extrapolating = s.extrapolating;
        line.corrections = s.corrections;
    }
    net_log_.write(line);
    last_logged_screen_ = line.screen;
    next_net_log_ = now + std::chrono::seconds(1);
}

// --- the loop ------------------------------------------------------------------------

int App::run() {
    const util::TimePoint start = steady_now();
    const auto frame_time = std::chrono::duration_cast<util::Duration>(
        std::chrono::duration<double>(1.0 / std::max(10, options_.max_fps)));
    const auto screenshot_at = start + std::chrono::duration_cast<util::Duration>(
                                           std::chrono::duration<double>(options_.screenshot_after_s));
    while (!quit_) {
        const util::TimePoint now = steady_now();
        UiInput input;
        handle_events(input);
        io_.poll();
        session_.update(now, intent());

        // Which screen, and what changed since the last frame.
        const Screen screen = session_.screen();
        if (screen != screen_) {
            on_screen_change(screen_, screen);
            screen_ = screen;
        }
        if (session_.match_serial() != match_serial_) {
            match_serial_ = session_.match_serial();
            net_graph_.reset_match();
        }
        const client::LobbyState lobby = session_.lobby_state();
        if (lobby == client::LobbyState::Ready && last_lobby_state_ != client::LobbyState::Ready) {
            // Welcomed: this server and name worked; remember them.
            remember_server(settings_, session_.endpoint_text());
            settings_.name = session_.player_name();
            save();
        }
        last_lobby_state_ = lobby;

        net_graph_.record_frame(now);
        if (const client::GameClient* game = session_.game(); game && game->state() == client::ConnectionState::InMatch)
            net_graph_.record_match(now, game->stats(), game->arrivals(), session_.snapshot_interval_ticks());

        // Once a second, and at once when the screen changes.
        ++frames_this_second_;
        if (now >= next_net_log_ || shown_screen() != last_logged_screen_) {
            if (now >= next_net_log_) {
                fps_ = static_cast<double>(frames_this_second_);
                frames_this_second_ = 0;
            }
            if (net_log_.open()) write_net_log(now, util::to_seconds(now - start));
            else next_net_log_ = now + std::chrono::seconds(1);
            last_logged_screen_ = shown_screen();
        }

        canvas_.begin_frame();
        if (ui_log_.open()) {
            ui_record_.clear();
            canvas_.set_record(&ui_record_);
        }
        ui_.begin(input);
        ui_.set_time(util::to_seconds(now - start));
        Frame frame{canvas_, ui_, session_, settings_, now, util::to_seconds(now - start)};
        draw(frame);
        canvas_.end_frame();
        if (ui_log_.open()) ui_log_.offer(util::to_seconds(now - start), shown_screen(), ui_record_, now);

        if (!options_.screenshot.empty() && now >= screenshot_at) {
            auto saved = platform_.save_screenshot(options_.screenshot);
            if (!saved) {
                fmt::print(stderr, "skirmish-client: {}\n", saved.error());
                return 1;
            }
            int w = 0, h = 0;
            SDL_GetRendererOutputSize(platform_.renderer(), &w, &h);
            fmt::print("skirmish-client: screenshot of the {} screen ({}x{}) written to {}\n", name(screen_), w, h,
                       options_.screenshot);
            std::fflush(stdout);
            finish();
            return 0;
        }
        SDL_RenderPresent(platform_.renderer());
        // Pacing: vsync may already have waited; never run faster than max_fps.
        const util::TimePoint next = now + frame_time;
        if (steady_now() < next) std::this_thread::sleep_until(next);
    }
    finish();
    return 0;
}

} // namespace skirmish::app
