// server/game/tick_metrics.hpp
//
// How the tick loop is doing: per-tick work time and wake-up lateness, in a
// one-second window (what clients and the net graph see) and over the whole
// run (what the operator sees at exit), plus overruns: ticks whose work did
// not finish within the tick period. An overrun is counted, never skipped.
//
// IMPORTANT: tick thread writes; snapshot() copies under a lock for readers
// on other threads (the lobby's stats, tests).
#pragma once

#include "shared/util/stats.hpp"

#include <array>
#include <cstdint>
#include <mutex>

namespace skirmish::server {

// The phases of one tick, in pipeline order.
enum class TickPhase : std::uint8_t { Network, Step, Snapshots, Flush, Count };
std::string_view name(TickPhase phase);

struct TickFigures {
    double work_ms_p50 = 0, work_ms_p99 = 0, work_ms_max = 0;
    double late_ms_p50 = 0, late_ms_p99 = 0, late_ms_max = 0;
    std::uint64_t ticks = 0;
    std::uint64_t overruns = 0;
    // Per phase over the same span: p50 and p99 in ms.
    double phase_ms_p50[static_cast<int>(TickPhase::Count)] = {};
    double phase_ms_p99[static_cast<int>(TickPhase::Count)] = {};
};

// Every tick's work time since the process started, in fixed buckets: what
// /metrics serves as skirmish_tick_duration_seconds (a Prometheus histogram).
inline constexpr std::array<double, 11> kTickDurationBucketsSeconds = {
    0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256};
struct TickHistogram {
    // counts[i]: ticks whose work took at most bucket i's bound and more than
    // the bound before it; the last entry counts the ticks above every bound.
    std::array<std::uint64_t, kTickDurationBucketsSeconds.size() + 1> counts{};
    std::uint64_t count = 0;
    double sum_seconds = 0;
    std::uint64_t overruns = 0; // of those ticks, the ones whose work took longer than the tick period
};

class TickMetrics {
public:
    void record(double work_ms, double late_ms, double tick_period_ms);
    void record_phase(TickPhase phase, double ms);
    // Closes the one-second window: its figures become last_second().
    void roll_second();
    // Starts the whole-run figures afresh (the server calls it when the first
    // player joins, so idle ticks before do not flatter the percentiles).
    void restart_run();

    TickFigures last_second() const; // overruns: since the process started
    TickFigures whole_run() const;   // since restart_run()
    TickHistogram histogram() const; // since the process started

private:
    TickFigures figures(const util::Histogram& work, const util::Histogram& late, std::uint64_t ticks,
                        std::uint64_t overruns) const;
    mutable std::mutex mutex_;
    util::Histogram window_work_, window_late_;
    util::Histogram run_work_, run_late_;
    util::Histogram run_phase_[static_cast<int>(TickPhase::Count)];
    TickFigures last_second_;
    std::uint64_t ticks_ = 0;
    std::uint64_t overruns_ = 0;
    std::uint64_t run_ticks_ = 0;
    std::uint64_t run_overruns_ = 0;
    TickHistogram histogram_;
};

} // namespace skirmish::server
