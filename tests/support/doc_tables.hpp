// tests/support/doc_tables.hpp: reading the machine-readable tables of
// docs/PROTOCOL.md and docs/RULES.md (markdown rows between <!-- begin/end -->
// markers) so tests can compare the documents with the code.
#pragma once

#include "skirmish/version.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::test {

// A file of docs/, e.g. "RULES.md".
inline std::string read_doc(const std::string& name) {
    const char* dir = std::getenv("SKIRMISH_SOURCE_DIR");
    const std::string path = std::string(dir ? dir : kSourceDir) + "/docs/" + name;
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot read " << path;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline std::string read_protocol_doc() { return read_doc("PROTOCOL.md"); }

inline std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '`')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '`')) s.remove_suffix(1);
    return std::string(s);
}

// The cells of a markdown table row ("| a | b |" → {"a", "b"}); empty if not a row.
inline std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    if (line.size() < 2 || line.front() != '|') return out;
    std::size_t start = 1;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '|') {
            out.push_back(trim(std::string_view(line).substr(start, i - start)));
            start = i + 1;
        }
    }
    return out;
}

inline std::vector<std::string> lines_between(const std::string& doc, const std::string& begin, const std::string& end) {
    std::vector<std::string> out;
    const auto from = doc.find(begin);
    const auto to = doc.find(end, from == std::string::npos ? 0 : from);
    EXPECT_NE(from, std::string::npos) << "missing " << begin;
    EXPECT_NE(to, std::string::npos) << "missing " << end;
    if (from == std::string::npos || to == std::string::npos) return out;
    std::istringstream in(doc.substr(from, to - from));
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

} // namespace skirmish::test
