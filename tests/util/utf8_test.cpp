// tests/util/utf8_test.cpp: shared/util/utf8, the one home of UTF-8 handling.
#include "shared/util/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace util = skirmish::util;
using namespace std::string_view_literals;

// The core is constexpr: rules built on it can be static_asserted.
static_assert(util::is_valid_utf8("Zoë ✓"));
static_assert(!util::is_valid_utf8("\xc0\xaf"));
static_assert(util::is_control_character(U'\0'));

TEST(Utf8, SequenceLengthFromTheLeadByte) {
    EXPECT_EQ(util::utf8_sequence_length('a'), 1u);
    EXPECT_EQ(util::utf8_sequence_length(0xC3), 2u);
    EXPECT_EQ(util::utf8_sequence_length(0xE2), 3u);
    EXPECT_EQ(util::utf8_sequence_length(0xF0), 4u);
    EXPECT_EQ(util::utf8_sequence_length(0x80), 0u); // a continuation byte
    EXPECT_EQ(util::utf8_sequence_length(0xF8), 0u);
    EXPECT_EQ(util::utf8_sequence_length(0xFF), 0u);
}

TEST(Utf8, DecodesEveryLength) {
    char32_t cp = 0;
    EXPECT_EQ(util::decode_utf8("A", 0, cp), 1u);
    EXPECT_EQ(cp, U'A');
    EXPECT_EQ(util::decode_utf8("ë", 0, cp), 2u);
    EXPECT_EQ(cp, U'ë');
    EXPECT_EQ(util::decode_utf8("x✓", 1, cp), 3u);
    EXPECT_EQ(cp, U'✓');
    EXPECT_EQ(util::decode_utf8("\xf0\x9f\x99\x82", 0, cp), 4u);
    EXPECT_EQ(cp, U'\U0001F642');
}

TEST(Utf8, RefusesWhatIsNotStrictUtf8) {
    char32_t cp = 0;
    EXPECT_EQ(util::decode_utf8("\xc0\xaf", 0, cp), 0u);         // overlong '/'
    EXPECT_EQ(util::decode_utf8("\xe0\x80\xaf", 0, cp), 0u);     // overlong, three bytes
    EXPECT_EQ(util::decode_utf8("\xf0\x80\x80\xaf", 0, cp), 0u); // overlong, four bytes
    EXPECT_EQ(util::decode_utf8("\xed\xa0\x80", 0, cp), 0u);     // a surrogate
    EXPECT_EQ(util::decode_utf8("\xf4\x90\x80\x80", 0, cp), 0u); // above U+10FFFF
    EXPECT_EQ(util::decode_utf8("\xe2\x82", 0, cp), 0u);         // truncated
    EXPECT_EQ(util::decode_utf8("\xe2\x28\xa1", 0, cp), 0u);     // a bad continuation
    EXPECT_EQ(util::decode_utf8("\x80", 0, cp), 0u);             // starts mid-character
}

TEST(Utf8, ValidatesWholeTexts) {
    EXPECT_TRUE(util::is_valid_utf8(""));
    EXPECT_TRUE(util::is_valid_utf8("plain"));
    EXPECT_TRUE(util::is_valid_utf8("Zoë ✓ \xf0\x9f\x99\x82"));
    EXPECT_TRUE(util::is_valid_utf8("a\0b"sv)); // NUL is UTF-8 (the control rule refuses it)
    EXPECT_FALSE(util::is_valid_utf8("ok\xed\xa0\x80"));
    EXPECT_FALSE(util::is_valid_utf8("cut \xe2\x82"));
}

TEST(Utf8, ControlCharactersAreC0DelC1AndTheInvisibleDirections) {
    for (char32_t cp : {U'\0', U'\t', U'\n', U'\x1f', U'\x7f', U'\x85', U'\x9f', U'\u2028', U'\u2029', U'\u202e',
                        U'\u2066', U'\u2069'})
        EXPECT_TRUE(util::is_control_character(cp)) << static_cast<unsigned>(cp);
    for (char32_t cp : {U' ', U'a', U'~', U'\xa0', U'ë', U'\u2027', U'\u202f', U'\u2065', U'\u206a', U'✓'})
        EXPECT_FALSE(util::is_control_character(cp)) << static_cast<unsigned>(cp);
}

TEST(Utf8, RemovesControlCharactersAndBrokenBytes) {
    EXPECT_EQ(util::remove_control_characters("a\x01" "b\nc\x7f" "d\xc2\x85" "e\xe2\x80\xae" "f"), "abcdef");
    EXPECT_EQ(util::remove_control_characters("Zoë ✓"), "Zoë ✓");
    EXPECT_EQ(util::remove_control_characters("\n\t"), "");
    EXPECT_EQ(util::remove_control_characters("a\xff" "b\xe2\x82"), "ab");
    EXPECT_EQ(util::remove_control_characters("x\0y"sv), "xy");
}

TEST(Utf8, StepsOverWholeCharacters) {
    const std::string_view text = "aë✓\xf0\x9f\x99\x82"; // 1 + 2 + 3 + 4 bytes
    EXPECT_EQ(util::next_character(text, 0), 1u);
    EXPECT_EQ(util::next_character(text, 1), 3u);
    EXPECT_EQ(util::next_character(text, 3), 6u);
    EXPECT_EQ(util::next_character(text, 6), 10u);
    EXPECT_EQ(util::next_character(text, 10), 10u);
    EXPECT_EQ(util::previous_character(text, 10), 6u);
    EXPECT_EQ(util::previous_character(text, 6), 3u);
    EXPECT_EQ(util::previous_character(text, 3), 1u);
    EXPECT_EQ(util::previous_character(text, 1), 0u);
    EXPECT_EQ(util::previous_character(text, 0), 0u);
    EXPECT_EQ(util::previous_character(text, 99), 6u); // past the end: from the end
}

TEST(Utf8, FloorsOffsetsOntoBoundaries) {
    const std::string_view text = "aë✓";
    EXPECT_EQ(util::floor_character_boundary(text, 0), 0u);
    EXPECT_EQ(util::floor_character_boundary(text, 2), 1u); // inside ë
    EXPECT_EQ(util::floor_character_boundary(text, 4), 3u); // inside ✓
    EXPECT_EQ(util::floor_character_boundary(text, 5), 3u);
    EXPECT_EQ(util::floor_character_boundary(text, 6), 6u);
    EXPECT_EQ(util::floor_character_boundary(text, 60), 6u);
}

TEST(Utf8, PrefixNeverSplitsACharacter) {
    EXPECT_EQ(util::utf8_prefix("Zoë", 3), "Zo");
    EXPECT_EQ(util::utf8_prefix("Zoë", 4), "Zoë");
    EXPECT_EQ(util::utf8_prefix("Zoë", 40), "Zoë");
    EXPECT_EQ(util::utf8_prefix("✓✓", 5), "✓");
    EXPECT_EQ(util::utf8_prefix("✓", 2), "");
    EXPECT_EQ(util::utf8_prefix("", 0), "");
    const std::string long_name(30, 'x');
    EXPECT_EQ(util::utf8_prefix(long_name, 24).size(), 24u);
}

TEST(Utf8, FoldsAsciiCaseOnly) {
    EXPECT_EQ(util::fold_ascii_case("Alice"), "alice");
    EXPECT_EQ(util::fold_ascii_case("ALICE-01 [x]"), "alice-01 [x]");
    EXPECT_EQ(util::fold_ascii_case("ZOË"), "zoË"); // not ASCII: left as it is
    EXPECT_EQ(util::fold_ascii_case(""), "");
}
