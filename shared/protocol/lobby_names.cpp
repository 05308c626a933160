// shared/protocol/lobby_names.cpp
//
// The lobby protocol's enums for a person (logs, error texts) and which error
// codes end a session, and the kind of each message value. Message and error-code names come from the schema's
// own tables, so a new message or code is named without an edit here.
// IMPORTANT: pure; a value outside the enum is named "unknown", never read
// out of bounds.
#include "shared/protocol/lobby_codec.hpp"

#include "schemas/lobby_generated.h"

#include <type_traits>

namespace skirmish::protocol::lobby {

namespace fb = Skirmish::Lobby;

namespace {

template <typename T> constexpr MessageKind kKindOf = MessageKind::None;
template <> constexpr MessageKind kKindOf<Hello> = MessageKind::Hello;
template <> constexpr MessageKind kKindOf<ListRooms> = MessageKind::ListRooms;
template <> constexpr MessageKind kKindOf<CreateRoom> = MessageKind::CreateRoom;
template <> constexpr MessageKind kKindOf<JoinRoom> = MessageKind::JoinRoom;
template <> constexpr MessageKind kKindOf<LeaveRoom> = MessageKind::LeaveRoom;
template <> constexpr MessageKind kKindOf<QuickPlay> = MessageKind::QuickPlay;
template <> constexpr MessageKind kKindOf<Chat> = MessageKind::Chat;
template <> constexpr MessageKind kKindOf<SetReady> = MessageKind::SetReady;
template <> constexpr MessageKind kKindOf<StartMatch> = MessageKind::StartMatch;
template <> constexpr MessageKind kKindOf<Ping> = MessageKind::Ping;
template <> constexpr MessageKind kKindOf<Welcome> = MessageKind::Welcome;
template <> constexpr MessageKind kKindOf<Error> = MessageKind::Error;
template <> constexpr MessageKind kKindOf<RoomList> = MessageKind::RoomList;
template <> constexpr MessageKind kKindOf<RoomState> = MessageKind::RoomState;
template <> constexpr MessageKind kKindOf<LeftRoom> = MessageKind::LeftRoom;
template <> constexpr MessageKind kKindOf<ChatMessage> = MessageKind::ChatMessage;
template <> constexpr MessageKind kKindOf<MatchStart> = MessageKind::MatchStart;
template <> constexpr MessageKind kKindOf<MatchEnded> = MessageKind::MatchEnded;
template <> constexpr MessageKind kKindOf<Pong> = MessageKind::Pong;
template <> constexpr MessageKind kKindOf<GetStats> = MessageKind::GetStats;
template <> constexpr MessageKind kKindOf<GetRecentMatches> = MessageKind::GetRecentMatches;
template <> constexpr MessageKind kKindOf<Stats> = MessageKind::Stats;
template <> constexpr MessageKind kKindOf<RecentMatches> = MessageKind::RecentMatches;
template <> constexpr MessageKind kKindOf<AdminCommand> = MessageKind::AdminCommand;
template <> constexpr MessageKind kKindOf<AdminReply> = MessageKind::AdminReply;

} // namespace

// --- kinds -------------------------------------------------------------------------------

MessageKind kind_of(const ClientMessage& message) {
    return std::visit([](const auto& m) { return kKindOf<std::decay_t<decltype(m)>>; }, message);
}
MessageKind kind_of(const ServerMessage& message) {
    return std::visit([](const auto& m) { return kKindOf<std::decay_t<decltype(m)>>; }, message);
}

std::string_view name(MessageKind kind) {
    const auto tag = static_cast<std::uint8_t>(kind);
    if (tag > static_cast<std::uint8_t>(fb::Message::MAX)) return "unknown";
    return fb::EnumNameMessage(static_cast<fb::Message>(tag));
}

std::string_view name(ErrorCode code) {
    const auto value = static_cast<std::uint16_t>(code);
    if (value > static_cast<std::uint16_t>(kLastErrorCode)) return "unknown";
    return fb::EnumNameErrorCode(static_cast<fb::ErrorCode>(value));
}

bool closes_connection(ErrorCode code) {
    switch (code) {
    case ErrorCode::WrongProtocolVersion:
    case ErrorCode::ServerFull:
    case ErrorCode::NotWelcomed:
    case ErrorCode::BadFrame:
    case ErrorCode::UnknownMessage:
    case ErrorCode::Timeout:
    case ErrorCode::ServerShuttingDown:
    case ErrorCode::TooManyConnections:
    case ErrorCode::WrongPassword:
    case ErrorCode::Replaced:

    case ErrorCode::Kicked:
    case ErrorCode::Banned: return true;
    default: return false;
    }
}

std::string_view name(LobbyDecodeError error) {
    switch (error) {
    case LobbyDecodeError::Empty: return "empty payload";
    case LobbyDecodeError::WrongIdentifier: return "wrong file identifier (not SKLB)";
    case LobbyDecodeError::NotVerified: return "not a valid FlatBuffer";
    case LobbyDecodeError::UnknownMessage: return "unknown message";
    case LobbyDecodeError::BadName: return "bad player name";
    case LobbyDecodeError::BadRoomName: return "bad room name";
    case LobbyDecodeError::BadSettings: return "match settings out of range";
    case LobbyDecodeError::ChatTooLong: return "chat text too long";
    case LobbyDecodeError::BadText: return "text empty or not UTF-8";
    case LobbyDecodeError::OutOfRange: return "field out of range";
    }
    return "unknown decode error";
}

} // namespace skirmish::protocol::lobby
