// client/app/line_edit.hpp
//
// One line of text being typed (a server address, a name, a chat line):
// UTF-8 in from SDL's text-input events, backspace removing one whole
// character, a byte cap, control characters refused.
//
// IMPORTANT: pure; the text is always valid UTF-8 of at most max_bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace skirmish::app {

class LineEdit {
public:
    explicit LineEdit(std::size_t max_bytes = 200, std::string initial = {});

    // Appends what fits (whole characters only); drops control characters and invalid UTF-8.
    void insert(std::string_view utf8);
    // Removes the last character (not the last byte).
    void backspace();
    void clear() { text_.clear(); }
    void set(std::string_view text);
    // Returns the text and clears it (for chat lines).
    std::string take();

    const std::string& text() const noexcept { return text_; }
    bool empty() const noexcept { return text_.empty(); }
    std::size_t max_bytes() const noexcept { return max_bytes_; }

private:
    std::size_t max_bytes_;
    std::string text_;
};

} // namespace skirmish::app
