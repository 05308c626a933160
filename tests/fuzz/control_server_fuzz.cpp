// tests/fuzz/control_server_fuzz.cpp: a channel-1 packet as a client reads it
// (decode_server_control: Accepted with its map, Rejected, events, results,
// stats), and the round trip.
#include "fuzz_support.hpp"

#include "shared/protocol/control_codec.hpp"
#include "shared/sim/rules.hpp"

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const float radius = sim::Rules{}.player_radius;
    const auto decode = [radius](fuzz::Bytes b) { return protocol::decode_server_control(b, radius); };
    const auto encode = [](const protocol::ServerControl& m) { return protocol::encode_control(m); };
    if (!fuzz::check_round_trip(fuzz::Bytes(data, size), decode, encode)) {
        SKIRMISH_FUZZ_CHECK(!protocol::name(decode(fuzz::Bytes(data, size)).error()).empty());
    }
    return 0;
}
