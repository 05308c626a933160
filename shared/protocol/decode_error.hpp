// shared/protocol/decode_error.hpp
//
// Why untrusted bytes were rejected, for every decoder in shared/protocol.
// The caller drops the input, counts the reason, and logs it rate-limited.
#pragma once

#include <cstdint>
#include <string_view>

namespace skirmish::protocol {

enum class DecodeError : std::uint8_t {
    TooShort,
    TooLong,
    NotVerified,      // flatbuffers::Verifier said no, or the file identifier is wrong
    UnknownMessage,   // a union tag we do not know, or one not accepted in this direction
    BadHeader,
    UnknownBaseline,  // a snapshot delta against a snapshot we do not hold
    EntityOutOfRange,
    TooManyEntities,
    BadField,         // a value outside its documented range
    TrailingBits,
};

std::string_view name(DecodeError error);

} // namespace skirmish::protocol
