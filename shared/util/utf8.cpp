// shared/util/utf8.cpp
#include "shared/util/utf8.hpp"

#include <algorithm>

namespace skirmish::util {

std::string remove_control_characters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        char32_t cp = 0;
        const std::size_t n = decode_utf8(text, at, cp);
        if (n == 0) { // not UTF-8 here: drop the byte
            ++at;
            continue;
        }
        if (!is_control_character(cp)) out.append(text.substr(at, n));
        at += n;
    }
    return out;
}

// --- character boundaries ------------------------------------------------------------

std::size_t previous_character(std::string_view text, std::size_t at) noexcept {
    at = std::min(at, text.size());
    if (at == 0) return 0;
    --at;
    while (at > 0 && is_utf8_continuation(text[at])) --at;
    return at;
}

std::size_t next_character(std::string_view text, std::size_t at) noexcept {
    if (at >= text.size()) return text.size();
    ++at;
    while (at < text.size() && is_utf8_continuation(text[at])) ++at;
    return at;
}

std::size_t floor_character_boundary(std::string_view text, std::size_t at) noexcept {
    at = std::min(at, text.size());
    while (at > 0 && at < text.size() && is_utf8_continuation(text[at])) --at;
    return at;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
    return text.substr(0, floor_character_boundary(text, max_bytes));
}

// --- name keys -------------------------------------------------------------------------

std::string fold_ascii_case(std::string_view text) {
    std::string key(text);
    for (char& c : key)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return key;
}

} // namespace skirmish::util
