// client/app/shot_comparison.hpp
//
// What one player saw against what the server judged: a view recording
// (.skview, the client's --record-view or a bot's --record-view-dir) set
// against the server's demo of the same match, re-simulated. Tick by tick,
// the inputs the client sent against the ones the server's simulation
// consumed, and the snapshots it received against the re-simulated world.
// Shot by shot, the target where the client drew it (the view's shot
// marker), where the server rewound it (lag compensation: the position
// history at the input's view tick, clamped as sim::step clamps it), and
// where it really was at that tick, with the rewind in milliseconds; a shot
// the client saw hit and the server refused is marked.
//
// IMPORTANT: no SDL. Both files are untrusted: a view of another match or
// player, or of other rules, is refused with a sentence.
#pragma once

#include "shared/demo/replay.hpp"
#include "shared/demo/view_format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::app {

inline constexpr std::size_t kMaxDrawnFrames = 1'000'000;

struct ComparedShot {
    sim::Tick tick = 0;        // the step that judged it (World::tick before the step)
    bool server_fired = true;  // false: the client fired on this input, the server's step did not
    bool client_fired = false; // the view recorded a shot on this input
    sim::Vec2 from;            // the shooter where the server had it
    sim::Vec2 to;              // where the server's shot stopped
    sim::Vec2 client_from;     // the shooter as the client predicted it
    sim::Vec2 client_to;       // where the client's ray stopped (its drawn targets, the walls)
    std::optional<sim::PlayerId> target; // the player compared (hit by either side, else nearest the ray)
    std::optional<sim::Vec2> drawn;      // where the client had the target when it fired
    std::optional<sim::Vec2> rewound;    // where the server checked it (lag compensation)
    std::optional<sim::Vec2> actual;     // where it was at that tick
    double rewind_ms = 0;                // how far back the server looked (0: not rewound)
    sim::Tick view_tick = 0;
    std::uint8_t view_fraction = 0;
    std::optional<sim::PlayerId> client_hit; // who the client's ray met, if anyone
    std::optional<sim::PlayerId> server_hit;
    bool refused = false; // the client saw a hit the server did not give (or gave another player)
    double drawn_to_rewound = 0; // world units between where it was drawn and where it was checked
    std::string reason;          // for a refused shot: why the server gave no hit, for a person
};

struct ViewAlignment {
    std::uint64_t inputs = 0;           // view inputs for ticks the demo stepped
    std::uint64_t inputs_applied = 0;   // ...the server applied exactly that input
    std::uint64_t inputs_different = 0; // ...the server applied another input for that tick
    std::uint64_t inputs_repeated = 0;  // ...none had arrived: the server repeated the previous
    std::uint64_t inputs_missing = 0;
    std::uint64_t inputs_outside = 0;   // for a tick the demo has no step of this player for
    std::uint64_t snapshots = 0;        // snapshots received for ticks the demo reached
    std::uint64_t snapshots_equal = 0;  // ...equal, every player and field, to the re-simulated world
    std::string first_difference;       // the first input or snapshot that differs, for a person
};

// What the client drew in one frame (a view's Frame record).
struct DrawnFrame {
    double server_tick = 0; // the client's estimate of the server's tick then
    std::vector<demo::DrawnPlayer> players;
};

struct ShotComparison {
    sim::PlayerId player_id{};
    std::string player_name;
    protocol::MatchId match_id{};
    double tick_rate = 0;
    ViewAlignment alignment;
    std::vector<ComparedShot> shots; // in tick order
    std::vector<DrawnFrame> frames;  // in the order drawn (kMaxDrawnFrames at most)
    std::uint64_t refused() const;
    // The frame drawn nearest to the server's `tick` (within a tick), if any.
    const DrawnFrame* frame_at(double tick) const;
};

// Re-simulates the demo beside the view. Refuses (with why, for a person) a
// view of another match, a player not in the demo, or other rules.
util::Result<ShotComparison, std::string> compare_view(demo::DemoReader demo, demo::ViewReader view);
util::Result<ShotComparison, std::string> compare_view_files(const std::filesystem::path& demo_file,
                                                            const std::filesystem::path& view_file);

// One line per shot, and the alignment figures: what the tests and a terminal read.
std::string describe(const ShotComparison& comparison);

} // namespace skirmish::app
