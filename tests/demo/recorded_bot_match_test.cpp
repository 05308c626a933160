// Whole bot matches on a real server (lobby + game port on 127.0.0.1), with
// --record-dir and the bots' --record-view-dir: the server's demo re-simulates
// with no mismatch at 30, 60 and 128 Hz, and each recorded bot's view lines
// up with it tick by tick (the same inputs at the same ticks, the snapshots it
// received equal to the re-simulated world at their ticks).
#include "client/bots/fleet.hpp"
#include "server/server.hpp"
#include "shared/demo/replay.hpp"
#include "shared/demo/view_format.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

using namespace skirmish;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& dir, const std::string& extension) {
    std::vector<fs::path> out;
    if (!fs::exists(dir)) return out;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == extension) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

struct ViewTrack {
    demo::ViewHeader header;
    std::map<sim::Tick, sim::PlayerInput> inputs;              // by input tick
    std::map<sim::Tick, protocol::SnapshotState> snapshots;    // by server tick
    std::size_t frames = 0, shots = 0;
    bool ended = false;
};

ViewTrack read_view(const fs::path& path) {
    ViewTrack track;
    auto reader = demo::ViewReader::open(path);
    EXPECT_TRUE(reader) << (reader ? "" : reader.error());
    if (!reader) return track;
    track.header = reader->header();
    while (auto event = reader->next()) {
        if (auto* in = std::get_if<demo::ViewInput>(&*event)) {
            track.inputs[in->tick] = in->input;
            track.shots += in->shot;
        } else if (auto* s = std::get_if<demo::ViewSnapshot>(&*event)) {
            track.snapshots[s->header.server_tick] = s->state;
        } else if (std::holds_alternative<demo::ViewFrame>(*event)) {
            ++track.frames;
        } else {
            track.ended = true;
        }
    }
    EXPECT_EQ(reader->ending(), demo::Ending::Complete) << path << ": " << reader->ending_text();
    return track;
}

// Re-simulates `demo_path`, comparing it with a bot's view as it goes.
void check_alignment(const fs::path& demo_path, const ViewTrack& view) {
    auto reader = demo::DemoReader::open(demo_path).value();
    demo::Replay replay(reader.header());
    const std::uint32_t me = view.header.player_id;
    std::size_t applied = 0, same = 0, snapshots_compared = 0;
    sim::Tick first_applied = 0, last_applied = 0;
    while (auto event = reader.next()) {
        ASSERT_FALSE(replay.apply(*event)) << "the demo itself does not verify";
        const auto* tick = std::get_if<demo::TickEvent>(&*event);
        if (!tick) continue;
        for (const demo::RecordedInput& r : tick->inputs) {
            if (r.input.player != sim::PlayerId{me} || r.source != demo::InputSource::Applied) continue;
            ++applied;
            if (!first_applied) first_applied = tick->tick;
            last_applied = tick->tick;
            auto sent = view.inputs.find(tick->tick);
            ASSERT_NE(sent, view.inputs.end()) << "the server applied an input at tick " << tick->tick
                                               << " the bot never made";
            EXPECT_EQ(sent->second, r.input) << "tick " << tick->tick;
            same += sent->second == r.input;
        }
        // The world after this step is what a snapshot of the new tick carries.
        if (auto snap = view.snapshots.find(replay.world().tick); snap != view.snapshots.end()) {
            ++snapshots_compared;
            ASSERT_EQ(snap->second.players.size(), replay.world().players.size()) << "tick " << snap->first;
            for (std::size_t i = 0; i < snap->second.players.size(); ++i) {
                const auto diff = demo::compare_players(snap->second.players[i], replay.world().players[i]);
                EXPECT_TRUE(diff.empty()) << "tick " << snap->first << " player "
                                          << sim::to_int(snap->second.players[i].id) << ": " << diff.front().describe();
            }
        }
    }
    EXPECT_GT(applied, 50u);
    EXPECT_EQ(same, applied);
    EXPECT_GT(snapshots_compared, 20u);
    // On loopback nearly every input the bot made in its stay was applied.
    std::size_t made = 0;
    for (const auto& [t, in] : view.inputs) made += t >= first_applied && t <= last_applied;
    EXPECT_GE(static_cast<double>(applied), 0.9 * static_cast<double>(made));
}

} // namespace

class RecordedBotMatch : public ::testing::TestWithParam<int> {};

TEST_P(RecordedBotMatch, VerifiesBitForBitAndTheBotsViewsAlignTickByTick) {
    const int rate = GetParam();
    const fs::path dir = fs::temp_directory_path() /
                         ("skirmish-recorded-" + std::to_string(::getpid()) + "-" + std::to_string(rate));
    fs::remove_all(dir);
    auto enet = net::EnetLibrary::initialize().value();
    util::Logger log("test", util::LogLevel::Warn);
    server::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.maps = {*test::open_map(), *test::wall_map()};
    config.shutdown_grace = 300ms;
    config.game.tick_rate_hz = rate;
    config.game.record_dir = (dir / "demos").string();
    auto server = server::Server::start(enet, config, log).value();

    bots::FleetOptions options;
    options.server_port = server->port();
    options.bots = 4;
    options.room_size = 4;
    options.duration_s = 6;
    options.ramp_per_s = 0;
    options.live = nullptr;
    options.record_view_dir = (dir / "views").string();
    options.record_view_sample = 2;
    fs::create_directories(options.record_view_dir);
    const std::atomic<bool> stop{false};
    const bots::Report report = bots::Fleet(enet, options, log).run(stop);
    EXPECT_EQ(report.connected, 4u);
    server->stop(); // ends the match (shutdown): the demo gets its scoreboard

    const auto demos = files_in(dir / "demos", ".skdemo");
    ASSERT_EQ(demos.size(), 1u);
    {
        auto reader = demo::DemoReader::open(demos[0]).value();
        EXPECT_EQ(reader.header().rules.tick_rate_hz, rate);
        const demo::VerifyReport verified = demo::verify(reader);
        EXPECT_EQ(verified.mismatches, 0u) << (verified.first ? verified.first->text : "");
        EXPECT_EQ(verified.ending, demo::Ending::Complete) << verified.ending_text;
        EXPECT_GT(verified.steps, static_cast<std::uint64_t>(2 * rate));
        ASSERT_TRUE(verified.results);
        EXPECT_EQ(verified.results->reason, protocol::MatchEndReason::ServerShutdown);
        EXPECT_EQ(verified.results->scores.size(), 4u);
    }

    const auto views = files_in(dir / "views", ".skview");
    ASSERT_EQ(views.size(), 2u);
    std::set<std::uint32_t> players;
    for (const fs::path& path : views) {
        SCOPED_TRACE(path.string());
        const ViewTrack view = read_view(path);
        EXPECT_TRUE(view.ended);
        EXPECT_EQ(view.header.tick_rate_hz, rate);
        EXPECT_GT(view.frames, 50u);
        players.insert(view.header.player_id);
        check_alignment(demos[0], view);
    }
    EXPECT_EQ(players.size(), 2u);
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(TickRates, RecordedBotMatch, ::testing::Values(30, 60, 128));
