// shared/protocol/lobby_names.cpp
//
// The lobby protocol's enums for a person (logs, error texts) and which error
// codes end a session, and the kind of each message value. Message and
// error-code names come from the schema's own tables and a value's kind from
// its line in detail/lobby_messages.hpp, so a new message or code needs no
// edit here.
// IMPORTANT: pure; a value outside the enum is named "unknown", never read
// out of bounds.
#include "shared/protocol/lobby_codec.hpp"

#include "shared/protocol/detail/lobby_messages.hpp"

#include <type_traits>

namespace skirmish::protocol::lobby {

namespace fb = Skirmish::Lobby;

// --- kinds -------------------------------------------------------------------------------

MessageKind kind_of(const ClientMessage& message) {
    return std::visit([](const auto& m) { return tables::kind_of<std::decay_t<decltype(m)>>(); }, message);
}
MessageKind kind_of(const ServerMessage& message) {
    return std::visit([](const auto& m) { return tables::kind_of<std::decay_t<decltype(m)>>(); }, message);
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
