// tests/util/ring_buffer_test.cpp: util::SequenceRing, the one tick-keyed ring.
#include "shared/util/ring_buffer.hpp"

#include <gtest/gtest.h>

#include <vector>

using skirmish::util::SequenceRing;

TEST(SequenceRing, FindsWhatWasPut) {
    SequenceRing<int> ring(4);
    ring.put(10, 100);
    ring.put(11, 110);
    ASSERT_NE(ring.find(10), nullptr);
    EXPECT_EQ(*ring.find(10), 100);
    EXPECT_EQ(*ring.find(11), 110);
    EXPECT_EQ(ring.find(12), nullptr);
    EXPECT_TRUE(ring.contains(11));
    EXPECT_FALSE(ring.contains(12));
}

TEST(SequenceRing, CapacityIsChosenAtRunTime) {
    for (std::size_t capacity : {1u, 3u, 64u, 129u}) {
        SequenceRing<int> ring(capacity);
        EXPECT_EQ(ring.capacity(), capacity);
        for (std::uint32_t seq = 1; seq <= 300; ++seq) ring.put(seq, static_cast<int>(seq));
        // The newest `capacity` sequences are held, nothing older.
        for (std::uint32_t seq = 1; seq <= 300; ++seq)
            EXPECT_EQ(ring.contains(seq), seq > 300 - capacity) << "capacity " << capacity << ", seq " << seq;
    }
}

TEST(SequenceRing, ForgetsOverwrittenSequences) {
    SequenceRing<int> ring(4);
    ring.put(1, 1);
    ring.put(5, 5); // same slot as 1
    EXPECT_EQ(ring.find(1), nullptr);
    EXPECT_EQ(*ring.find(5), 5);
}

TEST(SequenceRing, SequenceZeroIsAnOrdinaryKey) {
    SequenceRing<int> ring(4);
    EXPECT_FALSE(ring.contains(0)); // a fresh ring holds nothing, not "0 → T{}"
    ring.put(0, 7);
    EXPECT_EQ(*ring.find(0), 7);
}

TEST(SequenceRing, EraseAndClear) {
    SequenceRing<int> ring(4);
    ring.put(2, 2);
    ring.erase(6); // different sequence in the same slot: no effect
    EXPECT_NE(ring.find(2), nullptr);
    ring.erase(2);
    EXPECT_EQ(ring.find(2), nullptr);
    ring.put(3, 3);
    ring.clear();
    EXPECT_EQ(ring.find(3), nullptr);
}

TEST(SequenceRing, ClaimReusesTheSlotsStorage) {
    SequenceRing<std::vector<int>> ring(2);
    ring.put(1, std::vector<int>(100, 1));
    const int* storage = ring.find(1)->data();
    std::vector<int>& reused = ring.claim(3); // same slot as 1: its vector comes back
    EXPECT_EQ(ring.find(1), nullptr);
    EXPECT_EQ(&reused, ring.find(3));
    reused.clear();
    reused.push_back(3);
    EXPECT_EQ(reused.data(), storage); // no new allocation
    EXPECT_EQ(*ring.find(3), std::vector<int>{3});
}

TEST(SequenceRing, ConstLookups) {
    SequenceRing<int> ring(8);
    ring.put(42, 4);
    const SequenceRing<int>& view = ring;
    ASSERT_NE(view.find(42), nullptr);
    EXPECT_EQ(*view.find(42), 4);
    EXPECT_EQ(view.find(34), nullptr); // same slot, another sequence
}
