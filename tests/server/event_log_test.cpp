// The event log on its own: one JSON object per line with time and type first,
// names from players written safely, and a disk slower than the events (a FIFO
// nobody reads) never blocks emit(): lines are dropped and counted, and one
// events_dropped line says how many once the writer gets through.
#include "server/events/event_log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

using namespace skirmish;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "skirmish-events-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

std::vector<nlohmann::ordered_json> read_lines(const fs::path& file) {
    std::vector<nlohmann::ordered_json> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::ordered_json::parse(line));
    return out;
}

const std::regex kRfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

std::uint64_t fixed_time() { return 1'700'000'000'123; } // 2023-11-14T22:13:20.123Z

} // namespace

TEST(EventLog, WritesOneObjectPerLineWithTimeAndTypeFirst) {
    TempDir dir;
    const auto file = dir.path / "events.jsonl";
    {
        auto log = server::EventLog::open(file.string(), fixed_time, util::Logger("test", util::LogLevel::Off)).value();
        log->emit("lobby_join", {{"player_id", 7}, {"name", "alice \"the\" \n quick"}, {"address", "127.0.0.1"}});
        log->emit("server_stop");
        log->emit("odd", server::EventFields(42)); // not an object: kept under "value"
        ASSERT_TRUE(log->flush(5s));
        EXPECT_EQ(log->counters().written, 3u);
        EXPECT_EQ(log->counters().dropped, 0u);
    }
    const auto lines = read_lines(file);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].begin().key(), "time");
    EXPECT_EQ(std::next(lines[0].begin()).key(), "type");
    EXPECT_EQ(lines[0]["time"], "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(lines[0]["type"], "lobby_join");
    EXPECT_EQ(lines[0]["player_id"], 7);
    EXPECT_EQ(lines[0]["name"], "alice \"the\" \n quick");
    EXPECT_EQ(lines[1]["type"], "server_stop");
    EXPECT_EQ(lines[2]["value"], 42);
    for (const auto& l : lines) {
        EXPECT_TRUE(std::regex_match(l["time"].get<std::string>(), kRfc3339));
    }
}

TEST(EventLog, AppendsToAnExistingFileAndSurvivesInvalidUtf8) {
    TempDir dir;
    const auto file = dir.path / "events.jsonl";
    std::ofstream(file) << "{\"time\":\"old\",\"type\":\"earlier\"}\n";
    {
        auto log = server::EventLog::open(file.string(), fixed_time, util::Logger("test", util::LogLevel::Off)).value();
        log->emit("lobby_join", {{"name", std::string("bad \xff\xfe bytes")}});
    }
    const auto lines = read_lines(file);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["type"], "earlier");
    EXPECT_EQ(lines[1]["type"], "lobby_join");
}

TEST(EventLog, AFolderThatDoesNotExistIsOneClearError) {
    auto log = server::EventLog::open("/nonexistent-skirmish-dir/events.jsonl", fixed_time,
                                      util::Logger("test", util::LogLevel::Off));
    ASSERT_FALSE(log);
    EXPECT_NE(log.error().find("cannot open the event log /nonexistent-skirmish-dir/events.jsonl"), std::string::npos)
        << log.error();
}

// A FIFO that nobody reads is a disk that does not keep up: the writer blocks
// in write() once the pipe is full, and emit() must go on without waiting.
TEST(EventLog, ASlowDiskDropsAndCountsLinesAndNeverBlocksTheCaller) {
    TempDir dir;
    const auto fifo = dir.path / "slow";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK); // so the writer's open does not wait
    ASSERT_GE(reader, 0);
    constexpr std::size_t kQueueBytes = 16 * 1024;
    auto log = server::EventLog::open(fifo.string(), fixed_time, util::Logger("test", util::LogLevel::Off), kQueueBytes)
                   .value();
    const std::string padding(200, 'x');
    constexpr int kLines = 5000; // ~1.2 MB: far more than the pipe (64 KiB) and the queue hold
    auto slowest = std::chrono::steady_clock::duration::zero();
    for (int i = 0; i < kLines; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        log->emit("kill", {{"i", i}, {"padding", padding}});
        slowest = std::max(slowest, std::chrono::steady_clock::now() - t0);
    }
    const auto dropped = log->counters().dropped;
    EXPECT_GT(dropped, 0u) << "the queue is 16 KiB and nobody reads the FIFO";
    EXPECT_LT(slowest, 1s) << "emit() waited for the disk (which never comes back here)";

    // Now the disk catches up: read everything until the log says it is done.
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    char buffer[65536];
    while (std::chrono::steady_clock::now() < deadline) {
        const ssize_t n = read(reader, buffer, sizeof buffer);
        if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
        if (log->flush(10ms) && n <= 0) break;
    }
    while (true) {
        const ssize_t n = read(reader, buffer, sizeof buffer);
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    close(reader);
    const auto counters = log->counters();
    std::uint64_t kills = 0, reported_dropped = 0, lines = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        ++lines;
        if (j["type"] == "kill") ++kills;
        if (j["type"] == "events_dropped") reported_dropped += j["count"].get<std::uint64_t>();
    }
    EXPECT_EQ(kills + counters.dropped, static_cast<std::uint64_t>(kLines)) << "every line written or counted";
    EXPECT_EQ(reported_dropped, counters.dropped) << "the drops are in the log too";
    EXPECT_EQ(lines, counters.written);
}

TEST(EventLog, FormatsUnixMillisecondsAsUtc) {
    EXPECT_EQ(server::format_event_time(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(server::format_event_time(951'782'400'007), "2000-02-29T00:00:00.007Z");
}
