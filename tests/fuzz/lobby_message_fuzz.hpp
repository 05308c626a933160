// tests/fuzz/lobby_message_fuzz.hpp: the body of both lobby message harnesses.
// A payload is decoded as received (any alignment: a frame sits anywhere in a
// receive buffer), the verdict must not depend on where it sits, and whatever
// is accepted must survive the encoder (fuzz_support.hpp).
#pragma once

#include "fuzz_support.hpp"

#include "shared/protocol/lobby_codec.hpp"

#include <cstring>
#include <vector>

namespace skirmish::fuzz {

template <typename Decode, typename Encode>
void fuzz_lobby_payload(Bytes payload, Decode decode, Encode encode) {
    namespace pl = protocol::lobby;
    const auto first = decode(payload);
    std::vector<std::uint8_t> shifted(payload.size() + 1);
    if (!payload.empty()) std::memcpy(shifted.data() + 1, payload.data(), payload.size());
    const auto moved = decode(Bytes(shifted.data() + 1, payload.size()));
    SKIRMISH_FUZZ_CHECK(first.has_value() == moved.has_value());
    if (!first) {
        SKIRMISH_FUZZ_CHECK(first.error().error == moved.error().error && first.error().kind == moved.error().kind);
        SKIRMISH_FUZZ_CHECK(!pl::name(first.error().error).empty());
        return;
    }
    SKIRMISH_FUZZ_CHECK(*first == *moved);
    SKIRMISH_FUZZ_CHECK(check_round_trip(payload, decode, encode));
}

} // namespace skirmish::fuzz
