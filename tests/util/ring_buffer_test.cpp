#include "shared/util/ring_buffer.hpp"

#include <gtest/gtest.h>

using skirmish::util::SequenceRing;

TEST(SequenceRing, FindsWhatWasPut) {
    SequenceRing<int, 4> ring;
    ring.put(10, 100);
    ring.put(11, 110);
    ASSERT_NE(ring.find(10), nullptr);
    EXPECT_EQ(*ring.find(10), 100);
    EXPECT_EQ(*ring.find(11), 110);
    EXPECT_EQ(ring.find(12), nullptr);
}

TEST(SequenceRing, ForgetsOverwrittenSequences) {
    SequenceRing<int, 4> ring;
    ring.put(1, 1);
    ring.put(5, 5); // same slot as 1
    EXPECT_EQ(ring.find(1), nullptr);
    EXPECT_EQ(*ring.find(5), 5);
}

TEST(SequenceRing, EraseAndClear) {
    SequenceRing<int, 4> ring;
    ring.put(2, 2);
    ring.erase(6); // different sequence in the same slot: no effect
    EXPECT_NE(ring.find(2), nullptr);
    ring.erase(2);
    EXPECT_EQ(ring.find(2), nullptr);
    ring.put(3, 3);
    ring.clear();
    EXPECT_EQ(ring.find(3), nullptr);
}
