#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/bitstream.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace skirmish;
using namespace skirmish::protocol;

namespace {
InputPacket sample(int count) {
    InputPacket p;
    p.ack_snapshot_tick = 1234;
    for (int i = 0; i < count; ++i) {
        TickInput t;
        t.tick = static_cast<sim::Tick>(2000 - i);
        t.input.move_x = static_cast<std::int8_t>(-127 + i);
        t.input.move_y = 127;
        t.input.aim = static_cast<std::uint16_t>(4095 - i);
        t.input.buttons = sim::buttons::kFire | sim::buttons::kDash;
        t.input.view_tick = static_cast<sim::Tick>(1990 - i);
        t.input.view_fraction = static_cast<std::uint8_t>(i * 10);
        p.inputs.push_back(t);
    }
    return p;
}
} // namespace

TEST(InputCodec, RoundTrips) {
    const InputPacket p = sample(5);
    auto back = decode_input_packet(encode_input_packet(p));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, p);
}

TEST(InputCodec, SendsAtMostSixteenInputs) {
    auto back = decode_input_packet(encode_input_packet(sample(40)));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->inputs.size(), kMaxInputsPerPacket);
    EXPECT_EQ(back->inputs.front().tick, 2000u); // the newest
}

namespace {
// A frame written bit by bit, for what the encoder never writes.
struct Frame {
    std::vector<std::uint8_t> bytes{'I'};
    BitWriter w{bytes};
    Frame& bits(std::uint64_t v, int n) { w.write_bits(v, n); return *this; }
    Frame& golomb(std::int64_t v, int k) { w.write_signed_golomb(v, k); return *this; }
    Frame& ugolomb(std::uint64_t v, int k) { w.write_golomb(v, k); return *this; }
    // count, newest tick 100, ack 90, view 6 ticks back, aim, moves 0, no buttons
    Frame& newest(std::uint64_t count) {
        return bits(count, 5).bits(100, 32).golomb(10, kInputAckGolombK).golomb(6 * 256, kInputViewGolombK)
            .bits(7, 12).bits(0, 2).bits(0, 2).bits(0, 2);
    }
    std::vector<std::uint8_t> done() { w.finish(); return bytes; }
};
} // namespace

TEST(InputCodec, RejectsOutOfRangeFields) {
    EXPECT_TRUE(decode_input_packet(Frame{}.newest(1).done()).has_value());
    // A raw move axis of -128.
    EXPECT_EQ(decode_input_packet(Frame{}.bits(1, 5).bits(100, 32).golomb(10, kInputAckGolombK)
                                      .golomb(6 * 256, kInputViewGolombK).bits(7, 12).bits(3, 2).bits(0x80, 8)
                                      .bits(0, 2).bits(0, 2).done()).error(),
              DecodeError::BadField);
    // More than 16 inputs.
    EXPECT_EQ(decode_input_packet(Frame{}.newest(17).done()).error(), DecodeError::TooLong);
    // An acknowledgement further than 2^31 ticks away, a view further than 2^39 / 256.
    EXPECT_EQ(decode_input_packet(Frame{}.bits(1, 5).bits(100, 32).golomb(std::int64_t{1} << 31, kInputAckGolombK)
                                      .golomb(6 * 256, kInputViewGolombK).bits(0, 18).done()).error(),
              DecodeError::BadField);
    EXPECT_EQ(decode_input_packet(Frame{}.bits(1, 5).bits(100, 32).golomb(10, kInputAckGolombK)
                                      .golomb(std::int64_t{1} << 39, kInputViewGolombK).bits(0, 18).done()).error(),
              DecodeError::BadField);
    // An older input's aim step outside -2048..2047: not the same, view unchanged, aim changed.
    EXPECT_EQ(decode_input_packet(Frame{}.newest(2).ugolomb(0, kInputGapGolombK).bits(0, 1).bits(0, 1)
                                      .bits(1, 1).golomb(2048, kInputAimGolombK).bits(0, 2).done()).error(),
              DecodeError::BadField);
    // An older input's tick below 0.
    EXPECT_EQ(decode_input_packet(Frame{}.newest(2).ugolomb(100, kInputGapGolombK).bits(1, 1).done()).error(),
              DecodeError::BadField);
    // Bits after the last input, a wrong kind byte, nothing after the kind.
    auto trailing = Frame{}.newest(1).done();
    trailing.push_back(0x01);
    EXPECT_EQ(decode_input_packet(trailing).error(), DecodeError::TrailingBits);
    auto wrong_kind = Frame{}.newest(1).done();
    wrong_kind[0] = 'S';
    EXPECT_EQ(decode_input_packet(wrong_kind).error(), DecodeError::UnknownMessage);
    EXPECT_EQ(decode_input_packet(std::vector<std::uint8_t>{'I'}).error(), DecodeError::TooShort);
    EXPECT_EQ(decode_input_packet(Frame{}.newest(3).done()).error(), DecodeError::TooShort); // two inputs missing
}

