#include "shared/protocol/input_codec.hpp"

#include <gtest/gtest.h>

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

TEST(InputCodec, RejectsOutOfRangeFields) {
    InputPacket p = sample(2);
    p.inputs[0].input.aim = 4096;
    EXPECT_EQ(decode_input_packet(encode_input_packet(p)).error(), DecodeError::BadField);
    p = sample(2);
    p.inputs[1].input.buttons = 0x80;
    EXPECT_EQ(decode_input_packet(encode_input_packet(p)).error(), DecodeError::BadField);
    p = sample(2);
    p.inputs[0].input.move_x = -128;
    EXPECT_EQ(decode_input_packet(encode_input_packet(p)).error(), DecodeError::BadField);
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
