// shared/util/little_endian.hpp
//
// Fixed-width integers as little-endian bytes, for the hand-made binary
// layouts (connect tokens, admission cookies): written and read through a
// pointer that moves past them.
//
// IMPORTANT: no bounds checks here: the caller has checked that sizeof(T)
// bytes are there (the layouts have fixed sizes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace skirmish::util {

template <typename T>
    requires std::is_unsigned_v<T>
void put_le(std::uint8_t*& p, T value) {
    for (std::size_t i = 0; i < sizeof(T); ++i) *p++ = static_cast<std::uint8_t>(value >> (8 * i));
}

template <typename T>
    requires std::is_unsigned_v<T>
T get_le(const std::uint8_t*& p) {
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<T>(*p++) << (8 * i));
    return value;
}

} // namespace skirmish::util