// Any two ticks round-trip, however far apart: the tick differences are taken
// modulo 2^32 (a client that has no snapshot yet acknowledges tick 0).
TEST(InputCodec, RoundTripsTicksFarApartAndAroundTheWrap) {
    for (const sim::Tick newest : {sim::Tick{1}, sim::Tick{17}, sim::Tick{0x7fffffff}, sim::Tick{0xfffffff0u}}) {
        InputPacket p;
        p.ack_snapshot_tick = newest == 1 ? 0 : newest - 0x12345;
        for (sim::Tick i = 0; i < std::min<sim::Tick>(newest, 4); ++i) {
            TickInput t;
            t.tick = newest - i * 2;
            t.input.view_tick = i == 2 ? 0xffffffffu : t.tick + 3; // ahead of its tick: allowed on the wire
            t.input.aim = static_cast<std::uint16_t>(i == 1 ? 4095 : 1);
            t.input.move_x = static_cast<std::int8_t>(i == 3 ? -5 : 0);
            p.inputs.push_back(t);
        }
        auto back = decode_input_packet(encode_input_packet(p));
        ASSERT_TRUE(back.has_value()) << newest << ": " << name(back.error());
        EXPECT_EQ(*back, p) << newest;
    }
}

// Consecutive inputs mostly agree: a repeated input costs two bits, one that
// only turned a little a few more; the newest costs about ten bytes.
TEST(InputCodec, RepeatedInputsCostAFewBitsEach) {
    InputPacket p;
    p.ack_snapshot_tick = 988;
    for (sim::Tick tick = 1000; tick > 984; --tick) {
        TickInput t;
        t.tick = tick;
        t.input.move_x = 127;
        t.input.aim = static_cast<std::uint16_t>(tick % 2 == 0 ? 300 : 303);
        t.input.view_tick = tick - 8;
        t.input.view_fraction = 128;
        p.inputs.push_back(t);
    }
    const auto one = encode_input_packet({p.ack_snapshot_tick, {p.inputs[0]}});
    const auto two = encode_input_packet({p.ack_snapshot_tick, {p.inputs[0], p.inputs[1]}});
    const auto sixteen = encode_input_packet(p);
    EXPECT_LE(one.size(), 11u); // kind byte, 77 bits: count 5, tick 32, ack 7, view 15, aim 12, axes 4, buttons 2
    EXPECT_LE(two.size(), one.size() + 2);
    EXPECT_LE(sixteen.size(), one.size() + 15 * 12 / 8 + 1); // 12 bits each: gap, flags, aim step
    auto back = decode_input_packet(sixteen);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, p);
}

TEST(InputCodec, RejectsTicksOutOfOrderOrRepeated) {
    InputPacket p = sample(3);
    std::swap(p.inputs[0], p.inputs[2]);
    EXPECT_EQ(decode_input_packet(encode_input_packet(p)).error(), DecodeError::BadField);
    p = sample(2);
    p.inputs[1].tick = p.inputs[0].tick;
    EXPECT_EQ(decode_input_packet(encode_input_packet(p)).error(), DecodeError::BadField);
}

TEST(InputCodec, APacketWithoutInputsIsAnAcknowledgementAlone) {
    // What a spectator sends (docs/PROTOCOL.md, "Spectators").
    const auto back = decode_input_packet(encode_input_packet(InputPacket{1234, {}}));
    ASSERT_TRUE(back.has_value()) << name(back.error());
    EXPECT_EQ(back->ack_snapshot_tick, 1234u);
    EXPECT_TRUE(back->inputs.empty());
}
