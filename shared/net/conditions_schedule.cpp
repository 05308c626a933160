// shared/net/conditions_schedule.cpp
#include "shared/net/conditions_schedule.hpp"

#include "shared/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>

namespace skirmish::net {

namespace {

struct Setting {
    std::string_view name; // e.g. "latency-ms"
    double LinkConditions::*field;
    double high;
    std::string_view unit;
};

constexpr std::array<Setting, 5> kSettings{{
    {"latency-ms", &LinkConditions::latency_ms, kMaxDelayMs, " ms"},
    {"jitter-ms", &LinkConditions::jitter_ms, kMaxDelayMs, " ms"},
    {"loss-pct", &LinkConditions::loss_pct, 100.0, " %"},
    {"dup-pct", &LinkConditions::dup_pct, 100.0, " %"},
    {"reorder-pct", &LinkConditions::reorder_pct, 100.0, " %"},
}};

constexpr std::string_view kSettingNames =
    "latency-ms, jitter-ms, loss-pct, dup-pct, reorder-pct (each also with up- or down- in front)";


std::optional<double> to_number(std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

util::Duration to_duration(double seconds) {
    return util::Duration(static_cast<util::Duration::rep>(std::llround(seconds * 1e9)));
}

// One "SETTING=VALUE" word into `step`. Both-directions settings go in first
// (the caller orders them), so a per-direction one written anywhere wins.
util::Result<util::Ok, std::string> apply_setting(std::string_view word, ScheduleStep& step, bool per_direction_pass) {
    const auto equals = word.find('=');
    if (equals == std::string_view::npos)
        return util::fail(fmt::format("'{}' is not SETTING=VALUE (e.g. loss-pct=5)", word));
    std::string_view key = word.substr(0, equals);
    const std::string_view value_text = word.substr(equals + 1);
    LinkConditions* targets[2] = {&step.up, &step.down};
    std::size_t count = 2;
    const bool is_up = key.starts_with("up-");
    const bool is_down = key.starts_with("down-");
    if (is_up || is_down) {
        key.remove_prefix(is_up ? 3 : 5);
        targets[0] = is_up ? &step.up : &step.down;
        count = 1;
    }
    const auto setting = std::find_if(kSettings.begin(), kSettings.end(), [&](const Setting& s) { return s.name == key; });
    if (setting == kSettings.end())
        return util::fail(fmt::format("unknown setting '{}'; the settings are {}", word.substr(0, equals), kSettingNames));
    const std::optional<double> value = to_number(value_text);
    if (!value || *value < 0.0 || *value > setting->high)
        return util::fail(fmt::format("{} must be a number between 0 and {:g}{}, got '{}'", word.substr(0, equals),
                                      setting->high, setting->unit, value_text));
    if (per_direction_pass != (count == 1)) return util::Ok{};
    for (std::size_t i = 0; i < count; ++i) targets[i]->*(setting->field) = *value;
    return util::Ok{};
}

util::Result<ScheduleStep, std::string> parse_step(std::string_view line, std::size_t number) {
    std::vector<std::string_view> words;
    while (!line.empty()) {
        const auto end = line.find_first_of(" \t");
        words.push_back(line.substr(0, end));
        line = end == std::string_view::npos ? std::string_view{} : util::trim_space(line.substr(end));
    }
    ScheduleStep step;
    step.line = number;
    const std::optional<double> seconds = to_number(words.front());
    if (!seconds || *seconds <= 0.0 || *seconds > kMaxStepSeconds)
        return util::fail(fmt::format("a step starts with how many seconds it lasts (more than 0, at most {:g}), "
                                      "got '{}'",
                                      kMaxStepSeconds, words.front()));
    step.seconds = *seconds;
    for (const bool per_direction_pass : {false, true}) {
        for (std::size_t i = 1; i < words.size(); ++i) {
            if (auto ok = apply_setting(words[i], step, per_direction_pass); !ok) return util::fail(ok.error());
        }
    }
    return step;
}

} // namespace

util::Result<ConditionsSchedule, std::string> ConditionsSchedule::parse(std::string_view text) {
    if (text.size() > kMaxScheduleBytes)
        return util::fail(fmt::format("a schedule is at most {} bytes, this one has {}", kMaxScheduleBytes, text.size()));
    ConditionsSchedule schedule;
    std::size_t number = 0;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        ++number;
        line = util::trim_space(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        if (schedule.steps_.size() == kMaxScheduleSteps)
            return util::fail(fmt::format("line {}: a schedule has at most {} steps", number, kMaxScheduleSteps));
        auto step = parse_step(line, number);
        if (!step) return util::fail(fmt::format("line {}: {}", number, step.error()));
        schedule.steps_.push_back(step.value());
        schedule.cycle_ += to_duration(step->seconds);
        schedule.ends_.push_back(schedule.cycle_);
    }
    if (schedule.steps_.empty())
        return util::fail(std::string("the schedule has no steps: write one per line, e.g. "
                                      "\"60 latency-ms=25 jitter-ms=10 loss-pct=1\""));
    return schedule;
}

std::size_t ConditionsSchedule::step_at(util::Duration elapsed) const noexcept {
    if (steps_.empty() || cycle_ <= util::Duration::zero()) return 0;
    const util::Duration into_cycle = std::max(elapsed, util::Duration::zero()) % cycle_;
    const auto end = std::upper_bound(ends_.begin(), ends_.end(), into_cycle);
    return std::min(static_cast<std::size_t>(end - ends_.begin()), steps_.size() - 1);
}

ConditionerConfig ConditionsSchedule::apply(std::size_t index, ConditionerConfig base) const {
    if (index >= steps_.size()) return base;
    base.up = steps_[index].up;
    base.down = steps_[index].down;
    return base;
}

} // namespace skirmish::net
