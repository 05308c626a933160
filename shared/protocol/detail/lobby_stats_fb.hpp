// shared/protocol/detail/lobby_stats_fb.hpp
//
// The lobby's results-and-stats messages (GetStats, Stats, GetRecentMatches,
// RecentMatches) to and from their tables in schemas/lobby.fbs, kept apart
// from lobby_codec.cpp, which dispatches to them. Internal to shared/protocol.
//
// IMPORTANT: the read functions take tables from a buffer that has already
// passed flatbuffers::Verifier; they cap every count, hold every string to
// text_rules.hpp and range-check every value.
#pragma once

#include "shared/protocol/lobby_codec.hpp"

#include "schemas/lobby_generated.h"

#include <utility>

namespace skirmish::protocol::lobby::stats_fb {

using Written = std::pair<Skirmish::Lobby::Message, flatbuffers::Offset<void>>;

Written write_message(flatbuffers::FlatBufferBuilder& b, const GetStats& m);
Written write_message(flatbuffers::FlatBufferBuilder& b, const GetRecentMatches& m);
Written write_message(flatbuffers::FlatBufferBuilder& b, const Stats& m);
Written write_message(flatbuffers::FlatBufferBuilder& b, const RecentMatches& m);
// Administration: lobby_admin_codec.cpp.
Written write_message(flatbuffers::FlatBufferBuilder& b, const AdminCommand& m);
Written write_message(flatbuffers::FlatBufferBuilder& b, const AdminReply& m);

util::Result<GetStats, LobbyDecodeError> read_message(const Skirmish::Lobby::GetStats& t);
util::Result<GetRecentMatches, LobbyDecodeError> read_message(const Skirmish::Lobby::GetRecentMatches& t);
util::Result<Stats, LobbyDecodeError> read_message(const Skirmish::Lobby::Stats& t);
util::Result<RecentMatches, LobbyDecodeError> read_message(const Skirmish::Lobby::RecentMatches& t);
util::Result<AdminCommand, LobbyDecodeError> read_message(const Skirmish::Lobby::AdminCommand& t);
util::Result<AdminReply, LobbyDecodeError> read_message(const Skirmish::Lobby::AdminReply& t);

} // namespace skirmish::protocol::lobby::stats_fb
