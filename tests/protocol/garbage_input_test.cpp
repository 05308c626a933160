// Every decoder of the game port survives garbage: truncated, oversized,
// wrong identifier, random bytes, bit flips. Nothing crashes (ASan/UBSan
// watch), everything is rejected or decodes to in-range values.
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace skirmish::protocol;

namespace {

std::vector<std::vector<std::uint8_t>> valid_messages() {
    std::vector<std::vector<std::uint8_t>> out;
    InputPacket in;
    in.ack_snapshot_tick = 10;
    in.inputs.push_back({12, {}});
    in.inputs.push_back({11, {}});
    out.push_back(encode_input_packet(in));
    SnapshotState s;
    s.tick = 50;
    for (std::uint32_t id = 1; id <= 8; ++id) {
        sim::Player p;
        p.id = sim::PlayerId{id};
        p.position = {100.0f * static_cast<float>(id), 200};
        p.velocity = {280, 0};
        p.health = 100;
        p.alive = true;
        s.players.push_back(p);
    }
    out.push_back(encode_snapshot({50, 0, 48, 1}, s, nullptr, 60));
    out.push_back(encode_control(ClientControl{ConnectRequest{1, std::vector<std::uint8_t>(64, 7)}}));
    out.push_back(encode_control(ServerControl{KillFeed{1, 2, 3}}));
    out.push_back(encode_control(ServerControl{Rejected{RejectReason::BadToken, "bad"}}));
    return out;
}

// Runs every decoder on the bytes; they may accept or reject, never crash.
void feed_all(std::span<const std::uint8_t> bytes) {
    (void)decode_input_packet(bytes);
    (void)decode_snapshot(bytes, [](sim::Tick) { return nullptr; }, 60);
    (void)peek_snapshot_header(bytes);
    (void)decode_client_control(bytes);
    (void)decode_server_control(bytes, 14.0f);
}

} // namespace

TEST(GarbageInput, TruncatedMessagesAreRejectedOrLostOnlyPadding) {
    // FlatBuffers are built back to front and may end in alignment padding:
    // cutting only padding leaves the same message, anything more is rejected.
    for (const auto& message : valid_messages()) {
        const auto full_input = decode_input_packet(message);
        const auto full_control = decode_client_control(message);
        for (std::size_t n = 0; n < message.size(); ++n) {
            const std::span<const std::uint8_t> prefix(message.data(), n);
            feed_all(prefix);
            if (auto in = decode_input_packet(prefix)) {
                EXPECT_EQ(*in, *full_input) << n;
            }
            if (auto c = decode_client_control(prefix)) {
                EXPECT_EQ(*c, *full_control) << n;
            }
        }
        EXPECT_FALSE(decode_input_packet(std::span(message.data(), message.size() / 2)).has_value());
        EXPECT_FALSE(decode_client_control(std::span(message.data(), message.size() / 2)).has_value());
    }
}

TEST(GarbageInput, OversizedMessagesAreRejectedBeforeParsing) {
    const std::vector<std::uint8_t> huge(kMaxControlBytes + 1, 0);
    EXPECT_EQ(decode_client_control(huge).error(), DecodeError::TooLong);
    EXPECT_EQ(decode_input_packet(huge).error(), DecodeError::TooLong);
    EXPECT_FALSE(decode_snapshot(huge, nullptr, 60).has_value());
}

TEST(GarbageInput, AWrongFileIdentifierOrFrameKindIsRejected) {
    const auto messages = valid_messages();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        auto message = messages[i];
        // The first two are lean frames (kind byte first), the rest FlatBuffers (identifier at 4).
        message[i < 2 ? 0 : 4] ^= 0x20;
        EXPECT_FALSE(decode_input_packet(message).has_value()) << i;
        EXPECT_FALSE(decode_client_control(message).has_value()) << i;
        EXPECT_FALSE(decode_server_control(message, 14.0f).has_value()) << i;
        EXPECT_FALSE(decode_snapshot(message, nullptr, 60).has_value()) << i;
    }
}

TEST(GarbageInput, RandomBytesNeverCrash) {
    util::Rng rng(99);
    for (int i = 0; i < 20000; ++i) {
        std::vector<std::uint8_t> bytes(rng.below(200));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.next_u32());
        // Get past the envelope's identifier or a frame's kind byte.
        if (bytes.size() >= 8 && rng.chance(0.3)) std::copy_n("SKGM", 4, bytes.begin() + 4);
        else if (!bytes.empty() && rng.chance(0.5)) bytes[0] = rng.chance(0.5) ? 'I' : 'S';
        feed_all(bytes);
    }
}

TEST(GarbageInput, BitFlipsInValidMessagesNeverCrash) {
    util::Rng rng(100);
    for (const auto& message : valid_messages()) {
        for (int i = 0; i < 3000; ++i) {
            auto bytes = message;
            const int flips = 1 + static_cast<int>(rng.below(4));
            for (int f = 0; f < flips; ++f) bytes[rng.below(static_cast<std::uint32_t>(bytes.size()))] ^= static_cast<std::uint8_t>(1u << rng.below(8));
            feed_all(bytes);
            if (auto s = decode_snapshot(bytes, nullptr, 60)) {
                for (const auto& p : s->state.players) {
                    ASSERT_LT(p.aim, sim::kAimSteps);
                    ASSERT_TRUE(std::isfinite(p.position.x) && std::isfinite(p.position.y));
                }
            }
        }
    }
}
