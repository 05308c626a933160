// client/app_sdl/playback_screen.hpp
//
// A demo played back (skirmish-client --demo FILE, or a row of the Demos
// list): the arena drawn by MatchView from the re-simulated world, a top bar
// (the demo, the tick and time, speed, camera), the control bar (start, step
// back, play/pause, step forward, end, slower/faster, follow/free/overview,
// scoreboard, back) and the timeline with its kill markers, the scoreboard at
// the shown tick, and, given the player's view recording (--view FILE), each
// of that player's shots compared: drawn, rewound, actual, the rewind in ms,
// refused shots marked (on the timeline too).
//
//   keys: Space play/pause · ←/→ a tick (paused) or 5 s · ↑/↓ speed · Home/End
//         · F follow the next player · C free camera (WASD pans, wheel zooms)
//         · O overview · PgUp/PgDn the previous/next shot compared (else kill) · V what the view drew
//         · Tab scoreboard · Esc back
//
// IMPORTANT: draws a DemoPlayback and acts on it; the model is client/app.
#pragma once

#include "client/app/demo_playback.hpp"
#include "client/app/shot_comparison.hpp"
#include "client/app_sdl/frame.hpp"
#include "client/app_sdl/match_view.hpp"

#include <SDL.h>

#include <optional>

namespace skirmish::app {

struct PlaybackInput {
    bool scoreboard = false; // Tab held
    sim::Vec2 pan;           // WASD held: -1..1 each way
};

class PlaybackScreen {
public:
    bool active() const noexcept { return playback_.has_value(); }
    void start(DemoPlayback playback, std::optional<ShotComparison> comparison);
    void close();
    DemoPlayback* playback() { return playback_ ? &*playback_ : nullptr; }
    const DemoPlayback* playback() const { return playback_ ? &*playback_ : nullptr; }
    const ShotComparison* comparison() const { return comparison_ ? &*comparison_ : nullptr; }
    // A key pressed while playing back; false if it is not one of playback's.
    bool key(SDL_Scancode code);
    // Advances the clock and draws; returns false when the person chose Back.
    bool draw(Frame& frame, const PlaybackInput& input, double since_last_s);
    // Jumps to the next (+1) or previous (-1) compared shot, or kill if there is no view; pauses there.
    void jump(int direction);

private:
    void draw_arena(Frame& f, const PlaybackInput& input, const ScreenRect& area);
    void draw_top_bar(Frame& f);
    // With a view: where its client drew everyone at the shown tick (V toggles).
    void draw_seen(Frame& f, const ScreenRect& area);
    bool draw_controls(Frame& f, const ScreenRect& bar);
    void draw_timeline(Frame& f, const ScreenRect& track);
    void draw_scoreboard(Frame& f);
    void draw_shot(Frame& f, const ComparedShot& shot, double fade);
    void draw_shot_panel(Frame& f, const ComparedShot& shot, std::size_t index);
    // The compared shot shown at this tick (the latest within a second), if any.
    std::optional<std::size_t> shown_shot() const;

    std::optional<DemoPlayback> playback_;
    std::optional<ShotComparison> comparison_;
    MatchView view_;
    bool scoreboard_pinned_ = false;
    bool show_drawn_ = true;
};

} // namespace skirmish::app
