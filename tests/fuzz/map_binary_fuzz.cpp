// tests/fuzz/map_binary_fuzz.cpp: a binary map (decode_map, "SKMP", as the game
// port sends one), and the round trip through encode_map.
#include "fuzz_support.hpp"

#include "shared/protocol/map_codec.hpp"
#include "shared/sim/rules.hpp"

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const float radius = sim::Rules{}.player_radius;
    const auto decode = [radius](fuzz::Bytes b) { return protocol::decode_map(b, radius); };
    if (!fuzz::check_round_trip(fuzz::Bytes(data, size), decode, protocol::encode_map)) {
        SKIRMISH_FUZZ_CHECK(!decode(fuzz::Bytes(data, size)).error().empty());
    }
    return 0;
}
