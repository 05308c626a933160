// shared/util/utf8.hpp
//
// UTF-8 text, in one place: sequence lengths and decoding, validity, character
// boundaries (for carets and for cutting text to a byte cap), removing control
// characters, ASCII case folding for name keys, and trimming white space. Pure functions on bytes.
//
// IMPORTANT: decoding is strict: overlong forms, surrogates, code points above
// U+10FFFF and truncated sequences are invalid. Nothing here throws.
// IMPORTANT: the core (decode, validity, the control set) is constexpr, so rules
// built on it (shared/protocol) can be checked at compile time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace skirmish::util {

// Length of the UTF-8 sequence that `lead` starts (1..4); 0 if `lead` cannot
// start one (a continuation byte, or 0xF8 and above).
constexpr std::size_t utf8_sequence_length(unsigned char lead) noexcept {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 0;
}

// True for the bytes 10xxxxxx, which continue a sequence and never start one.
constexpr bool is_utf8_continuation(char byte) noexcept { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

// Decodes the sequence that starts at text[at] (at < text.size()). Returns its
// length and sets `code_point`, or returns 0 if it is invalid (truncated,
// overlong, a surrogate, above U+10FFFF, or not a lead byte).
constexpr std::size_t decode_utf8(std::string_view text, std::size_t at, char32_t& code_point) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(at);
    const std::size_t length = utf8_sequence_length(lead);
    if (length == 0 || at + length > text.size()) return 0;
    if (length == 1) {
        code_point = lead;
        return 1;
    }
    constexpr char32_t kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
    constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000}; // below: overlong
    char32_t cp = lead & kLeadMask[length];
    for (std::size_t k = 1; k < length; ++k) {
        if (!is_utf8_continuation(static_cast<char>(byte(at + k)))) return 0;
        cp = (cp << 6) | (byte(at + k) & 0x3F);
    }
    if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    code_point = cp;
    return length;
}

constexpr bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t at = 0; at < text.size();) {
        char32_t cp = 0;
        const std::size_t n = decode_utf8(text, at, cp);
        if (n == 0) return false;
        at += n;
    }
    return true;
}

// Characters that must not reach a screen or a log line as they are: C0 (NUL
// included), DEL, C1, the line and paragraph separators and the bidirectional
// overrides and isolates (docs/PROTOCOL.md, "Conventions").
constexpr bool is_control_character(char32_t cp) noexcept {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

// The text without its control characters; bytes that are not UTF-8 are
// dropped too, so the result is always valid UTF-8.
std::string remove_control_characters(std::string_view text);

// --- character boundaries ------------------------------------------------------------
// Positions are byte offsets; a boundary is 0, text.size(), or the offset of a
// byte that is not a continuation byte.

// The boundary before `at` (0 stays 0).
std::size_t previous_character(std::string_view text, std::size_t at) noexcept;
// The boundary after `at` (text.size() stays text.size()).
std::size_t next_character(std::string_view text, std::size_t at) noexcept;
// `at` (clamped to the text) moved back onto a boundary if it splits a character.
std::size_t floor_character_boundary(std::string_view text, std::size_t at) noexcept;
// The longest prefix of at most max_bytes that splits no character.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

// --- name keys -------------------------------------------------------------------------

// ASCII letters lowercased, every other byte kept: "Zoë" and "zoË" stay apart,
// "Alice" and "ALICE" meet. For keys that make names unique regardless of case.
std::string fold_ascii_case(std::string_view text);

// `text` without ASCII white space (space, \t, \n, \v, \f, \r) at either end.
constexpr std::string_view trim_space(std::string_view text) noexcept {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

} // namespace skirmish::util
