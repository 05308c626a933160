// shared/protocol/text_rules.hpp
//
// The one rule for every string that crosses the wire (docs/PROTOCOL.md,
// "Conventions"): valid UTF-8, no control characters (NUL included), and a
// length in bytes set by the kind of field: a name, a map name, free text.
// Every decoder applies it to every string field it reads, and the servers to
// what an operator configures, so nothing sends a string its peer refuses.
//
// IMPORTANT: built on shared/util/utf8 (decoding, the control set); pure and
// constexpr, so the rule can be checked at compile time.
#pragma once

#include "shared/util/utf8.hpp"

#include <cstddef>
#include <string_view>

namespace skirmish::protocol {

inline constexpr std::size_t kMaxNameBytes = 24;     // player names
inline constexpr std::size_t kMaxRoomNameBytes = 32;
inline constexpr std::size_t kMaxMapNameBytes = 64;

struct TextRule {
    std::size_t min_bytes = 0;
    std::size_t max_bytes = 0;
    bool needs_visible = false;      // at least one character other than a space (names)
    bool keeps_controls = false;     // only a chat line as typed: the server removes them itself
};

// Names: who and where. 1..max bytes, no control characters, not only spaces.
inline constexpr TextRule kPlayerNameText{1, kMaxNameBytes, true};
inline constexpr TextRule kRoomNameText{1, kMaxRoomNameBytes, true};
inline constexpr TextRule kMapNameText{1, kMaxMapNameBytes, true};
// Free text for a person to read (error and rejection texts, server names,
// addresses, chat as the server relays it): 0..max bytes, no control characters.
constexpr TextRule free_text(std::size_t max_bytes, std::size_t min_bytes = 0) {
    return TextRule{min_bytes, max_bytes, false, false};
}
// A chat line as a client typed it: 1..max bytes of UTF-8; control characters
// pass the codec because the server removes them before anyone sees the line
// (docs/PROTOCOL.md, "Chat").
constexpr TextRule typed_chat(std::size_t max_bytes) { return TextRule{1, max_bytes, false, true}; }

using util::is_valid_utf8;
using util::remove_control_characters;

// The rule itself: every string field of every message passes this or the
// message is refused.
constexpr bool is_valid_text(std::string_view text, const TextRule& rule) {
    if (text.size() < rule.min_bytes || text.size() > rule.max_bytes) return false;
    bool any_visible = false;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        const std::size_t n = util::decode_utf8(text, i, cp);
        if (n == 0 || (util::is_control_character(cp) && !rule.keeps_controls)) return false;
        if (cp != U' ') any_visible = true;
        i += n;
    }
    return any_visible || !rule.needs_visible;
}

// A name of 1..max_bytes (player names use kMaxNameBytes, rooms kMaxRoomNameBytes).
constexpr bool is_valid_name(std::string_view text, std::size_t max_bytes) {
    return is_valid_text(text, TextRule{1, max_bytes, true});
}

} // namespace skirmish::protocol
