// shared/util/stats.cpp
#include "shared/util/stats.hpp"

#include <algorithm>
#include <cmath>

namespace skirmish::util {

int Histogram::bucket_of(double value) noexcept {
    if (!(value > 0.0)) return 0;
    const double scaled = value * kScale;
    if (scaled < kSubBuckets) return static_cast<int>(scaled);
    int exponent = 0;
    const double mantissa = std::frexp(scaled, &exponent); // scaled = mantissa * 2^exponent, mantissa in [0.5, 1)
    // exponent >= 7 here because scaled >= 64.
    const int octave = exponent - 6;                        // 1 for [64, 128)
    const int sub = static_cast<int>((mantissa * 2.0 - 1.0) * kSubBuckets);
    const int bucket = octave * kSubBuckets + std::clamp(sub, 0, kSubBuckets - 1);
    return std::min(bucket, kBucketCount - 1);
}

double Histogram::value_of(int bucket) noexcept {
    if (bucket < kSubBuckets) return (bucket + 0.5) / kScale;
    const int octave = bucket / kSubBuckets;
    const int sub = bucket % kSubBuckets;
    const double base = std::ldexp(1.0, octave + 5); // 64 for octave 1
    return (base + (sub + 0.5) * base / kSubBuckets) / kScale;
}

void Histogram::record(double value) noexcept {
    if (!(value >= 0.0)) value = 0.0; // negative and NaN are clamped, never trusted
    ++buckets_[static_cast<std::size_t>(bucket_of(value))];
    ++count_;
    sum_ += value;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& other) noexcept {
    for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

double Histogram::percentile(double p) const noexcept {
    if (count_ == 0) return 0.0;
    p = std::clamp(p, 0.0, 100.0);
    if (p >= 100.0) return max_;
    if (p <= 0.0) return min_;
    const auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_)));
    std::uint64_t seen = 0;
    for (int i = 0; i < kBucketCount; ++i) {
        seen += buckets_[static_cast<std::size_t>(i)];
        if (seen >= rank) return std::clamp(value_of(i), min_, max_);
    }
    return max_;
}

} // namespace skirmish::util
