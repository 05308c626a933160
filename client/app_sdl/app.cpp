// client/app_sdl/app.cpp
//
// App's frame loop (App is declared in app.hpp; app_input.cpp turns SDL's
// events into input, app_draw.cpp draws): the session updated with this
// frame's time, the current screen and its overlays drawn, the logs written.
#include "client/app_sdl/app.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace skirmish::app {

namespace {

util::TimePoint steady_now() { return std::chrono::steady_clock::now(); }

} // namespace

App::App(Platform& platform, const net::EnetLibrary& enet, AppOptions options, Settings settings, util::Logger log)
    : platform_(platform),
      options_(std::move(options)),
      settings_(std::move(settings)),
      log_(std::move(log)),
      session_(enet, io_, options_.session, log_.child("session")),
      canvas_(platform.renderer(), options_.fonts),
      ui_(canvas_),
      audio_(log_.child("audio")),
      net_log_(options_.net_log, log_),
      ui_log_(options_.ui_log, log_) {
    if (!options_.name.empty()) settings_.name = options_.name;
    if (options_.net_graph) settings_.net_graph = *options_.net_graph;
    study_show_.ghosts = options_.ghosts;
    study_show_.snapshots = options_.snapshots;
    study_show_.rewinds = options_.rewinds;
    study_open_ = options_.study_panel;
    study_panel_.load(session_);
    applied_fullscreen_ = settings_.fullscreen;
    applied_vsync_ = settings_.vsync;
    apply_settings();
    const auto now = steady_now();
    if (options_.connect) {
        session_.connect(options_.connect->host, options_.connect->port, settings_.name, now, options_.password);
        if (options_.quick_play) session_.quick_play();
        if (options_.watch) session_.watch();
    }
    if (options_.playback) {
        playback_screen_.start(std::move(*options_.playback), std::move(options_.comparison));
        options_.playback.reset();
    }
    load_connect_screen();
    load_rejoin();
}

App::~App() {
    keep_rejoin(); // a quit is leaving on purpose: rejoin.txt goes
    save();
}

void App::apply_settings() {
    if (settings_.fullscreen != applied_fullscreen_) platform_.set_fullscreen(applied_fullscreen_ = settings_.fullscreen);
    if (settings_.vsync != applied_vsync_) platform_.set_vsync(applied_vsync_ = settings_.vsync);
    if (settings_.volume != applied_volume_ || settings_.mute != applied_mute_) {
        applied_volume_ = settings_.volume;
        applied_mute_ = settings_.mute;
        audio_.set_volume(settings_.volume, settings_.mute);
    }
}

void App::play_sounds(double since_last_s) {
    const client::GameClient* game = session_.game();
    std::vector<Sound> sounds = cues_.update(game ? &game->view() : nullptr, since_last_s);
    // A new chat line from someone else (the room's, in the lobby or the match).
    const auto& chat = session_.chat();
    if (!chat.empty() && chat.back().when > last_chat_at_) {
        if (last_chat_at_ != util::TimePoint{}) {
            const bool own = chat.back().from.empty() || chat.back().from == session_.player_name();
            for (Sound s : cues_.chat(own)) sounds.push_back(s);
        }
        last_chat_at_ = chat.back().when;
    }
    for (Sound s : sounds) {
        audio_.play(s);
        ++sounds_requested_[std::string(name(s))];
    }
}

void App::save() {
    if (options_.settings_path.empty()) return;
    if (auto r = save_settings(options_.settings_path, settings_); !r) log_.warn("settings not saved: {}", r.error());
}

