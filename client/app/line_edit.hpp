// client/app/line_edit.hpp
//
// One line of text being typed (a server address, a name, a chat line): a
// caret and a selection, moved by characters, words, Home and End; UTF-8 in
// from SDL's text-input events; typing replaces the selection; backspace and
// delete remove whole characters (or whole words, with Ctrl); a byte cap;
// control characters refused. Copy, cut and paste are the caller's (it owns
// the clipboard): selected_text(), erase_selection(), insert().
//
// IMPORTANT: pure; the text is always valid UTF-8 of at most max_bytes, and
// the caret and the selection's anchor always sit on character boundaries.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace skirmish::app {

class LineEdit {
public:
    explicit LineEdit(std::size_t max_bytes = 200, std::string initial = {});

    // Inserts at the caret, replacing the selection: what fits (whole
    // characters only); drops control characters and stops at invalid UTF-8.
    void insert(std::string_view utf8);
    // Removes the selection, else the character before (after) the caret;
    // with `word`, back to the start (on to the end) of a word.
    void backspace(bool word = false);
    void erase_forward(bool word = false);

    // Caret motion; with `extend` the selection grows from where it started.
    void move_left(bool word = false, bool extend = false);
    void move_right(bool word = false, bool extend = false);
    void move_home(bool extend = false);
    void move_end(bool extend = false);
    // Puts the caret at byte offset `at` (moved back to a character boundary).
    void move_to(std::size_t at, bool extend = false);
    void select_all();

    bool has_selection() const noexcept { return anchor_ != caret_; }
    std::string_view selected_text() const;
    void erase_selection();

    void clear();
    void set(std::string_view text); // caret at the end, nothing selected
    // Returns the text and clears it (for chat lines).
    std::string take();

    const std::string& text() const noexcept { return text_; }
    bool empty() const noexcept { return text_.empty(); }
    std::size_t max_bytes() const noexcept { return max_bytes_; }
    std::size_t caret() const noexcept { return caret_; }
    std::size_t selection_begin() const noexcept { return anchor_ < caret_ ? anchor_ : caret_; }
    std::size_t selection_end() const noexcept { return anchor_ < caret_ ? caret_ : anchor_; }

private:
    std::size_t previous(std::size_t at) const;      // start of the character before `at`
    std::size_t next(std::size_t at) const;          // end of the character at `at`
    std::size_t previous_word(std::size_t at) const; // start of the word before `at`
    std::size_t next_word(std::size_t at) const;     // end of the word at or after `at`
    void place(std::size_t at, bool extend);

    std::size_t max_bytes_;
    std::string text_;
    std::size_t caret_ = 0;
    std::size_t anchor_ = 0;
};

} // namespace skirmish::app
