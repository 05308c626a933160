// The settings file: what is saved comes back, and a broken file never stops
// the client: every bad line is skipped with a warning naming it.
#include "client/app/settings.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace skirmish::app;

namespace {

Settings sample() {
    Settings s;
    s.name = "Ada";
    s.servers = {"example.org:7000", "127.0.0.1:7777", "[::1]:7777"};
    s.window_width = 1920;
    s.window_height = 1080;
    s.fullscreen = true;
    s.vsync = false;
    s.net_graph = true;
    s.bindings[Action::Fire] = {kMouseRight, SDL_SCANCODE_F};
    s.bindings[Action::NetGraph] = {SDL_SCANCODE_F4, kUnbound};
    s.net_graph_position = Corner::TopLeft;
    s.favourites = {"10.0.0.5:7777", "example.org:7000"};
    s.mouse_sensitivity = 1.15;
    s.volume = 35;
    s.mute = true;
    return s;
}

std::filesystem::path temp_path(const char* name) {
    return std::filesystem::temp_directory_path() / (std::string("skirmish-settings-") + name + "-" +
                                                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
}

} // namespace

TEST(Settings, RoundTripsThroughText) {
    const Settings s = sample();
    const ParsedSettings parsed = parse_settings(format_settings(s));
    EXPECT_TRUE(parsed.warnings.empty()) << parsed.warnings.front();
    EXPECT_EQ(parsed.settings, s);
}

TEST(Settings, RoundTripsThroughAFile) {
    const auto path = temp_path("file");
    ASSERT_TRUE(save_settings(path.string(), sample()).has_value());
    const ParsedSettings loaded = load_settings(path.string());
    EXPECT_TRUE(loaded.warnings.empty());
    EXPECT_EQ(loaded.settings, sample());
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
    std::filesystem::remove(path);
}

TEST(Settings, MissingFileGivesDefaultsWithoutWarning) {
    const ParsedSettings loaded = load_settings(temp_path("missing").string());
    EXPECT_TRUE(loaded.warnings.empty());
    EXPECT_EQ(loaded.settings, Settings{});
}

TEST(Settings, CorruptLinesAreSkippedWithWarningsAndGoodLinesKept) {
    const std::string text = "name = Grace\n"
                             "window = huge\n"
                             "vsync = perhaps\n"
                             "this line has no equals sign\n"
                             "bind.fire = NoSuchKey\n"
                             "bind.teleport = T\n"
                             "future_setting = 42\n"
                             "net_graph = on\n"
                             "name = \x01\x02\n"
                             "\xff\xfe garbage bytes\n"
                             "server = 10.0.0.1:7777\n";
    const ParsedSettings parsed = parse_settings(text);
    EXPECT_EQ(parsed.settings.name, "Grace");
    EXPECT_EQ(parsed.settings.window_width, 1280);
    EXPECT_EQ(parsed.settings.window_height, 720);
    EXPECT_TRUE(parsed.settings.vsync);
    EXPECT_TRUE(parsed.settings.net_graph);
    EXPECT_EQ(parsed.settings.bindings, default_bindings());
    EXPECT_EQ(parsed.settings.servers, std::vector<std::string>{"10.0.0.1:7777"});
    ASSERT_EQ(parsed.warnings.size(), 7u);
    EXPECT_NE(parsed.warnings[0].find("line 2"), std::string::npos);
    EXPECT_NE(parsed.warnings[0].find("kept 1280x720"), std::string::npos);
    EXPECT_NE(parsed.warnings[1].find("line 3"), std::string::npos);
}

TEST(Settings, TruncatedAndBinaryFilesNeverFail) {
    const std::string full = format_settings(sample());
    for (std::size_t cut = 0; cut < full.size(); cut += 7) {
        const ParsedSettings parsed = parse_settings(std::string_view(full).substr(0, cut));
        EXPECT_LE(parsed.settings.servers.size(), kMaxRememberedServers);
    }
    std::string noise;
    for (int i = 0; i < 5000; ++i) noise.push_back(static_cast<char>((i * 7919) % 256));
    const ParsedSettings parsed = parse_settings(noise);
    EXPECT_LE(parsed.warnings.size(), 20u);
}

TEST(Settings, ServerHistoryIsMostRecentFirstAndCapped) {
    Settings s;
    for (int i = 0; i < 12; ++i) remember_server(s, "host" + std::to_string(i) + ":7777");
    ASSERT_EQ(s.servers.size(), kMaxRememberedServers);
    EXPECT_EQ(s.servers.front(), "host11:7777");
    remember_server(s, "host8:7777");
    EXPECT_EQ(s.servers.front(), "host8:7777");
    EXPECT_EQ(s.servers.size(), kMaxRememberedServers);
    EXPECT_EQ(std::count(s.servers.begin(), s.servers.end(), "host8:7777"), 1);
}

TEST(Settings, SaveReportsAnUnwritableFolder) {
    const auto result = save_settings("/nonexistent-folder/skirmish/settings.txt", Settings{});
    ASSERT_FALSE(result.has_value());
    EXPECT_NE(result.error().find("cannot write"), std::string::npos);
}
