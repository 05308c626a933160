// tests/util/log_cli_test.cpp: --log-level, parsed one way in every binary.
#include "shared/util/log_cli.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using skirmish::util::LogLevel;

namespace {

// Parses argv as a binary's main() would; returns the exit code CLI11_PARSE
// would return (0: parsed), and the error text.
int parse(std::vector<std::string> args, LogLevel& level, std::string* error = nullptr) {
    CLI::App app{"test"};
    skirmish::util::add_log_level_option(app, level);
    args.insert(args.begin(), "binary");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        if (error) *error = e.what();
        return e.get_exit_code();
    }
    return 0;
}

} // namespace

TEST(LogLevelOption, ParsesEveryLevel) {
    for (const auto& [text, want] : {std::pair{"debug", LogLevel::Debug}, std::pair{"info", LogLevel::Info},
                                     std::pair{"warn", LogLevel::Warn}, std::pair{"error", LogLevel::Error},
                                     std::pair{"off", LogLevel::Off}}) {
        LogLevel level = LogLevel::Info;
        EXPECT_EQ(parse({"--log-level", text}, level), 0) << text;
        EXPECT_EQ(level, want) << text;
    }
}

TEST(LogLevelOption, KeepsTheDefaultWhenAbsent) {
    LogLevel level = LogLevel::Warn;
    EXPECT_EQ(parse({}, level), 0);
    EXPECT_EQ(level, LogLevel::Warn);
}

TEST(LogLevelOption, AnUnknownLevelIsAUsageErrorThatNamesTheChoices) {
    LogLevel level = LogLevel::Info;
    std::string error;
    EXPECT_EQ(parse({"--log-level", "verbose"}, level, &error), skirmish::util::kUsageExitCode);
    EXPECT_EQ(skirmish::util::kUsageExitCode, 2);
    EXPECT_NE(error.find("'verbose'"), std::string::npos) << error;
    EXPECT_NE(error.find("debug, info, warn, error or off"), std::string::npos) << error;
}

TEST(LogLevelOption, HelpShowsTheDefault) {
    CLI::App app{"test"};
    LogLevel level = LogLevel::Warn;
    skirmish::util::add_log_level_option(app, level);
    const std::string help = app.help();
    EXPECT_NE(help.find("--log-level"), std::string::npos) << help;
    EXPECT_NE(help.find("warn"), std::string::npos) << help;
}
