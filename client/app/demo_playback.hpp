// client/app/demo_playback.hpp
//
// A match demo played back: the whole file is read once, re-simulated once
// with shared/sim (demo::Replay) to find its length, its kills and its
// checkpoints (a copy of the re-simulation every second or so), and then
// shown at any tick: play and pause, 0.25x to 4x, one tick forwards or back,
// seek anywhere (a checkpoint at or before the tick, then at most one
// checkpoint's interval of steps). The camera (the whole arena, following a
// player, or free) and the scoreboard at the shown tick are here too.
//
// IMPORTANT: no SDL, no clock: update() is handed the seconds that passed.
// IMPORTANT: the file is untrusted: open() refuses a demo of other game rules
// (its re-simulation would not be the match) or an unreadable one with a
// sentence for a person; a damaged or cut-off demo plays up to the damage.
#pragma once

#include "client/app/camera.hpp"
#include "shared/demo/replay.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::app {

inline constexpr std::array<double, 5> kPlaybackSpeeds{0.25, 0.5, 1.0, 2.0, 4.0};
inline constexpr std::size_t kMaxPlaybackTicks = 1'000'000; // ~2.2 hours at 128 Hz: events kept in memory
inline constexpr std::size_t kCheckpointBudgetBytes = 256u << 20;

struct KillMarker {
    sim::Tick tick = 0; // the first tick the victim is shown dead
    sim::PlayerId killer{};
    sim::PlayerId victim{};
};

struct PlaybackShot {
    sim::Tick tick = 0; // the world's tick after the step that fired it
    sim::ShotEvent shot;
};

struct ScoreRow {
    sim::PlayerId id{};
    std::string name;
    int frags = 0;
    int deaths = 0;
    bool present = true; // in the world at the shown tick (false: left, score as they left)
};

class DemoPlayback {
public:
    static util::Result<DemoPlayback, std::string> open(const std::filesystem::path& path);
    static util::Result<DemoPlayback, std::string> load(demo::DemoReader reader, std::string title);

    const demo::DemoHeader& header() const noexcept { return header_; }
    const std::string& title() const noexcept { return title_; }
    sim::Tick tick() const noexcept { return cursor_.replay.world().tick; }
    sim::Tick end_tick() const noexcept { return end_tick_; }
    bool at_end() const noexcept { return cursor_.next >= events_.size(); }
    double tick_rate() const noexcept { return header_.rules.tick_rate_hz; }
    double seconds(double tick) const noexcept { return tick / tick_rate(); }
    // How the file ended (cut off, damaged) and the re-simulation's agreement with it.
    demo::Ending ending() const noexcept { return ending_; }
    const std::string& ending_text() const noexcept { return ending_text_; }
    std::uint64_t mismatches() const noexcept { return mismatches_; }
    const std::string& first_mismatch() const noexcept { return first_mismatch_; }
    const std::vector<KillMarker>& kills() const noexcept { return kills_; }
    std::size_t checkpoints() const noexcept { return checkpoints_.size(); }
    sim::Tick checkpoint_interval() const noexcept { return interval_; }
    // Steps simulated since open (the open pass included): what seeking costs.
    std::uint64_t steps_simulated() const noexcept { return steps_; }

    // --- controls ---
    bool playing() const noexcept { return playing_; }
    void play();
    void pause();
    void toggle() { playing_ ? pause() : play(); }
    double speed() const noexcept { return kPlaybackSpeeds[speed_index_]; }
    std::size_t speed_index() const noexcept { return speed_index_; }
    void set_speed_index(std::size_t index);
    void faster() { set_speed_index(speed_index_ + 1); }
    void slower() { set_speed_index(speed_index_ == 0 ? 0 : speed_index_ - 1); }
    // Advances the clock by `seconds` × speed while playing; pauses at the end.
    void update(double seconds);
    // Shows exactly `tick` (clamped to the demo), backwards or forwards.
    void seek(sim::Tick tick);
    void seek_fraction(double fraction);
    // One tick forwards or back; pauses.
    void step_forward();
    void step_back();

    // --- what is shown ---
    const sim::World& world() const noexcept { return cursor_.replay.world(); }
    const demo::Replay& replay() const noexcept { return cursor_.replay; }
    // Everyone's position between the previous tick and this one while
    // playing (smooth motion), exactly this tick when paused.
    sim::Vec2 drawn_position(const sim::Player& player) const;
    // The clock in ticks, fractional while playing.
    double clock() const noexcept { return clock_; }
    // Shots of the last `ticks` ticks, oldest first.
    std::vector<PlaybackShot> recent_shots(sim::Tick ticks) const;
    std::vector<KillMarker> recent_kills(sim::Tick ticks) const;
    std::string name_of(sim::PlayerId id) const;
    // Everyone who has played so far, by frags, then deaths, then id.
    std::vector<ScoreRow> scoreboard() const;

    // --- camera (ViewCamera, with the followed player where it is drawn) ---
    CameraMode camera_mode() const noexcept { return camera_.mode(); }
    std::optional<sim::PlayerId> followed() const noexcept { return camera_.followed(); }
    void show_overview() { camera_.show_overview(); }
    // Follows the next player in the world after the one followed (by id), wrapping.
    void follow_next();
    void follow(sim::PlayerId id) { camera_.follow(id); }
    // Free camera: starts where the view is; pan in world units, zoom by a factor.
    void free_camera() { camera_.free_camera(followed_at()); }
    void pan(sim::Vec2 world_delta) { camera_.pan(world_delta, followed_at()); }
    void zoom_by(double factor) { camera_.zoom_by(factor, followed_at()); }
    double zoom() const noexcept { return camera_.zoom(); }
    Camera camera(const ScreenRect& area) const { return camera_.camera(area, followed_at()); }

private:
    struct Cursor {
        explicit Cursor(const demo::DemoHeader& header) : replay(header) {}
        demo::Replay replay;
        std::size_t next = 0;                   // the next event to apply
        std::vector<sim::Player> previous;      // the players one tick before (for drawn_position)
        std::map<sim::PlayerId, ScoreRow> left; // who left, as they left
    };
    DemoPlayback(demo::DemoHeader header, std::string title);
    void apply_next();
    std::optional<sim::Vec2> followed_at() const;
    // Applies events until the next is the Tick record of `tick` (or the end).
    void advance_to(sim::Tick tick);

    demo::DemoHeader header_;
    std::string title_;
    std::vector<demo::DemoEvent> events_;
    Cursor cursor_;
    std::vector<Cursor> checkpoints_; // cursor_ as it was before the Tick record of checkpoint k × interval_
    sim::Tick interval_ = 1;
    sim::Tick end_tick_ = 0;
    std::vector<KillMarker> kills_;
    std::vector<PlaybackShot> shots_; // the last second's, kept while stepping
    demo::Ending ending_ = demo::Ending::Complete;
    std::string ending_text_;
    std::uint64_t mismatches_ = 0;
    std::string first_mismatch_;
    std::uint64_t steps_ = 0;
    bool loaded_ = false; // the first pass is over

    bool playing_ = false;
    std::size_t speed_index_ = 2;
    double clock_ = 0;
    ViewCamera camera_;
};

} // namespace skirmish::app
