// client/app_sdl/app_playback.cpp
//
// App's demo half (App is declared in app.hpp): the connect screen's Demos
// list, a demo played back (--demo FILE or a row of the list) with its keys
// and its net log figures, and --record-view FILE (the view tap set on the
// first match's game connection, finished when that match ends).
#include "client/app_sdl/app.hpp"

#include <fmt/format.h>

#include <chrono>

namespace skirmish::app {

void App::open_demo(const std::filesystem::path& file) {
    auto playback = DemoPlayback::open(file);
    if (!playback) {
        log_.warn("{}", playback.error());
        demos_screen_.set_problem(playback.error());
        return;
    }
    log_.info("playing {} ({} ticks, {} checkpoints)", file.string(), playback->end_tick(), playback->checkpoints());
    playback_screen_.start(std::move(playback).value(), std::nullopt);
    ui_.unfocus();
    held_.clear();
}

void App::draw_demos(Frame& f) {
    const double since_last_s = util::to_seconds(f.now - last_playback_frame_);
    last_playback_frame_ = f.now;
    if (playback_screen_.active()) {
        PlaybackInput input;
        input.scoreboard = held(settings_.bindings, Action::Scoreboard, held_);
        const auto axis = [&](Action minus, Action plus) {
            return (held(settings_.bindings, plus, held_) ? 1.0f : 0.0f) -
                   (held(settings_.bindings, minus, held_) ? 1.0f : 0.0f);
        };
        input.pan = {axis(Action::MoveLeft, Action::MoveRight), axis(Action::MoveUp, Action::MoveDown)};
        if (!playback_screen_.draw(f, input, std::min(since_last_s, 0.25))) {
            playback_screen_.close();
            held_.clear();
        }
        return;
    }
    if (auto chosen = demos_screen_.draw(f)) open_demo(*chosen);
}

bool App::handle_playback_key(SDL_Scancode code) {
    if (menu_open_ || settings_overlay_.is_open()) return false;
    if (playback_screen_.active()) {
        if (code == SDL_SCANCODE_ESCAPE) {
            playback_screen_.close();
            held_.clear();
            return true;
        }
        return playback_screen_.key(code);
    }
    if (demos_screen_.is_open() && screen_ == Screen::Connect && code == SDL_SCANCODE_ESCAPE) {
        demos_screen_.close();
        return true;
    }
    return false;
}

void App::log_playback(NetLogLine& line) const {
    const DemoPlayback* p = playback_screen_.playback();
    if (!p) return;
    line.demo = p->title();
    line.demo_tick = p->tick();
    line.demo_end_tick = p->end_tick();
    line.demo_playing = p->playing();
    line.demo_speed = p->speed();
    line.demo_camera = std::string(name(p->camera_mode()));
    line.demo_kills = p->kills().size();
    if (const ShotComparison* c = playback_screen_.comparison()) {
        line.demo_shots = c->shots.size();
        line.demo_refused = c->refused();
    }
}

void App::update_view_recording(util::TimePoint now) {
    if (options_.record_view.empty() || view_recording_finished_) return;
    const client::GameClient* game = session_.game();
    if (!view_recording_) {
        if (!game) return;
        const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        view_recording_ = std::make_unique<client::ViewRecording>(
            std::filesystem::path(options_.record_view).parent_path(), settings_.name,
            static_cast<std::uint64_t>(unix_ms.count()), log_.child("view"));
        view_recording_->set_file(options_.record_view);
        session_.set_view_tap(view_recording_.get());
        recorded_game_ = game;
        return;
    }
    // The match this view is of has ended (or its connection has gone): close the file.
    if (game == recorded_game_ && game->view().results.has_value() == false &&
        game->state() != client::ConnectionState::Disconnected)
        return;
    client::ClientView gone;
    gone.status = "the game connection closed";
    view_recording_->finish(game == recorded_game_ ? game->view() : gone, now);
    if (game == recorded_game_) session_.set_view_tap(nullptr);
    if (auto path = view_recording_->path()) log_.info("view recorded to {}", path->string());
    view_recording_finished_ = true;
    view_recording_.reset();
}

} // namespace skirmish::app
