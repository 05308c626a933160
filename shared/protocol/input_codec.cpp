// shared/protocol/input_codec.cpp
#include "shared/protocol/input_codec.hpp"

#include "shared/sim/quantise.hpp"

#include "shared/protocol/detail/identifiers.hpp"

#include "schemas/game_generated.h"

#include <algorithm>

namespace skirmish::protocol {

std::vector<std::uint8_t> encode_input_packet(const InputPacket& packet) {
    const std::size_t count = std::min(packet.inputs.size(), kMaxInputsPerPacket);
    flatbuffers::FlatBufferBuilder fbb(64 + count * sizeof(Skirmish::Game::Input));
    std::vector<Skirmish::Game::Input> inputs;
    inputs.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const TickInput& t = packet.inputs[i];
        inputs.emplace_back(t.tick, t.input.view_tick, t.input.aim, t.input.move_x, t.input.move_y, t.input.buttons,
                            t.input.view_fraction);
    }
    fbb.Finish(Skirmish::Game::CreateInputPacketDirect(fbb, packet.ack_snapshot_tick, &inputs),
               detail::kInputPacketIdentifier);
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

util::Result<InputPacket, DecodeError> decode_input_packet(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 12) return util::fail(DecodeError::TooShort);
    if (bytes.size() > kMaxInputPacketBytes) return util::fail(DecodeError::TooLong);
    flatbuffers::Verifier verifier(bytes.data(), bytes.size(), kInputVerifierMaxDepth, kInputVerifierMaxTables);
    if (!verifier.VerifyBuffer<Skirmish::Game::InputPacket>(detail::kInputPacketIdentifier))
        return util::fail(DecodeError::NotVerified);
    const auto* fb = flatbuffers::GetRoot<Skirmish::Game::InputPacket>(bytes.data());
    InputPacket packet;
    packet.ack_snapshot_tick = fb->ack_snapshot_tick();
    // No inputs is an acknowledgement alone: what a spectator sends.
    if (!fb->inputs() || fb->inputs()->size() == 0) return packet;
    if (fb->inputs()->size() > kMaxInputsPerPacket) return util::fail(DecodeError::TooLong);
    packet.inputs.reserve(fb->inputs()->size());
    for (const auto* in : *fb->inputs()) {
        if (in->aim() >= sim::kAimSteps || (in->buttons() & ~sim::buttons::kAll) != 0 || in->move_x() < -127 ||
            in->move_y() < -127)
            return util::fail(DecodeError::BadField);
        if (!packet.inputs.empty() && in->tick() >= packet.inputs.back().tick)
            return util::fail(DecodeError::BadField); // must be strictly decreasing
        TickInput t;
        t.tick = in->tick();
        t.input.aim = in->aim();
        t.input.move_x = in->move_x();
        t.input.move_y = in->move_y();
        t.input.buttons = in->buttons();
        t.input.view_tick = in->view_tick();
        t.input.view_fraction = in->view_fraction();
        packet.inputs.push_back(t);
    }
    return packet;
}

} // namespace skirmish::protocol
