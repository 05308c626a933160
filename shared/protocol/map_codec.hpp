// shared/protocol/map_codec.hpp
//
// Maps in and out of the formats they travel in: JSON files authored against
// schemas/map.fbs (read with FlatBuffers' own JSON parser, so a misspelt or
// unknown field is an error with a line number), and the binary Map FlatBuffer
// the game port sends a joining client.
//
// IMPORTANT: every function here treats its input as untrusted and returns an
// error a person can act on; none throws. Every loaded map has passed
// sim::validate_map().
#pragma once

#include "shared/sim/map.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::protocol {

// Parses map JSON. `source` names the text in error messages (a file path).
util::Result<sim::Map, std::string> parse_map_json(std::string_view json, std::string_view source,
                                                   float player_radius);

// Reads and parses a map file.
util::Result<sim::Map, std::string> load_map_file(const std::filesystem::path& path, float player_radius);

// Loads every *.json map in a directory, sorted by name. Fails on the first
// bad map (a server should not start with a broken map) or an empty directory.
util::Result<std::vector<sim::Map>, std::string> load_map_directory(const std::filesystem::path& dir,
                                                                    float player_radius);

// The binary form (file identifier "SKMP"), as sent on the game port.
std::vector<std::uint8_t> encode_map(const sim::Map& map);
util::Result<sim::Map, std::string> decode_map(std::span<const std::uint8_t> bytes, float player_radius);

} // namespace skirmish::protocol
