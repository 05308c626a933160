// bench/sim_step_bench.cpp: one simulation step for 8, 64 and 512 players.
//
// The arena grows with the player count (about the density of an 8-player
// match on "arena") so the numbers measure the rules, not a pile-up. Players
// run random inputs with fire and dash, so shots, hits, deaths and respawns
// are all in the mix. Run: build/release/bench/skirmish-bench-sim --benchmark_repetitions=5
#include "shared/sim/step.hpp"
#include "shared/util/rng.hpp"

#include <benchmark/benchmark.h>

#include <cmath>

using namespace skirmish::sim;

namespace {

std::shared_ptr<const Map> scaled_arena(int players) {
    auto map = std::make_shared<Map>();
    map->name = "bench";
    const float scale = std::sqrt(static_cast<float>(players) / 8.0f);
    map->width = std::min(4096.0f, 1600.0f * scale);
    map->height = std::min(4096.0f, 960.0f * scale);
    // A grid of pillars and bars, as dense as the shipped arena.
    for (float x = 200; x + 120 < map->width; x += 400) {
        for (float y = 160; y + 120 < map->height; y += 320) {
            map->walls.push_back({x, y, 60, 60});
            map->walls.push_back({x + 180, y + 120, 140, 20});
        }
    }
    for (float x = 40; x < map->width - 40; x += 150) {
        for (float y = 40; y < map->height - 40 && map->spawns.size() < kMaxSpawns; y += 600) map->spawns.push_back({x, y});
    }
    return map;
}

void BM_Step(benchmark::State& state) {
    const int players = static_cast<int>(state.range(0));
    Rules rules;
    rules.frag_limit = 0;
    rules.time_limit_s = 0;
    World world = make_world(scaled_arena(players));
    for (int i = 0; i < players; ++i) {
        Player* p = add_player(world, PlayerId{static_cast<std::uint32_t>(i + 1)}, rules);
        // Scatter them over the arena rather than stacking them on spawns.
        skirmish::util::Rng place(static_cast<std::uint64_t>(i));
        p->position = {static_cast<float>(place.uniform(20, world.map->width - 20)),
                       static_cast<float>(place.uniform(20, world.map->height - 20))};
    }
    PositionHistory history;
    skirmish::util::Rng rng(1);
    std::vector<PlayerInput> inputs(static_cast<std::size_t>(players));
    for (auto _ : state) {
        state.PauseTiming();
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            PlayerInput& in = inputs[i];
            in.player = world.players[i].id;
            in.move_x = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
            in.move_y = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
            in.aim = static_cast<std::uint16_t>(rng.below(4096));
            in.buttons = static_cast<std::uint8_t>(rng.below(4));
            in.view_tick = world.tick > 4 ? world.tick - 4 : 0;
        }
        state.ResumeTiming();
        benchmark::DoNotOptimize(step(world, inputs, rules, &history));
    }
    state.counters["players"] = players;
    state.counters["us_per_player"] = benchmark::Counter(
        static_cast<double>(players), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

} // namespace

BENCHMARK(BM_Step)->Arg(8)->Arg(64)->Arg(512)->Unit(benchmark::kMicrosecond);
