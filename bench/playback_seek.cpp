// bench/playback_seek.cpp: skirmish-playback-seek, what the client's demo
// playback costs (docs/DEMO.md, "Playback in the client").
//
//   skirmish-playback-seek [FILE.skdemo] [--synthesize-seconds S --players N --tick-rate HZ] [--seeks N] [--runs R]
//
// Opens the demo as the client does (read, decompress, one re-simulation pass
// with a checkpoint a second) and times it; then seeks to random ticks, one
// tick back (the step back key) and 5 s forward, and prints the median, p99
// and maximum of each. Without FILE it first writes a scripted match of
// --players players (they run round the arena and fire at the nearest) with
// the real DemoRecorder. Not a timed test: quote medians of several runs and
// the machine's load.
#include "client/app/demo_playback.hpp"
#include "shared/demo/demo_recorder.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules_version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

namespace {

using namespace skirmish;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::filesystem::path synthesize(const std::filesystem::path& map_file, int seconds, int players, int rate) {
    const auto path = std::filesystem::temp_directory_path() / fmt::format("playback-seek-{}.skdemo", ::getpid());
    auto map = protocol::load_map_file(map_file, 14.0f);
    if (!map) throw std::runtime_error(map.error());
    sim::Rules rules;
    rules.tick_rate_hz = rate;
    rules.time_limit_s = 0;
    rules.frag_limit = 0;
    demo::DemoHeader header;
    header.rules_version = sim::kRulesVersion;
    header.server_version = "bench";
    header.match_id = 1;
    header.snapshot_rate_hz = static_cast<std::uint16_t>(rate / 2);
    header.settings.map = map->name;
    header.settings.max_players = static_cast<std::uint8_t>(players);
    header.rules = rules;
    header.history_ticks = static_cast<std::uint32_t>(rate) * 2;
    header.state_interval_ticks = static_cast<std::uint32_t>(rate);
    header.map = *map;
    auto recorder = demo::DemoRecorder::create(path, header);
    if (!recorder) throw std::runtime_error(recorder.error());
    sim::World world = sim::make_world(std::make_shared<const sim::Map>(*map));
    sim::PositionHistory history(header.history_ticks);
    for (int id = 1; id <= players; ++id) {
        (*recorder)->joined({0, static_cast<std::uint32_t>(id), fmt::format("p{}", id), 0, 0});
        sim::add_player(world, sim::PlayerId{static_cast<std::uint32_t>(id)}, rules);
    }
    std::vector<demo::RecordedInput> inputs;
    std::vector<sim::PlayerInput> plain;
    for (sim::Tick t = 0; t < static_cast<sim::Tick>(seconds * rate); ++t) {
        inputs.clear();
        plain.clear();
        for (const sim::Player& p : world.players) {
            demo::RecordedInput r;
            r.input.player = p.id;
            const double phase = t * 0.02 + sim::to_int(p.id);
            r.input.move_x = static_cast<std::int8_t>(std::lround(120 * std::cos(phase)));
            r.input.move_y = static_cast<std::int8_t>(std::lround(120 * std::sin(phase * 0.7)));
            const sim::Player* nearest = nullptr;
            for (const sim::Player& q : world.players) {
                if (q.id == p.id || !q.alive) continue;
                if (!nearest || std::hypot(q.position.x - p.position.x, q.position.y - p.position.y) <
                                    std::hypot(nearest->position.x - p.position.x, nearest->position.y - p.position.y))
                    nearest = &q;
            }
            if (nearest) {
                r.input.aim = sim::aim_from_radians(
                    std::atan2(nearest->position.y - p.position.y, nearest->position.x - p.position.x));
                r.input.buttons = (t + sim::to_int(p.id)) % 7 == 0 ? 1 : 0;
            }
            r.input.view_tick = t > 6 ? t - 6 : 0;
            inputs.push_back(r);
            plain.push_back(r.input);
        }
        sim::step(world, plain, rules, &history);
        (*recorder)->stepped(t, inputs, world);
    }
    world.phase = sim::MatchPhase::Over;
    (*recorder)->ended(world, protocol::MatchEndReason::ServerShutdown, false);
    (*recorder)->finish({}, world.tick);
    return path;
}

struct Spread {
    double median = 0, p99 = 0, max = 0;
};
Spread spread(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return {};
    return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back()};
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"skirmish-playback-seek: what the client's demo playback costs (open, seek, step back)"};
    std::string file, map = "assets/maps/arena.json";
    int seconds = 300, players = 8, rate = 60, seeks = 300, runs = 3;
    cli.add_option("file", file, "A demo (.skdemo); without it a scripted match is written first");
    cli.add_option("--synthesize-seconds", seconds, "Length of the scripted match")->check(CLI::Range(1, 7200));
    cli.add_option("--players", players, "Players in the scripted match")->check(CLI::Range(2, 64));
    cli.add_option("--tick-rate", rate, "Tick rate of the scripted match")->check(CLI::Range(10, 128));
    cli.add_option("--map", map, "Map file of the scripted match");
    cli.add_option("--seeks", seeks, "Random seeks per run")->check(CLI::Range(1, 100000));
    cli.add_option("--runs", runs, "Runs")->check(CLI::Range(1, 100));
    CLI11_PARSE(cli, argc, argv);

    std::filesystem::path path = file;
    bool temporary = false;
    if (file.empty()) {
        const auto t = Clock::now();
        path = synthesize(map, seconds, players, rate);
        temporary = true;
        fmt::print("wrote a scripted match: {} players, {} s at {} Hz, {} bytes, in {:.0f} ms\n", players, seconds,
                   rate, std::filesystem::file_size(path), ms_since(t));
    }
    std::vector<double> opens;
    std::vector<double> random, back, forward;
    std::mt19937 rng(1);
    for (int run = 0; run < runs; ++run) {
        const auto t = Clock::now();
        auto playback = app::DemoPlayback::open(path);
        if (!playback) {
            fmt::print(stderr, "skirmish-playback-seek: {}\n", playback.error());
            return 1;
        }
        opens.push_back(ms_since(t));
        if (run == 0)
            fmt::print("{} ticks, {} checkpoints (every {} ticks), {} kills, {} re-simulation checks differ\n",
                       playback->end_tick(), playback->checkpoints(), playback->checkpoint_interval(),
                       playback->kills().size(), playback->mismatches());
        std::uniform_int_distribution<sim::Tick> any(0, playback->end_tick());
        for (int i = 0; i < seeks; ++i) {
            auto s = Clock::now();
            playback->seek(any(rng));
            random.push_back(ms_since(s));
            s = Clock::now();
            playback->step_back();
            back.push_back(ms_since(s));
            s = Clock::now();
            playback->seek(playback->tick() + static_cast<sim::Tick>(5 * playback->tick_rate()));
            forward.push_back(ms_since(s));
        }
    }
    const Spread o = spread(opens), r = spread(random), b = spread(back), f = spread(forward);
    fmt::print("open (read, decompress, re-simulate once): median {:.1f} ms, max {:.1f} ms over {} runs\n", o.median,
               o.max, runs);
    fmt::print("seek to a random tick: median {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms ({} seeks)\n", r.median, r.p99,
               r.max, random.size());
    fmt::print("one tick back:         median {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n", b.median, b.p99, b.max);
    fmt::print("5 s forward:           median {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n", f.median, f.p99, f.max);
    if (temporary) std::filesystem::remove(path);
    return 0;
}
