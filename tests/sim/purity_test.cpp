// shared/sim is pure: it includes no networking, no SDL, no FlatBuffers, no
// clocks or threads. Cheaper than a lint rule, and it reads as documentation.
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

TEST(SimPurity, IncludesNothingImpure) {
    const std::filesystem::path dir = skirmish::test::source_dir() / "shared" / "sim";
    const std::regex include_line(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    const std::regex forbidden(R"((enet|SDL|flatbuffers|asio|sodium|chrono|thread|random|mutex|iostream|fstream|ctime)\b)");
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        const auto ext = entry.path().extension();
        if (ext != ".hpp" && ext != ".cpp") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            std::smatch m;
            if (std::regex_search(line, m, include_line) && std::regex_search(m[1].str(), forbidden))
                ADD_FAILURE() << entry.path() << ":" << number << " includes " << m[1];
        }
    }
    EXPECT_GT(files, 10);
}
