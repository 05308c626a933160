// shared/protocol/input_codec.hpp
//
// Input packets: client → server, channel 0 (unreliable-sequenced), one per
// client tick. docs/PROTOCOL.md, "Inputs".
//
//   InputPacket (FlatBuffer root, identifier "SKGI") {
//     ack_snapshot_tick:uint;      newest snapshot received (the delta baseline ack)
//     inputs:[Input];              newest first, strictly decreasing ticks, 0..16
//                                  (none: the packet only acknowledges, as a spectator's does)
//   }
//   struct Input { tick, view_tick:uint; aim:ushort; move_x, move_y:byte; buttons, view_fraction:ubyte }
//
// Every packet repeats the inputs the server has not yet acknowledged, so a
// lost datagram costs nothing as long as one of the next few arrives.
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
// FlatBuffers verifier bounds (docs/PROTOCOL.md, "Rejection rules").
inline constexpr unsigned kInputVerifierMaxDepth = 8;
inline constexpr unsigned kInputVerifierMaxTables = 16;

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
