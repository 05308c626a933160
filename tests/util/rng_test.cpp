#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

using skirmish::util::Rng;

TEST(Rng, SameSeedSameSequence) {
    Rng a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a.next_u32();
        EXPECT_EQ(x, b.next_u32());
        differs |= x != c.next_u32();
    }
    EXPECT_TRUE(differs);
}

TEST(Rng, UniformStaysInRangeAndIsRoughlyFlat) {
    Rng rng(7);
    int buckets[10] = {};
    for (int i = 0; i < 100000; ++i) {
        const double u = rng.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ++buckets[static_cast<int>(u * 10)];
    }
    for (int b : buckets) EXPECT_NEAR(b, 10000, 500);
}

TEST(Rng, BelowIsUnbiasedAndBounded) {
    Rng rng(9);
    int counts[3] = {};
    for (int i = 0; i < 30000; ++i) {
        const auto v = rng.below(3);
        ASSERT_LT(v, 3u);
        ++counts[v];
    }
    for (int c : counts) EXPECT_NEAR(c, 10000, 400);
    EXPECT_EQ(rng.below(0), 0u);
}
