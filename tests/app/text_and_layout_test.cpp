// Small pieces of the connect screen and the match view: typing a server
// address, editing a line of UTF-8, fitting the arena into the window.
#include "client/app/camera.hpp"
#include "client/app/host_port.hpp"
#include "client/app/line_edit.hpp"

#include <gtest/gtest.h>

using namespace skirmish;
using namespace skirmish::app;

TEST(Endpoint, ParsesHostAndPort) {
    EXPECT_EQ(parse_endpoint("127.0.0.1:7777").value(), (Endpoint{"127.0.0.1", 7777}));
    EXPECT_EQ(parse_endpoint("  example.org:9000 ").value(), (Endpoint{"example.org", 9000}));
    EXPECT_EQ(parse_endpoint("localhost").value(), (Endpoint{"localhost", kDefaultPort}));
    EXPECT_EQ(parse_endpoint("[::1]:7000").value(), (Endpoint{"::1", 7000}));
    EXPECT_EQ(to_text(Endpoint{"::1", 7000}), "[::1]:7000");
    EXPECT_EQ(to_text(Endpoint{"a", 1}), "a:1");
}

TEST(Endpoint, RejectionsSayWhatToType) {
    EXPECT_NE(parse_endpoint("").error().find("type a server address"), std::string::npos);
    EXPECT_NE(parse_endpoint("host:99999").error().find("1 to 65535"), std::string::npos);
    EXPECT_NE(parse_endpoint("host:").error().find("not a port"), std::string::npos);
    EXPECT_NE(parse_endpoint(":7777").error().find("no usable host"), std::string::npos);
    EXPECT_NE(parse_endpoint("::1").error().find("[::1]:7777"), std::string::npos);
    EXPECT_FALSE(parse_endpoint("[::1").has_value());
}

TEST(LineEdit, BackspaceRemovesWholeCharacters) {
    LineEdit edit(10);
    edit.insert("ab\xc3\xa9"); // "abé"
    EXPECT_EQ(edit.text(), "ab\xc3\xa9");
    edit.backspace();
    EXPECT_EQ(edit.text(), "ab");
    edit.backspace();
    edit.backspace();
    edit.backspace();
    EXPECT_TRUE(edit.empty());
}

TEST(LineEdit, CapsBytesAndRefusesControlCharactersAndBrokenUtf8) {
    LineEdit edit(4);
    edit.insert("abc\xc3\xa9"); // é does not fit in the last byte
    EXPECT_EQ(edit.text(), "abc");
    edit.clear();
    edit.insert("a\tb\x01");
    EXPECT_EQ(edit.text(), "ab");
    edit.insert("\xc3");
    EXPECT_EQ(edit.text(), "ab");
    EXPECT_EQ(edit.take(), "ab");
    EXPECT_TRUE(edit.empty());
}

TEST(LineEdit, TypingGoesInAtTheCaretWhichMovesByCharactersWordsHomeAndEnd) {
    LineEdit edit(64, "127.0.0.1:7777");
    EXPECT_EQ(edit.caret(), edit.text().size());
    edit.move_home();
    edit.insert("x");
    EXPECT_EQ(edit.text(), "x127.0.0.1:7777");
    edit.move_right(true); // over the word "127"
    EXPECT_EQ(edit.caret(), 4u);
    edit.move_end();
    edit.move_left(true); // back over "7777"
    EXPECT_EQ(edit.caret(), 11u);
    edit.backspace(); // the ':'
    EXPECT_EQ(edit.text(), "x127.0.0.17777");
    edit.move_home();
    edit.erase_forward();
    EXPECT_EQ(edit.text(), "127.0.0.17777");
    // Moving over a multi-byte character moves over all its bytes.
    LineEdit accents(16, "a\xc3\xa9" "b");
    accents.move_left();
    accents.move_left();
    EXPECT_EQ(accents.caret(), 1u);
    accents.move_to(2); // inside the é: back to its start
    EXPECT_EQ(accents.caret(), 1u);
}

TEST(LineEdit, CtrlBackspaceAndCtrlDeleteRemoveWholeWords) {
    LineEdit edit(64, "hello big world");
    edit.backspace(true);
    EXPECT_EQ(edit.text(), "hello big ");
    edit.backspace(true);
    EXPECT_EQ(edit.text(), "hello ");
    edit.move_home();
    edit.erase_forward(true);
    EXPECT_EQ(edit.text(), " ");
}

TEST(LineEdit, ASelectionIsReplacedByTypingAndRemovedByBackspace) {
    LineEdit edit(64, "alice");
    edit.select_all();
    EXPECT_EQ(edit.selected_text(), "alice");
    edit.insert("bob");
    EXPECT_EQ(edit.text(), "bob");
    EXPECT_FALSE(edit.has_selection());
    edit.move_left(false, true); // shift+left selects the "b"
    edit.move_left(false, true);
    EXPECT_EQ(edit.selected_text(), "ob");
    edit.backspace();
    EXPECT_EQ(edit.text(), "b");
    // Left without shift collapses a selection to its start.
    edit.set("abcd");
    edit.move_home(true);
    edit.move_left();
    EXPECT_EQ(edit.caret(), 0u);
    EXPECT_FALSE(edit.has_selection());
    // Typing over a selection respects the byte cap.
    LineEdit small(4, "abcd");
    small.move_left(false, true);
    small.insert("xyz");
    EXPECT_EQ(small.text(), "abcx");
}

TEST(Camera, FitsTheArenaCentredWithItsAspect) {
    const Camera c = fit_camera(1600, 960, ScreenRect{0, 40, 1280, 680});
    EXPECT_FLOAT_EQ(c.scale, 680.0f / 960.0f);
    const sim::Vec2 top_left = c.to_screen({0, 0});
    const sim::Vec2 bottom_right = c.to_screen({1600, 960});
    EXPECT_FLOAT_EQ(top_left.y, 40.0f);
    EXPECT_FLOAT_EQ(bottom_right.y, 720.0f);
    EXPECT_NEAR(top_left.x + bottom_right.x, 1280.0f, 0.01f); // centred
    const sim::Vec2 back = c.to_world(c.to_screen({123, 456}));
    EXPECT_NEAR(back.x, 123.0f, 0.01f);
    EXPECT_NEAR(back.y, 456.0f, 0.01f);
}
