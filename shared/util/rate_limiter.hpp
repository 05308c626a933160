// shared/util/rate_limiter.hpp
//
// The one rate limiter: a token bucket. `burst` actions at once, then
// `per_second` on average; what it refuses it counts, so a log line that gets
// through can say how many were suppressed before it. Used for lobby messages
// and chat, for the game port's kick of a peer sending bad packets, and for
// rate-limited log lines (per peer, per relay).
//
// IMPORTANT: time is passed in (util::TimePoint), never read here, so tests
// drive it with a ManualClock's values. Not thread-safe: one owner.
#pragma once

#include "shared/util/clock.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

namespace skirmish::util {

class RateLimiter {
public:
    // Starts full, at the first allow() or at `start`. Both rates must be positive.
    RateLimiter(double burst, double per_second) : burst_(burst), per_second_(per_second), tokens_(burst) {}
    RateLimiter(double burst, double per_second, TimePoint start) : RateLimiter(burst, per_second) { last_ = start; }

    // Takes one token if there is one: true. Otherwise false, takes nothing,
    // and counts the refusal.
    bool allow(TimePoint now) {
        if (!last_) last_ = now;
        if (now > *last_) {
            tokens_ = std::min(burst_, tokens_ + per_second_ * to_seconds(now - *last_));
            last_ = now;
        }
        if (tokens_ < 1.0) {
            ++refused_;
            return false;
        }
        tokens_ -= 1.0;
        return true;
    }

    // Returns the token of an allow() whose action did not happen after all
    // (another limit refused it), so that refusal costs this bucket nothing.
    void give_back() noexcept { tokens_ = std::min(burst_, tokens_ + 1.0); }

    // Whether the bucket is full again by `now`: forgetting it then changes nothing.
    bool refilled(TimePoint now) const noexcept {
        return !last_ || tokens_ + per_second_ * std::max(0.0, to_seconds(now - *last_)) >= burst_;
    }

    // How many allow() calls were refused since the last take_refused(); resets
    // the count. Call it after an allowed log line to say what was suppressed.
    std::uint64_t take_refused() noexcept { return std::exchange(refused_, 0); }

private:
    double burst_;
    double per_second_;
    double tokens_;
    std::optional<TimePoint> last_; // the first allow() starts the clock
    std::uint64_t refused_ = 0;
};

} // namespace skirmish::util
