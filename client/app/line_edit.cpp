// client/app/line_edit.cpp
#include "client/app/line_edit.hpp"

#include "shared/util/utf8.hpp"

#include <algorithm>

namespace skirmish::app {
namespace {

// Words are runs of anything but spaces and the separators of addresses.
bool is_separator(char c) { return c == ' ' || c == '.' || c == ':' || c == '/' || c == ',' || c == '-'; }

} // namespace

LineEdit::LineEdit(std::size_t max_bytes, std::string initial) : max_bytes_(max_bytes) { set(initial); }

// --- positions ---------------------------------------------------------------------------

std::size_t LineEdit::previous(std::size_t at) const { return util::previous_character(text_, at); }

std::size_t LineEdit::next(std::size_t at) const { return util::next_character(text_, at); }

std::size_t LineEdit::previous_word(std::size_t at) const {
    while (at > 0 && is_separator(text_[at - 1])) at = previous(at);
    while (at > 0 && !is_separator(text_[at - 1])) at = previous(at);
    return at;
}

std::size_t LineEdit::next_word(std::size_t at) const {
    while (at < text_.size() && is_separator(text_[at])) at = next(at);
    while (at < text_.size() && !is_separator(text_[at])) at = next(at);
    return at;
}

void LineEdit::place(std::size_t at, bool extend) {
    caret_ = std::min(at, text_.size());
    if (!extend) anchor_ = caret_;
}

// --- editing -----------------------------------------------------------------------------

void LineEdit::insert(std::string_view utf8) {
    erase_selection();
    std::string accepted;
    std::size_t i = 0;
    while (i < utf8.size()) {
        char32_t cp = 0;
        const std::size_t n = util::decode_utf8(utf8, i, cp);
        if (n == 0) break; // broken input: stop here
        const std::string_view character = utf8.substr(i, n);
        i += n;
        if (util::is_control_character(cp)) continue;
        if (text_.size() + accepted.size() + n > max_bytes_) break;
        accepted.append(character);
    }
    text_.insert(caret_, accepted);
    place(caret_ + accepted.size(), false);
}

void LineEdit::backspace(bool word) {
    if (has_selection()) return erase_selection();
    const std::size_t from = word ? previous_word(caret_) : previous(caret_);
    text_.erase(from, caret_ - from);
    place(from, false);
}

void LineEdit::erase_forward(bool word) {
    if (has_selection()) return erase_selection();
    const std::size_t to = word ? next_word(caret_) : next(caret_);
    text_.erase(caret_, to - caret_);
    place(caret_, false);
}

void LineEdit::erase_selection() {
    if (!has_selection()) return;
    const std::size_t from = selection_begin();
    text_.erase(from, selection_end() - from);
    place(from, false);
}

std::string_view LineEdit::selected_text() const {
    return std::string_view(text_).substr(selection_begin(), selection_end() - selection_begin());
}

// --- motion ------------------------------------------------------------------------------

void LineEdit::move_left(bool word, bool extend) {
    if (has_selection() && !extend) return place(selection_begin(), false);
    place(word ? previous_word(caret_) : previous(caret_), extend);
}

void LineEdit::move_right(bool word, bool extend) {
    if (has_selection() && !extend) return place(selection_end(), false);
    place(word ? next_word(caret_) : next(caret_), extend);
}

void LineEdit::move_home(bool extend) { place(0, extend); }
void LineEdit::move_end(bool extend) { place(text_.size(), extend); }

void LineEdit::move_to(std::size_t at, bool extend) {
    place(util::floor_character_boundary(text_, at), extend);
}

void LineEdit::select_all() {
    anchor_ = 0;
    caret_ = text_.size();
}

// --- whole text --------------------------------------------------------------------------

void LineEdit::clear() {
    text_.clear();
    place(0, false);
}

void LineEdit::set(std::string_view text) {
    clear();
    insert(text);
}

std::string LineEdit::take() {
    std::string out = std::move(text_);
    clear();
    return out;
}

} // namespace skirmish::app
