// shared/util/stats.hpp
//
// Figures for people: a log-bucketed histogram that answers percentiles within
// ~1 % and merges exactly (so per-bot histograms aggregate into a report
// without averaging averages), and a per-second rate meter.
// Pure: values come in, nothing reads a clock.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

namespace skirmish::util {

// Records non-negative values (any unit: ms, bytes/s, ...). Buckets are
// logarithmic above kLinearLimit with 64 sub-buckets per power of two, so any
// percentile is within ~1.6 % of the true value. Fixed size, no allocation.
class Histogram {
public:
    void record(double value) noexcept;
    void merge(const Histogram& other) noexcept;
    void clear() noexcept { *this = Histogram{}; }

    std::uint64_t count() const noexcept { return count_; }
    double min() const noexcept { return count_ ? min_ : 0.0; }
    double max() const noexcept { return count_ ? max_ : 0.0; }
    double mean() const noexcept { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
    double sum() const noexcept { return sum_; }
    // p in [0, 100]. Returns 0 when empty.
    double percentile(double p) const noexcept;

private:
    static constexpr int kSubBuckets = 64;
    static constexpr int kOctaves = 40;   // covers 1e-3 .. ~1e9 with the scale below
    static constexpr double kScale = 1000.0; // values are recorded in 1/1000ths
    static constexpr int kBucketCount = kSubBuckets * (kOctaves + 1);

    static int bucket_of(double value) noexcept;
    static double value_of(int bucket) noexcept;

    std::array<std::uint32_t, kBucketCount> buckets_{};
    std::uint64_t count_ = 0;
    double sum_ = 0.0;
    double min_ = std::numeric_limits<double>::max();
    double max_ = 0.0;
};

// Counts events and bytes into whole-second windows driven by the caller's
// clock: add() as things happen, roll(now_s) once the second is over.
class RateMeter {
public:
    void add(double amount) noexcept { current_ += amount; }
    // Closes the current window and returns its total.
    double roll() noexcept {
        last_ = current_;
        current_ = 0.0;
        return last_;
    }
    double last() const noexcept { return last_; }
    double current() const noexcept { return current_; }

private:
    double current_ = 0.0;
    double last_ = 0.0;
};

} // namespace skirmish::util
