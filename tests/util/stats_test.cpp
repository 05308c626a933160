#include "shared/util/stats.hpp"

#include <gtest/gtest.h>

using skirmish::util::Histogram;

TEST(Histogram, EmptyAnswersZero) {
    Histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.percentile(50), 0.0);
    EXPECT_EQ(h.max(), 0.0);
}

TEST(Histogram, PercentilesAreWithinTwoPercent) {
    Histogram h;
    for (int i = 1; i <= 10000; ++i) h.record(i * 0.01); // 0.01 .. 100
    EXPECT_NEAR(h.percentile(50), 50.0, 50.0 * 0.02);
    EXPECT_NEAR(h.percentile(99), 99.0, 99.0 * 0.02);
    EXPECT_DOUBLE_EQ(h.max(), 100.0);
    EXPECT_DOUBLE_EQ(h.min(), 0.01);
    EXPECT_NEAR(h.mean(), 50.005, 1e-6);
}

TEST(Histogram, MergeEqualsRecordingEverything) {
    Histogram a, b, all;
    for (int i = 0; i < 1000; ++i) {
        a.record(i);
        all.record(i);
        b.record(i * 3.5);
        all.record(i * 3.5);
    }
    a.merge(b);
    EXPECT_EQ(a.count(), all.count());
    for (double p : {1.0, 50.0, 90.0, 99.0, 100.0}) EXPECT_DOUBLE_EQ(a.percentile(p), all.percentile(p));
}

TEST(Histogram, ClampsNegativeAndNaN) {
    Histogram h;
    h.record(-5);
    h.record(std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(h.count(), 2u);
    EXPECT_EQ(h.max(), 0.0);
}

TEST(Histogram, HugeValuesLandInTheTopBucket) {
    Histogram h;
    h.record(1e12);
    EXPECT_EQ(h.percentile(50), 1e12); // clamped to max
}
