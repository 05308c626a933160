// shared/demo/replay.hpp
//
// Re-runs a recorded match with shared/sim: the header's map and rules, then
// each event in recorded order (joins and leaves change the world, Tick
// records step it with the recorded inputs and check 16 bits of the state
// hash after each step, State and End records are checked in full against
// the re-simulated world). verify() reads a whole demo this way and reports
// the first tick that differs, and at the next State the player and field.
//
// A Replay is a plain value: copy it to keep a point to seek back to (what
// the client's playback, issue 14 item 4, does).
//
// IMPORTANT: the events must come from a DemoReader of the same demo (they are
// trusted to be well formed; their contents are still only data to compare).
#pragma once

#include "shared/demo/demo_reader.hpp"
#include "shared/demo/player_fields.hpp"
#include "shared/sim/history.hpp"
#include "shared/sim/step.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::demo {

// Ticks are World::tick values: "tick T" is the world after the step of T-1.
struct Mismatch {
    sim::Tick tick = 0;             // the first tick found to differ (by the step hash, else the full state)
    sim::Tick state_tick = 0;       // the State (or End) record compared in full
    sim::Tick last_agreed_tick = 0; // the last State that agreed
    std::optional<std::uint32_t> player;
    std::vector<FieldDifference> fields; // of that player
    std::string text;                    // for a person: what differs, with values
};

class Replay {
public:
    explicit Replay(const DemoHeader& header);

    // Applies one event. A State or End record the re-simulated world does not
    // reproduce gives a Mismatch; the replay goes on from its own world.
    std::optional<Mismatch> apply(const DemoEvent& event);
    // Steps whose hash differed since the last State: the mismatch to report
    // when the demo ends before another State (nullopt if none).
    std::optional<Mismatch> unresolved() const;

    const sim::World& world() const noexcept { return world_; }
    const sim::Rules& rules() const noexcept { return rules_; }
    // What the last step did (shots, kills, respawns) and the inputs it consumed.
    const sim::StepEvents& last_step() const noexcept { return last_step_; }
    const std::vector<RecordedInput>& last_inputs() const noexcept { return last_inputs_; }
    // Where everyone was over the last history_ticks ticks (what lag compensation rewound in).
    const sim::PositionHistory& history() const noexcept { return history_; }
    // Player names by id, from the joins so far (kept after they leave).
    const std::map<std::uint32_t, std::string>& names() const noexcept { return names_; }
    std::uint64_t steps() const noexcept { return steps_; }
    std::uint64_t checks() const noexcept { return checks_; }

private:
    std::optional<Mismatch> step(const TickEvent& tick);
    std::optional<Mismatch> check(const StateCheck& recorded);
    std::optional<Mismatch> compare(const StateCheck& recorded) const;
    Mismatch mismatch(sim::Tick tick, std::string text) const;

    sim::Rules rules_;
    sim::World world_;
    sim::PositionHistory history_;
    sim::StepEvents last_step_;
    std::vector<RecordedInput> last_inputs_;
    std::vector<sim::PlayerInput> inputs_;
    std::map<std::uint32_t, std::string> names_;
    sim::Tick last_agreed_ = 0;
    std::optional<sim::Tick> diverged_; // first tick whose step hash differed since the last State
    std::uint64_t steps_ = 0;
    std::uint64_t checks_ = 0;
};

struct VerifyReport {
    std::uint64_t steps = 0;
    std::uint64_t checks = 0;     // State and End records compared
    std::uint64_t mismatches = 0; // of those, how many differed
    std::optional<Mismatch> first;
    Ending ending = Ending::Complete;
    std::string ending_text;
    sim::Tick last_tick = 0;
    std::optional<protocol::MatchResults> results;
};

// Re-simulates every event `reader` has left.
VerifyReport verify(DemoReader& reader);

// Empty when this build's rules are the demo's; else, for a person, why its
// re-simulation would prove nothing and what to do instead.
std::string rules_difference(const DemoHeader& header);

} // namespace skirmish::demo
