// tests/fuzz/input_packet_fuzz.cpp: a channel-0 datagram as the game server
// reads it (decode_input_packet), its documented invariants, and the round trip.
#include "fuzz_support.hpp"

#include "shared/protocol/input_codec.hpp"

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::Bytes bytes(data, size);
    auto packet = protocol::decode_input_packet(bytes);
    if (!packet) return 0;
    // 0 inputs: an acknowledgement alone (a spectator's); never more than the cap.
    SKIRMISH_FUZZ_CHECK(packet->inputs.size() <= protocol::kMaxInputsPerPacket);
    for (std::size_t i = 1; i < packet->inputs.size(); ++i)
        SKIRMISH_FUZZ_CHECK(packet->inputs[i].tick < packet->inputs[i - 1].tick); // newest first
    SKIRMISH_FUZZ_CHECK(fuzz::check_round_trip(bytes, protocol::decode_input_packet, protocol::encode_input_packet));
    return 0;
}
