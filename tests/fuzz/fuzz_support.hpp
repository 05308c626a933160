// tests/fuzz/fuzz_support.hpp
//
// What every harness shares: a check that aborts (so libFuzzer saves the input
// as a crash file) and the round-trip rule "anything a decoder accepts, its
// encoder writes as bytes the decoder accepts again, equal to the first decode".
//
// IMPORTANT: only for tests/fuzz; the code under test never aborts on input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#define SKIRMISH_FUZZ_CHECK(condition)                                                                  \
    do {                                                                                                \
        if (!(condition)) {                                                                             \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition);     \
            std::abort();                                                                               \
        }                                                                                               \
    } while (false)

namespace skirmish::fuzz {

using Bytes = std::span<const std::uint8_t>;

// decode(bytes) → Result<T, E>; encode(T) → std::vector<std::uint8_t>.
// Returns true if the decoder took the bytes (and then the round trip held).
template <typename Decode, typename Encode>
bool check_round_trip(Bytes bytes, Decode decode, Encode encode) {
    auto first = decode(bytes);
    if (!first) return false;
    const auto encoded = encode(*first);
    auto second = decode(Bytes(encoded.data(), encoded.size()));
    SKIRMISH_FUZZ_CHECK(second.has_value());
    SKIRMISH_FUZZ_CHECK(*second == *first);
    return true;
}

} // namespace skirmish::fuzz
