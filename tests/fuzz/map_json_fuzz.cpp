// tests/fuzz/map_json_fuzz.cpp: a map file as the server loads it
// (parse_map_json: FlatBuffers' JSON parser, then the map rules). A map it
// takes must also survive the binary form a joining client receives.
#include "fuzz_support.hpp"

#include "shared/protocol/map_codec.hpp"
#include "shared/sim/rules.hpp"

#include <string_view>

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const float radius = sim::Rules{}.player_radius;
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    auto map = protocol::parse_map_json(json, "fuzz.json", radius);
    if (!map) {
        SKIRMISH_FUZZ_CHECK(map.error().rfind("fuzz.json: ", 0) == 0); // says which file
        return 0;
    }
    SKIRMISH_FUZZ_CHECK(sim::validate_map(*map, radius).has_value());
    auto sent = protocol::decode_map(protocol::encode_map(*map), radius);
    SKIRMISH_FUZZ_CHECK(sent.has_value() && *sent == *map);
    return 0;
}
