// shared/protocol/decode_error.cpp
#include "shared/protocol/decode_error.hpp"

namespace skirmish::protocol {

std::string_view name(DecodeError error) {
    switch (error) {
    case DecodeError::TooShort: return "too short";
    case DecodeError::TooLong: return "too long";
    case DecodeError::NotVerified: return "not a verified FlatBuffer with the right identifier";
    case DecodeError::UnknownMessage: return "unknown or unexpected message";
    case DecodeError::BadHeader: return "bad header";
    case DecodeError::UnknownBaseline: return "baseline not held";
    case DecodeError::EntityOutOfRange: return "entity reference out of range";
    case DecodeError::TooManyEntities: return "too many entities";
    case DecodeError::BadField: return "field value out of range";
    case DecodeError::TrailingBits: return "trailing bits";
    }
    return "unknown";
}

} // namespace skirmish::protocol
