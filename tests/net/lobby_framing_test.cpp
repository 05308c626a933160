// Lobby framing: length-prefixed frames cut out of a byte stream however it
// arrives, and bad length prefixes refused before any body is buffered.
#include "shared/net/lobby_framing.hpp"

#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

using skirmish::net::append_frame;
using skirmish::net::FrameDecoder;
using skirmish::net::FrameError;
using skirmish::net::kMaxLobbyFrameBytes;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes frame_of(const Bytes& payload) {
    Bytes out;
    EXPECT_TRUE(append_frame(out, payload).has_value());
    return out;
}

// Drains every complete frame; fails the test on an error.
std::vector<Bytes> drain(FrameDecoder& decoder) {
    std::vector<Bytes> frames;
    for (int guard = 0; guard < 10'000; ++guard) {
        auto next = decoder.next();
        if (!next) {
            ADD_FAILURE() << "unexpected frame error: " << skirmish::net::name(next.error());
            break;
        }
        if (!next.value()) break;
        frames.emplace_back(next.value()->begin(), next.value()->end());
    }
    return frames;
}

} // namespace

TEST(LobbyFraming, HeaderIsLittleEndianPayloadLength) {
    const Bytes frame = frame_of({0xAA, 0xBB, 0xCC});
    EXPECT_EQ(frame, (Bytes{3, 0, 0, 0, 0xAA, 0xBB, 0xCC}));
    Bytes big(0x1234, 7);
    const Bytes framed = frame_of(big);
    EXPECT_EQ(framed[0], 0x34);
    EXPECT_EQ(framed[1], 0x12);
    EXPECT_EQ(framed[2], 0);
    EXPECT_EQ(framed[3], 0);
}

TEST(LobbyFraming, RefusesToWriteEmptyOrOversizedPayloads) {
    Bytes out;
    EXPECT_EQ(append_frame(out, Bytes{}).error(), FrameError::ZeroLength);
    EXPECT_EQ(append_frame(out, Bytes(kMaxLobbyFrameBytes + 1)).error(), FrameError::TooLong);
    EXPECT_TRUE(out.empty());
    EXPECT_TRUE(append_frame(out, Bytes(kMaxLobbyFrameBytes)).has_value());
}

TEST(LobbyFraming, DecodesFramesSplitAtEveryByte) {
    Bytes stream;
    const std::vector<Bytes> payloads = {{1}, {2, 3}, Bytes(300, 9), {4, 5, 6, 7}};
    for (const auto& p : payloads) append_frame(stream, p).value();
    for (std::size_t chunk = 1; chunk <= stream.size(); chunk += (chunk < 16 ? 1 : 97)) {
        FrameDecoder decoder;
        std::vector<Bytes> got;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            const std::size_t n = std::min(chunk, stream.size() - i);
            decoder.feed(std::span(stream).subspan(i, n));
            for (auto& f : drain(decoder)) got.push_back(std::move(f));
        }
        EXPECT_EQ(got, payloads) << "chunk size " << chunk;
        EXPECT_FALSE(decoder.mid_frame());
    }
}

TEST(LobbyFraming, ReportsATruncatedFrameAsMidFrame) {
    Bytes stream = frame_of({1, 2, 3, 4});
    stream.pop_back();
    FrameDecoder decoder;
    decoder.feed(stream);
    EXPECT_TRUE(drain(decoder).empty());
    EXPECT_TRUE(decoder.mid_frame());
}

TEST(LobbyFraming, RefusesAnOversizedLengthBeforeTheBodyArrives) {
    FrameDecoder decoder;
    const Bytes header = {0x01, 0x00, 0x01, 0x00}; // 65537
    decoder.feed(header);
    auto next = decoder.next();
    ASSERT_FALSE(next.has_value());
    EXPECT_EQ(next.error(), FrameError::TooLong);
    EXPECT_TRUE(decoder.failed());
    // Sticky: more bytes do not resynchronise the stream.
    decoder.feed(frame_of({1}));
    EXPECT_FALSE(decoder.next().has_value());
}

TEST(LobbyFraming, RefusesAHugeLengthPrefix) {
    FrameDecoder decoder;
    decoder.feed(Bytes{0xFF, 0xFF, 0xFF, 0xFF});
    EXPECT_EQ(decoder.next().error(), FrameError::TooLong);
}

TEST(LobbyFraming, RefusesAZeroLength) {
    FrameDecoder decoder;
    decoder.feed(Bytes{0, 0, 0, 0, 1, 2});
    EXPECT_EQ(decoder.next().error(), FrameError::ZeroLength);
}

TEST(LobbyFraming, HonoursASmallerCap) {
    FrameDecoder decoder(16);
    decoder.feed(frame_of(Bytes(16, 1)));
    EXPECT_EQ(drain(decoder).size(), 1u);
    decoder.feed(frame_of(Bytes(17, 1)));
    EXPECT_EQ(decoder.next().error(), FrameError::TooLong);
}

TEST(LobbyFraming, RandomBytesNeverCrashAndBufferStaysBounded) {
    skirmish::util::Rng rng(42);
    for (int round = 0; round < 200; ++round) {
        FrameDecoder decoder(1024);
        for (int i = 0; i < 20 && !decoder.failed(); ++i) {
            Bytes chunk(rng.below(300));
            for (auto& b : chunk) b = static_cast<std::uint8_t>(rng.next_u32());
            decoder.feed(chunk);
            for (int guard = 0; guard < 1000; ++guard) {
                auto next = decoder.next();
                if (!next || !next.value()) break;
                EXPECT_LE(next.value()->size(), 1024u);
            }
            EXPECT_LE(decoder.buffered_bytes(), 1024u + 4u + 300u);
        }
    }
}
