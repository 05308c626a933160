// shared/protocol/detail/common_fb.hpp
//
// Conversions between the plain values of match_types.hpp and the tables of
// schemas/common.fbs, shared by the lobby and game codecs so the field rules
// are written once. Internal to shared/protocol.
//
// IMPORTANT: the read_* functions take tables from a buffer that has already
// passed flatbuffers::Verifier; they still range-check every value, hold every
// string to text_rules.hpp, and return false on anything out of range.
#pragma once

#include "shared/protocol/match_types.hpp"

#include "schemas/common_generated.h"

namespace skirmish::protocol::detail {

flatbuffers::Offset<Skirmish::MatchSettings> write_settings(flatbuffers::FlatBufferBuilder& fbb,
                                                            const MatchSettings& settings);
// Missing table → defaults. Values are range-checked with validate_settings(),
// the map name included, whose message (the field and its range) is the error.
util::Result<util::Ok, std::string> read_settings(const Skirmish::MatchSettings* fb, MatchSettings& out);

flatbuffers::Offset<Skirmish::MatchResults> write_results(flatbuffers::FlatBufferBuilder& fbb,
                                                          const MatchResults& results);
bool read_results(const Skirmish::MatchResults* fb, MatchResults& out);

// A string field as std::string, empty if absent.
inline std::string read_string(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

} // namespace skirmish::protocol::detail
