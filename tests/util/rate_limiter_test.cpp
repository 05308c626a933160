// tests/util/rate_limiter_test.cpp: util::RateLimiter, the one token bucket
// (lobby messages and chat, the game port's bad-packet kick, rate-limited logs).
#include "shared/util/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <chrono>

using skirmish::util::RateLimiter;
using skirmish::util::TimePoint;
using namespace std::chrono_literals;

namespace {
const TimePoint kStart = TimePoint{} + 1000s;
}

TEST(RateLimiter, AllowsABurstThenRefuses) {
    RateLimiter limit(3, 1);
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_FALSE(limit.allow(kStart));
    EXPECT_FALSE(limit.allow(kStart + 999ms));
}

TEST(RateLimiter, RefillsAtTheRate) {
    RateLimiter limit(2, 4); // one token every 250 ms
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_FALSE(limit.allow(kStart + 200ms));
    EXPECT_TRUE(limit.allow(kStart + 250ms));
    EXPECT_FALSE(limit.allow(kStart + 250ms));
    // A long pause refills up to the burst, never beyond.
    EXPECT_TRUE(limit.allow(kStart + 60s));
    EXPECT_TRUE(limit.allow(kStart + 60s));
    EXPECT_FALSE(limit.allow(kStart + 60s));
}

TEST(RateLimiter, SustainedRateIsTheRefillRate) {
    RateLimiter limit(10, 100);
    int allowed = 0;
    for (int ms = 0; ms < 10'000; ++ms) allowed += limit.allow(kStart + std::chrono::milliseconds(ms)) ? 1 : 0;
    // 10 at once, then 100 per second for the 10 s that follow (give or take one).
    EXPECT_GE(allowed, 1008);
    EXPECT_LE(allowed, 1010);
}

TEST(RateLimiter, StartsFullAtAGivenTime) {
    RateLimiter limit(1, 1, kStart);
    EXPECT_TRUE(limit.allow(kStart + 5s));
    EXPECT_FALSE(limit.allow(kStart + 5s));
}

TEST(RateLimiter, TimeGoingBackwardsGrantsNothing) {
    RateLimiter limit(1, 1);
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_FALSE(limit.allow(kStart - 10s));
    EXPECT_FALSE(limit.allow(kStart + 500ms));
    EXPECT_TRUE(limit.allow(kStart + 1s));
}

TEST(RateLimiter, CountsWhatItRefusedForTheNextLogLine) {
    RateLimiter limit(1, 1);
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_EQ(limit.take_refused(), 0u);
    for (int i = 0; i < 7; ++i) EXPECT_FALSE(limit.allow(kStart + 100ms));
    EXPECT_TRUE(limit.allow(kStart + 1s));
    EXPECT_EQ(limit.take_refused(), 7u);
    EXPECT_EQ(limit.take_refused(), 0u); // taken: the count starts again
}

TEST(RateLimiter, AGivenBackTokenIsThereAgainAndAFullBucketSaysSo) {
    RateLimiter limit(2, 1, kStart);
    EXPECT_TRUE(limit.refilled(kStart));
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_FALSE(limit.refilled(kStart));
    EXPECT_TRUE(limit.allow(kStart));
    limit.give_back(); // that action did not happen after all
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_FALSE(limit.allow(kStart));
    limit.give_back();
    limit.give_back();
    limit.give_back();
    EXPECT_TRUE(limit.refilled(kStart)) << "never above the burst";
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_TRUE(limit.allow(kStart));
    EXPECT_FALSE(limit.allow(kStart));
    EXPECT_FALSE(limit.refilled(kStart + 1s));
    EXPECT_TRUE(limit.refilled(kStart + 2s));
}
