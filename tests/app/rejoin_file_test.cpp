// rejoin.txt (docs/CLIENT.md, "Rejoin"): what is saved comes back, the file is
// owner-only, and any damage reads as "nothing to rejoin", never a crash.
#include "client/app/rejoin_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace skirmish::app;

namespace {

SavedRejoin sample_rejoin() {
    SavedRejoin r;
    r.server = "[::1]:7777";
    r.name = "Ada";
    r.ticket.match_id = 12;
    for (std::uint8_t i = 0; i < 32; ++i) r.ticket.secret.push_back(static_cast<std::uint8_t>(0xf0 + i));
    r.until_unix_s = 1764633900;
    return r;
}

} // namespace

TEST(RejoinFile, WhatIsSavedComesBackOwnerOnly) {
    const auto dir = std::filesystem::temp_directory_path() / ("rejoin-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "rejoin.txt").string();
    ASSERT_TRUE(save_rejoin(path, sample_rejoin()));
    EXPECT_EQ(load_rejoin(path), sample_rejoin());
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    forget_rejoin(path);
    EXPECT_FALSE(load_rejoin(path));
    std::filesystem::remove_all(dir);
}

TEST(RejoinFile, AnyDamageReadsAsNothingToRejoin) {
    const std::string good = format_rejoin(sample_rejoin());
    ASSERT_EQ(parse_rejoin(good), sample_rejoin());
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        text.replace(text.find(from), from.size(), to);
        return parse_rejoin(text);
    };
    EXPECT_FALSE(with("match = 12", "match = 0"));
    EXPECT_FALSE(with("match = 12", "match = twelve"));
    EXPECT_FALSE(with("secret = f0", "secret = ")) << "a short secret";
    EXPECT_FALSE(with("secret = f0", "secret = zz"));
    EXPECT_FALSE(with("name = Ada", "name = "));
    EXPECT_FALSE(with("server = [::1]:7777\n", ""));
    EXPECT_FALSE(with("until = ", "until = -"));
    EXPECT_FALSE(parse_rejoin(""));
    EXPECT_FALSE(parse_rejoin(std::string(2000, 'x')));
    EXPECT_FALSE(parse_rejoin("no equals sign here\n"));
}
