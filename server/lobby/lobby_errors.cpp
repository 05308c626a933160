// server/lobby/lobby_errors.cpp
#include "server/lobby/lobby_errors.hpp"

#include "shared/protocol/version.hpp"
#include "shared/util/utf8.hpp"

#include <fmt/format.h>

namespace skirmish::server {

namespace pl = protocol::lobby;
using pl::ErrorCode;
using pl::LobbyDecodeError;
using pl::MessageKind;

DecodeAnswer answer_decode_failure(const pl::DecodeFailure& failure, const LobbyLimits& limits) {
    const auto closing = [&](ErrorCode code, std::string text) {
        return DecodeAnswer{{code, fit_error_text(std::move(text)), failure.kind}, true};
    };
    const auto answered = [&](ErrorCode code, std::string text) {
        return DecodeAnswer{{code, fit_error_text(std::move(text)), failure.kind}, false};
    };
    switch (failure.error) {
    case LobbyDecodeError::UnknownMessage:
        return closing(ErrorCode::UnknownMessage,
                       failure.kind == MessageKind::None
                           ? std::string("unknown or empty message: this server speaks lobby protocol ") +
                                 std::to_string(protocol::kProtocolVersion)
                           : fmt::format("{} is a message the server sends, not one it accepts",
                                         pl::name(failure.kind)));
    case LobbyDecodeError::Empty:
    case LobbyDecodeError::WrongIdentifier:
    case LobbyDecodeError::NotVerified:
    case LobbyDecodeError::OutOfRange:
        return closing(ErrorCode::BadFrame, fmt::format("bad frame: {}", pl::name(failure.error)));
    // A well-formed message with a field a person can fix.
    case LobbyDecodeError::BadName:
        return answered(ErrorCode::BadName,
                        fmt::format("names are 1 to {} bytes of UTF-8, not only spaces, without control "
                                    "characters: pick another",
                                    protocol::kMaxNameBytes));
    case LobbyDecodeError::BadRoomName:
        return answered(ErrorCode::BadRoomSettings,
                        fmt::format("room names are 1 to {} bytes of UTF-8 without control characters",
                                    protocol::kMaxRoomNameBytes));
    case LobbyDecodeError::BadSettings:
        return answered(ErrorCode::BadRoomSettings, failure.detail.empty()
                                                         ? std::string("room settings out of range")
                                                         : fmt::format("room settings out of range: {}", failure.detail));
    case LobbyDecodeError::ChatTooLong:
        return answered(ErrorCode::ChatTooLong,
                        fmt::format("chat lines are at most {} bytes; that one was dropped", limits.max_chat_bytes));
    case LobbyDecodeError::BadText:
        if (failure.kind == MessageKind::AdminCommand)
            return closing(ErrorCode::BadFrame,
                           fmt::format("bad frame: an AdminCommand's password is at most {} bytes and its command one "
                                       "line of 1 to {} bytes, UTF-8 without control characters",
                                       pl::kMaxAdminPasswordBytes, pl::kMaxAdminCommandBytes));
        return answered(ErrorCode::BadChat, "chat lines must be non-empty UTF-8; that one was dropped");
    }
    return closing(ErrorCode::BadFrame, fmt::format("bad frame: {}", pl::name(failure.error)));
}

std::string fit_error_text(std::string text) {
    if (text.size() <= pl::kMaxErrorTextBytes) return text;
    return std::string(util::utf8_prefix(text, pl::kMaxErrorTextBytes - 3)) + "...";
}

} // namespace skirmish::server
