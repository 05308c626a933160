// client/app/line_edit.cpp
#include "client/app/line_edit.hpp"

#include "shared/protocol/lobby_codec.hpp"

namespace skirmish::app {
namespace {

// Length of the UTF-8 sequence that starts with `lead`, 0 if `lead` cannot start one.
std::size_t sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 0;
}

} // namespace

LineEdit::LineEdit(std::size_t max_bytes, std::string initial) : max_bytes_(max_bytes) { set(initial); }

void LineEdit::insert(std::string_view utf8) {
    std::size_t i = 0;
    while (i < utf8.size()) {
        const std::size_t n = sequence_length(static_cast<unsigned char>(utf8[i]));
        if (n == 0 || i + n > utf8.size()) return; // broken input: stop here
        const std::string_view character = utf8.substr(i, n);
        i += n;
        if (!protocol::lobby::is_valid_utf8(character)) return;
        if (protocol::lobby::remove_control_characters(character).empty()) continue;
        if (text_.size() + n > max_bytes_) return;
        text_.append(character);
    }
}

void LineEdit::backspace() {
    while (!text_.empty()) {
        const unsigned char last = static_cast<unsigned char>(text_.back());
        text_.pop_back();
        if ((last & 0xC0) != 0x80) return; // removed the lead byte: one whole character gone
    }
}

void LineEdit::set(std::string_view text) {
    text_.clear();
    insert(text);
}

std::string LineEdit::take() {
    std::string out = std::move(text_);
    text_.clear();
    return out;
}

} // namespace skirmish::app
