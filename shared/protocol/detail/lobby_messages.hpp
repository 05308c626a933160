// shared/protocol/detail/lobby_messages.hpp
//
// The lobby's two message lists, one per direction, each pairing a value of
// lobby_codec.hpp with its table in schemas/lobby.fbs (message_list.hpp says
// what is derived from them: the union tag of each value, the dispatch of a
// verified frame). And the write and read functions kept out of
// lobby_codec.cpp: results and stats (lobby_stats_codec.cpp) and
// administration (lobby_admin_codec.cpp). Internal to shared/protocol.
//
// IMPORTANT: the read functions take tables from a buffer that has already
// passed flatbuffers::Verifier; they cap every count, hold every string to
// text_rules.hpp and range-check every value.
#pragma once

#include "shared/protocol/detail/message_list.hpp"
#include "shared/protocol/lobby_codec.hpp"

#include "schemas/lobby_generated.h"

#include <type_traits>

namespace skirmish::protocol::lobby::tables {

namespace fb = Skirmish::Lobby;
using protocol::detail::Message;

// Client → server: the alternatives of ClientMessage, in its order.
using ClientMessages =
    protocol::detail::MessageList<fb::MessageTraits, Message<Hello, fb::Hello>, Message<ListRooms, fb::ListRooms>,
                                  Message<CreateRoom, fb::CreateRoom>, Message<JoinRoom, fb::JoinRoom>,
                                  Message<LeaveRoom, fb::LeaveRoom>, Message<QuickPlay, fb::QuickPlay>,
                                  Message<Chat, fb::Chat>, Message<SetReady, fb::SetReady>,
                                  Message<StartMatch, fb::StartMatch>, Message<Ping, fb::Ping>,
                                  Message<GetStats, fb::GetStats>, Message<GetRecentMatches, fb::GetRecentMatches>,
                                  Message<AdminCommand, fb::AdminCommand>>;
static_assert(std::is_same_v<ClientMessages::Variant, ClientMessage>,
              "ClientMessage and the list name the same messages in the same order");

// Server → client: the alternatives of ServerMessage, in its order.
using ServerMessages =
    protocol::detail::MessageList<fb::MessageTraits, Message<Welcome, fb::Welcome>, Message<Error, fb::Error>,
                                  Message<RoomList, fb::RoomList>, Message<RoomState, fb::RoomState>,
                                  Message<LeftRoom, fb::LeftRoom>, Message<ChatMessage, fb::ChatMessage>,
                                  Message<MatchStart, fb::MatchStart>, Message<MatchEnded, fb::MatchEnded>,
                                  Message<Pong, fb::Pong>, Message<Stats, fb::Stats>,
                                  Message<RecentMatches, fb::RecentMatches>, Message<AdminReply, fb::AdminReply>>;
static_assert(std::is_same_v<ServerMessages::Variant, ServerMessage>,
              "ServerMessage and the list name the same messages in the same order");

// The union tag a message value travels under, as the lobby's MessageKind.
template <typename Value>
constexpr MessageKind kind_of() {
    if constexpr (ClientMessages::contains<Value>) {
        return static_cast<MessageKind>(ClientMessages::tag_of<Value>);
    } else {
        return static_cast<MessageKind>(ServerMessages::tag_of<Value>);
    }
}

// --- results and stats: lobby_stats_codec.cpp -------------------------------------------

flatbuffers::Offset<fb::GetStats> write(flatbuffers::FlatBufferBuilder& b, const GetStats& m);
flatbuffers::Offset<fb::GetRecentMatches> write(flatbuffers::FlatBufferBuilder& b, const GetRecentMatches& m);
flatbuffers::Offset<fb::Stats> write(flatbuffers::FlatBufferBuilder& b, const Stats& m);
flatbuffers::Offset<fb::RecentMatches> write(flatbuffers::FlatBufferBuilder& b, const RecentMatches& m);

util::Result<GetStats, LobbyDecodeError> read(const fb::GetStats& t);
util::Result<GetRecentMatches, LobbyDecodeError> read(const fb::GetRecentMatches& t);
util::Result<Stats, LobbyDecodeError> read(const fb::Stats& t);
util::Result<RecentMatches, LobbyDecodeError> read(const fb::RecentMatches& t);

// --- administration: lobby_admin_codec.cpp ------------------------------------------------

flatbuffers::Offset<fb::AdminCommand> write(flatbuffers::FlatBufferBuilder& b, const AdminCommand& m);
flatbuffers::Offset<fb::AdminReply> write(flatbuffers::FlatBufferBuilder& b, const AdminReply& m);

util::Result<AdminCommand, LobbyDecodeError> read(const fb::AdminCommand& t);
util::Result<AdminReply, LobbyDecodeError> read(const fb::AdminReply& t);

} // namespace skirmish::protocol::lobby::tables
