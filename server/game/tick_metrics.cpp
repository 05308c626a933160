// server/game/tick_metrics.cpp
#include "server/game/tick_metrics.hpp"

namespace skirmish::server {

void TickMetrics::record(double work_ms, double late_ms, double tick_period_ms) {
    const std::lock_guard lock(mutex_);
    window_work_.record(work_ms);
    window_late_.record(late_ms);
    run_work_.record(work_ms);
    run_late_.record(late_ms);
    ++ticks_;
    ++run_ticks_;
    if (work_ms > tick_period_ms) {
        ++overruns_;
        ++run_overruns_;
        ++histogram_.overruns;
    }
    const double seconds = work_ms / 1000.0;
    std::size_t bucket = 0;
    while (bucket < kTickDurationBucketsSeconds.size() && seconds > kTickDurationBucketsSeconds[bucket]) ++bucket;
    ++histogram_.counts[bucket];
    ++histogram_.count;
    histogram_.sum_seconds += seconds;
}

TickHistogram TickMetrics::histogram() const {
    const std::lock_guard lock(mutex_);
    return histogram_;
}

std::string_view name(TickPhase phase) {
    switch (phase) {
    case TickPhase::Network: return "network";
    case TickPhase::Step: return "step";
    case TickPhase::Snapshots: return "snapshots";
    case TickPhase::Flush: return "flush";
    case TickPhase::Count: break;
    }
    return "?";
}

void TickMetrics::record_phase(TickPhase phase, double ms) {
    const std::lock_guard lock(mutex_);
    run_phase_[static_cast<int>(phase)].record(ms);
}

void TickMetrics::roll_second() {
    const std::lock_guard lock(mutex_);
    last_second_ = figures(window_work_, window_late_, ticks_, overruns_);
    window_work_.clear();
    window_late_.clear();
}

void TickMetrics::restart_run() {
    const std::lock_guard lock(mutex_);
    run_work_.clear();
    run_late_.clear();
    for (auto& h : run_phase_) h.clear();
    run_ticks_ = 0;
    run_overruns_ = 0;
}

TickFigures TickMetrics::last_second() const {
    const std::lock_guard lock(mutex_);
    return last_second_;
}

TickFigures TickMetrics::whole_run() const {
    const std::lock_guard lock(mutex_);
    return figures(run_work_, run_late_, run_ticks_, run_overruns_);
}

TickFigures TickMetrics::figures(const util::Histogram& work, const util::Histogram& late, std::uint64_t ticks,
                                 std::uint64_t overruns) const {
    TickFigures f;
    f.work_ms_p50 = work.percentile(50);
    f.work_ms_p99 = work.percentile(99);
    f.work_ms_max = work.max();
    f.late_ms_p50 = late.percentile(50);
    f.late_ms_p99 = late.percentile(99);
    f.late_ms_max = late.max();
    f.ticks = ticks;
    f.overruns = overruns;
    for (int i = 0; i < static_cast<int>(TickPhase::Count); ++i) {
        f.phase_ms_p50[i] = run_phase_[i].percentile(50);
        f.phase_ms_p99[i] = run_phase_[i].percentile(99);
    }
    return f;
}

} // namespace skirmish::server
