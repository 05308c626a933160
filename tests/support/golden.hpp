// tests/support/golden.hpp
//
// Golden byte vectors (tests/data/*.hex, described in tests/data/README.md):
// hex, 16 bytes a line. check_golden() compares bytes with the file, and
// check_golden_text() a text file (what a vector decodes to);
// SKIRMISH_WRITE_GOLDEN=1 rewrites the file instead (only when the format
// changes on purpose).
#pragma once

#include "support/source_dir.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace skirmish::test {

inline std::filesystem::path golden_path(const std::string& name) { return source_dir() / "tests" / "data" / name; }

inline std::string to_hex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out += fmt::format("{:02x}", bytes[i]);
        out += (i % 16 == 15 || i + 1 == bytes.size()) ? "\n" : " ";
    }
    return out;
}

inline std::vector<std::uint8_t> from_hex(const std::string& text) {
    std::vector<std::uint8_t> out;
    std::istringstream in(text);
    for (std::string byte; in >> byte;) out.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
    return out;
}

inline void check_golden(const std::string& name, const std::vector<std::uint8_t>& bytes) {
    if (std::getenv("SKIRMISH_WRITE_GOLDEN")) {
        std::ofstream(golden_path(name)) << to_hex(bytes);
        return;
    }
    std::ifstream in(golden_path(name));
    ASSERT_TRUE(in.good()) << "missing " << golden_path(name) << " (SKIRMISH_WRITE_GOLDEN=1 writes it)";
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(from_hex(text.str()), bytes) << name << " differs: the wire format changed";
}

inline void check_golden_text(const std::string& name, const std::string& expected) {
    if (std::getenv("SKIRMISH_WRITE_GOLDEN")) {
        std::ofstream(golden_path(name)) << expected;
        return;
    }
    std::ifstream in(golden_path(name));
    ASSERT_TRUE(in.good()) << "missing " << golden_path(name) << " (SKIRMISH_WRITE_GOLDEN=1 writes it)";
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), expected) << name << " differs: what the vectors decode to changed";
}

} // namespace skirmish::test
