// shared/protocol/input_codec.hpp
//
// Input packets: client → server, channel 0 (unreliable-sequenced), one per
// client tick (or per --input-rate period). A lean frame, not a FlatBuffer:
// docs/PROTOCOL.md, "Inputs", has every bit.
//
//   kind u8 = FrameKind.InputPacket ('I', schemas/game.fbs), then a bit stream:
//     count u5                       0..16 inputs, newest first (0: only the ack, as a spectator sends)
//     count 0: ack_snapshot_tick u32
//     else:    tick u32 (newest), golomb4 zigzag(tick - ack_snapshot_tick),
//              the newest input in full, each older one as a tick gap and the
//              fields that differ from the input before it
//
// Every packet repeats the inputs the server has not yet acknowledged, so a
// lost datagram costs nothing as long as one of the next few arrives; the
// repeats cost a few bits each, since consecutive inputs mostly agree.
//
// IMPORTANT: decode_input_packet() reads untrusted bytes; it range-checks
// every field and never throws.
#pragma once

#include "shared/protocol/decode_error.hpp"
#include "shared/sim/input.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace skirmish::protocol {

inline constexpr std::size_t kMaxInputsPerPacket = 16;
inline constexpr std::size_t kMaxInputPacketBytes = 512;
// Exp-Golomb orders of the frame's numbers (docs/PROTOCOL.md, "Inputs").
inline constexpr int kInputAckGolombK = 4;        // newest tick - acknowledged snapshot tick
inline constexpr int kInputViewGolombK = 10;      // newest input's view offset, 1/256 tick (about 6 ticks on loopback)
inline constexpr int kInputGapGolombK = 0;        // ticks skipped between an input and the next older
inline constexpr int kInputViewChangeGolombK = 4; // change of the view offset from the newer input, 1/256 tick
inline constexpr int kInputAimGolombK = 3;        // aim change from the newer input, -2048..2047

struct TickInput {
    sim::Tick tick = 0;
    sim::PlayerInput input; // input.player is not sent: the server knows who sent it

    friend bool operator==(const TickInput&, const TickInput&) = default;
};

struct InputPacket {
    sim::Tick ack_snapshot_tick = 0; // 0: no snapshot received yet
    std::vector<TickInput> inputs;   // newest first

    friend bool operator==(const InputPacket&, const InputPacket&) = default;
};

// Encodes at most kMaxInputsPerPacket inputs (the newest).
std::vector<std::uint8_t> encode_input_packet(const InputPacket& packet);
util::Result<InputPacket, DecodeError> decode_input_packet(std::span<const std::uint8_t> bytes);

} // namespace skirmish::protocol
