// shared/net/conditions_schedule.hpp
//
// A schedule of network conditions that a conditioner cycles through while it
// runs (skirmish-bots --conditions-schedule FILE): steps of a given length,
// each with its own conditions, from the first again after the last. Pure: the
// caller says how long it has run; nothing here reads a clock or a file.
// The file format is in docs/NETCODE.md, "Changing conditions while running".
//
// IMPORTANT: parse() takes untrusted text (a file a person wrote): every value
// is range-checked, sizes are capped, and an error names the line and says what
// is wrong; it never throws.
#pragma once

#include "shared/net/conditioner.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::net {

inline constexpr std::size_t kMaxScheduleSteps = 1000;
inline constexpr std::size_t kMaxScheduleBytes = 256 * 1024;
inline constexpr double kMaxStepSeconds = 86'400.0;

struct ScheduleStep {
    double seconds = 0;  // how long the step lasts, > 0
    LinkConditions up;   // client → server
    LinkConditions down; // server → client
    std::size_t line = 0; // where it was written, for messages

    friend bool operator==(const ScheduleStep&, const ScheduleStep&) = default;
};

class ConditionsSchedule {
public:
    // One step per line: "SECONDS [SETTING=VALUE ...]", '#' to the end of a line
    // is a comment, blank lines are skipped. Settings are the conditioner's flag
    // names without dashes in front (latency-ms, jitter-ms, loss-pct, dup-pct,
    // reorder-pct, each also as up-... and down-...). A step starts from no added
    // delay or loss; a per-direction setting wins over the both-directions one.
    static util::Result<ConditionsSchedule, std::string> parse(std::string_view text);

    const std::vector<ScheduleStep>& steps() const noexcept { return steps_; }
    // The length of one pass through every step.
    util::Duration cycle() const noexcept { return cycle_; }
    // The index of the step in force `elapsed` after the start; the schedule
    // repeats after its last step. A negative `elapsed` counts as 0.
    std::size_t step_at(util::Duration elapsed) const noexcept;
    // `base` (seed, queue limits, outages) with the conditions of step `index`.
    ConditionerConfig apply(std::size_t index, ConditionerConfig base) const;

private:
    std::vector<ScheduleStep> steps_;
    std::vector<util::Duration> ends_; // ends_[i]: when step i ends, from the start of a pass
    util::Duration cycle_{};
};

} // namespace skirmish::net
