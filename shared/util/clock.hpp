// shared/util/clock.hpp
//
// Where time comes from. Code below the app layer never reads the wall clock
// itself: it is handed a Clock& (the real steady clock in binaries, a manual
// clock in tests) or a time value, the way netcode passes `double time`.
//
// IMPORTANT: a Clock may be shared by threads only if its implementation says so;
// SteadyClock is thread-safe, ManualClock is not.
#pragma once

#include <chrono>
#include <thread>

namespace skirmish::util {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    virtual void sleep_until(TimePoint when) = 0;
};

class SteadyClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
    void sleep_until(TimePoint when) override { std::this_thread::sleep_until(when); }
};

// For tests: time moves only when advanced; sleep_until jumps there.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = TimePoint{}) : now_(start) {}
    TimePoint now() const override { return now_; }
    void sleep_until(TimePoint when) override {
        if (when > now_) now_ = when;
    }
    void advance(Duration by) { now_ += by; }

private:
    TimePoint now_;
};

inline double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
inline double to_seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

} // namespace skirmish::util
