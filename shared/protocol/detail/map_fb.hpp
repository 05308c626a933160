// shared/protocol/detail/map_fb.hpp
//
// sim::Map ↔ the Map table of schemas/map.fbs, for the map codec (files and
// standalone buffers) and the game codec (the map inside Accepted).
// Internal to shared/protocol.
#pragma once

#include "shared/sim/map.hpp"
#include "shared/util/result.hpp"

#include "schemas/map_generated.h"

#include <string>
#include <string_view>

namespace skirmish::protocol::detail {

flatbuffers::Offset<Skirmish::Map::Map> write_map(flatbuffers::FlatBufferBuilder& fbb, const sim::Map& map);

// IMPORTANT: `fb` must come from a verified buffer; counts are capped and the
// result passes sim::validate_map() or the error says why (prefixed by `source`).
util::Result<sim::Map, std::string> read_map(const Skirmish::Map::Map& fb, std::string_view source, float player_radius);

} // namespace skirmish::protocol::detail
