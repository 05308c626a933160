#include "shared/protocol/bitstream.hpp"
#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

using namespace skirmish::protocol;

TEST(BitStream, RoundTripsBitsAndGolombCodes) {
    std::vector<std::uint8_t> bytes;
    BitWriter w(bytes);
    skirmish::util::Rng rng(5);
    std::vector<std::pair<std::int64_t, int>> written;
    for (int i = 0; i < 2000; ++i) {
        const int k = static_cast<int>(rng.below(8));
        const std::int64_t v = static_cast<std::int64_t>(rng.below(1u << rng.below(24))) - (1 << 10);
        w.write_signed_golomb(v, k);
        w.write_bits(static_cast<std::uint64_t>(i & 7), 3);
        written.emplace_back(v, k);
    }
    w.finish();
    BitReader r(bytes);
    for (std::size_t i = 0; i < written.size(); ++i) {
        ASSERT_EQ(r.read_signed_golomb(written[i].second), written[i].first) << i;
        ASSERT_EQ(r.read_bits(3), i & 7);
    }
    EXPECT_FALSE(r.failed());
    EXPECT_TRUE(r.at_end());
}

TEST(BitStream, SmallValuesAreShort) {
    std::vector<std::uint8_t> bytes;
    BitWriter w(bytes);
    w.write_golomb(0, 0);
    EXPECT_EQ(w.bit_count(), 1u);
    w.write_golomb(0, 3);
    EXPECT_EQ(w.bit_count(), 5u);
}

TEST(BitStream, ReadingPastTheEndFailsInsteadOfReadingOutOfBounds) {
    const std::vector<std::uint8_t> bytes = {0xff};
    BitReader r(bytes);
    EXPECT_EQ(r.read_bits(8), 0xffu);
    EXPECT_EQ(r.read_bits(1), 0u);
    EXPECT_TRUE(r.failed());
}

TEST(BitStream, AnEndlessGolombPrefixFails) {
    const std::vector<std::uint8_t> zeros(16, 0);
    BitReader r(zeros);
    EXPECT_EQ(r.read_golomb(0), 0u);
    EXPECT_TRUE(r.failed());
}

TEST(Varint, RoundTripsAndRejectsTruncation) {
    std::vector<std::uint8_t> bytes;
    for (std::uint64_t v : {0ULL, 127ULL, 128ULL, 300ULL, 0xffffffffULL, ~0ULL}) write_varint(bytes, v);
    std::size_t at = 0;
    std::uint64_t v = 0;
    for (std::uint64_t want : {0ULL, 127ULL, 128ULL, 300ULL, 0xffffffffULL, ~0ULL}) {
        ASSERT_TRUE(read_varint(bytes, at, v));
        EXPECT_EQ(v, want);
    }
    EXPECT_FALSE(read_varint(bytes, at, v));
    const std::vector<std::uint8_t> endless(12, 0x80);
    at = 0;
    EXPECT_FALSE(read_varint(endless, at, v));
}
