// server/lobby/rate_limiter.hpp
//
// A token bucket: `burst` actions at once, refilled at `per_second`. Time is
// passed in, so tests drive it with a ManualClock's values.
#pragma once

#include "shared/util/clock.hpp"

#include <algorithm>

namespace skirmish::server {

class TokenBucket {
public:
    TokenBucket(double burst, double per_second, util::TimePoint now)
        : burst_(burst), per_second_(per_second), tokens_(burst), last_(now) {}

    // Takes one token if there is one. Returns false (and takes nothing) if not.
    bool take(util::TimePoint now) {
        if (now > last_) {
            tokens_ = std::min(burst_, tokens_ + per_second_ * util::to_seconds(now - last_));
            last_ = now;
        }
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

private:
    double burst_;
    double per_second_;
    double tokens_;
    util::TimePoint last_;
};

} // namespace skirmish::server
