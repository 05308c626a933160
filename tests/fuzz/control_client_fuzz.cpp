// tests/fuzz/control_client_fuzz.cpp: a channel-1 packet as the game server
// reads it (decode_client_control: Connect, Leave), and the round trip.
#include "fuzz_support.hpp"

#include "shared/protocol/control_codec.hpp"

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto decode = [](fuzz::Bytes b) { return protocol::decode_client_control(b); };
    const auto encode = [](const protocol::ClientControl& m) { return protocol::encode_control(m); };
    if (!fuzz::check_round_trip(fuzz::Bytes(data, size), decode, encode)) {
        SKIRMISH_FUZZ_CHECK(!protocol::name(decode(fuzz::Bytes(data, size)).error()).empty());
    }
    return 0;
}