void App::carry_out(MenuChoice choice) {
    switch (choice) {
    case MenuChoice::None: break;
    case MenuChoice::Resume: menu_open_ = false; break;
    case MenuChoice::Settings:
        menu_open_ = false;
        ui_.unfocus();
        settings_overlay_.open(settings_);
        break;
    case MenuChoice::NetGraph: settings_.net_graph = !settings_.net_graph; break;
    case MenuChoice::StudyPanel: study_open_ = !study_open_; break;
    case MenuChoice::Fullscreen:
        settings_.fullscreen = !settings_.fullscreen;
        apply_settings();
        break;
    case MenuChoice::Vsync:
        settings_.vsync = !settings_.vsync;
        apply_settings();
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
    if (to == Screen::Connect) {
        load_connect_screen();
        lan_.refresh(steady_now()); // the LAN list is fresh each time the screen opens
    }
}

void App::finish() {
    if (view_recording_) {
        const client::GameClient* game = session_.game();
        view_recording_->finish(game ? game->view() : client::ClientView{}, steady_now());
        session_.set_view_tap(nullptr);
        view_recording_.reset();
    }
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
    if (screen_ == Screen::Connect && playback_screen_.active()) return "playback";
    if (screen_ == Screen::Connect && demos_screen_.is_open()) return "demos";
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
    line.audio = audio_.open();
    line.sounds = sounds_requested_;
    line.overlay = settings_overlay_.is_open() ? "settings" : menu_open_ ? "menu" : "";
    line.profile = session_.conditions().profile;
    line.seed = session_.conditions().seed;
    if (const client::GameClient* game = session_.game()) {
        const client::NetStats& s = game->stats();
        line.match_id = protocol::to_int(game->view().match_id);
        line.players_seen = static_cast<int>(game->view().players.size());
        if (game->view().spectating) {
            line.spectating = true;
            line.spectator_camera = std::string(name(spectator_.mode()));
            line.followed = sim::to_int(spectator_.followed().value_or(sim::kNoPlayer));
        }
        if (const client::ViewPlayer* me = game->view().local()) {
            line.frags = me->state.frags;
            line.deaths = me->state.deaths;
        }
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
        line.hits = game->hit_counts();
        line.extrapolated_pct = game->smoothness().extrapolated_pct();
        line.snaps_per_min = game->smoothness().snaps_per_min();
    }
    log_playback(line);
    net_log_.write(line);
    last_logged_screen_ = line.screen;
    next_net_log_ = now + std::chrono::seconds(1);
}

// --- the loop ------------------------------------------------------------------------

bool App::animating() const {
    if (screen_ == Screen::Match || screen_ == Screen::Scoreboard || playback_screen_.active()) return true;
    const client::LobbyState lobby = session_.lobby_state();
    return lobby == client::LobbyState::Connecting || lobby == client::LobbyState::Handshaking;
}

void App::wait_until(util::TimePoint until) {
    // Network completions are handled as they come; an input event ends the
    // wait at once (checked every few milliseconds: SDL has no waitable handle
    // that asio could watch).
    constexpr auto kInputCheck = std::chrono::milliseconds(4);
    if (deferred_event_) return; // an event held over for the next frame: draw it now
    for (int i = 0; i < 100000; ++i) {
        const util::TimePoint now = steady_now();
        if (now >= until) return;
        io_.run_one_until(std::min(until, now + kInputCheck));
        browser_.update(steady_now());
        lan_.update(steady_now());
        SDL_PumpEvents();
        if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT)) return;
    }
}

int App::run() {
    const util::TimePoint start = steady_now();
    const auto frame_time = std::chrono::duration_cast<util::Duration>(
        std::chrono::duration<double>(1.0 / std::max(10, options_.max_fps)));
    const auto idle_frame_time = std::chrono::duration_cast<util::Duration>(
        std::chrono::duration<double>(1.0 / std::clamp(options_.idle_fps, 1, std::max(10, options_.max_fps))));
    const auto still_frame_time = std::chrono::duration_cast<util::Duration>(
        std::chrono::duration<double>(1.0 / std::clamp(options_.still_fps, 1, std::max(1, options_.idle_fps))));
    // After this long without input a still screen slows down further (a caret still blinks).
    constexpr auto kStillAfter = std::chrono::seconds(2);
    last_frame_ = start;
    const auto screenshot_at = start + std::chrono::duration_cast<util::Duration>(
                                           std::chrono::duration<double>(options_.screenshot_after_s));
    while (!quit_) {
        const util::TimePoint now = steady_now();
        UiInput input;
        events_this_frame_ = false;
        handle_events(input);
        if (events_this_frame_) last_event_at_ = now;
        io_.poll();
        browser_.update(now);
        lan_.update(now);
        session_.update(now, intent());
        update_view_recording(now);
        play_sounds(util::to_seconds(now - last_frame_));
        last_frame_ = now;

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
        keep_rejoin();
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
        // Pacing: vsync may already have waited; never run faster than max_fps,
        // and on a still screen no faster than idle_fps (input wakes it at once).
        const bool still = now - last_event_at_ > kStillAfter;
        wait_until(now + (animating() ? frame_time : still ? still_frame_time : idle_frame_time));
    }
    finish();
    return 0;
}

} // namespace skirmish::app
