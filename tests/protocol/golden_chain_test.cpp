// The delta chain (tests/data/snapshot_chain/, described in tests/data/README.md):
// the last 14 ticks of a scripted match at 60 Hz, a full snapshot and then six
// deltas, each against the previous snapshot the client acknowledged, while
// players join, die, leave and the time runs out. Each vector is our encoder's
// output byte for byte, decoded back step by step against the one before, and
// chain.txt lists what each decodes to on the wire grid, so a decoder in
// another language can be checked one snapshot at a time.
// SKIRMISH_WRITE_GOLDEN=1 rewrites them (only when the format changes on purpose).
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/protocol/snapshot_fields.hpp"
#include "support/golden.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

using namespace skirmish;

namespace {

constexpr int kTickRate = 60;
constexpr sim::Tick kStart = 17986; // the time limit (300 s at 60 Hz) ends the match at tick 18000

struct Step {
    std::string file;
    protocol::SnapshotHeader header; // baseline_tick 0: full
    protocol::SnapshotState state;
};

// A player added to the match between steps, when the next step was `tick`:
// spawn-protected for 90 ticks (1.5 s).
sim::Player joined(std::uint32_t id, float x, float y, sim::Tick tick) {
    sim::Player p;
    p.id = sim::PlayerId{id};
    p.position = {x, y};
    p.health = 100;
    p.alive = true;
    p.protected_until_tick = tick + 90;
    return p;
}

sim::Player& find(protocol::SnapshotState& s, std::uint32_t id) {
    for (sim::Player& p : s.players) {
        if (p.id == sim::PlayerId{id}) return p;
    }
    ADD_FAILURE() << "no player " << id;
    return s.players.front();
}

void remove(protocol::SnapshotState& s, std::uint32_t id) {
    std::erase_if(s.players, [&](const sim::Player& p) { return p.id == sim::PlayerId{id}; });
}

void insert(protocol::SnapshotState& s, const sim::Player& p) {
    auto it = std::lower_bound(s.players.begin(), s.players.end(), p.id,
                               [](const sim::Player& q, sim::PlayerId id) { return q.id < id; });
    s.players.insert(it, p);
}

protocol::SnapshotHeader header(sim::Tick tick, sim::Tick baseline, std::int32_t lead, sim::Tick held) {
    return {tick, baseline, tick - 1, lead, held};
}

std::string name_of(std::size_t n, sim::Tick tick, sim::Tick baseline) {
    return baseline == 0 ? fmt::format("snapshot_chain/chain_{}_tick{}_full.hex", n, tick)
                         : fmt::format("snapshot_chain/chain_{}_tick{}_base{}.hex", n, tick, baseline);
}

// The script; tests/data/README.md tells it in words.
std::vector<Step> chain() {
    std::vector<Step> steps;
    const auto add = [&](sim::Tick baseline, std::int32_t lead, sim::Tick held, const protocol::SnapshotState& s) {
        steps.push_back({name_of(steps.size(), s.tick, baseline), header(s.tick, baseline, lead, held), s});
    };

    // 0: tick 17986, full. 3 runs right with 25 health; 7 stands facing left.
    protocol::SnapshotState s;
    s.tick = kStart;
    sim::Player p3 = joined(3, 400.0f, 300.0f, 17500); // respawned in step 17500
    p3.velocity = {280.0f, 0.0f};
    p3.health = 25;
    p3.respawn_tick = 17500;
    p3.next_fire_tick = 17970;
    p3.next_dash_tick = 17900;
    p3.dash_end_tick = 17818;
    p3.frags = 2;
    p3.deaths = 1;
    p3.hits = 9;
    sim::Player p7 = joined(7, 900.0f, 300.0f, 0); // there from the start
    p7.aim = 2048;
    p7.next_fire_tick = 17980;
    p7.frags = 4;
    p7.hits = 12;
    s.players = {p3, p7};
    add(0, 2, kStart + 1, s);

    // 1: tick 17988 against 17986. 3 ran on (exactly as predicted); 7 turned
    // and moves up; 9 joined.
    s.tick = kStart + 2;
    find(s, 3).position = {409.375f, 300.0f};
    find(s, 7).aim = 2030;
    find(s, 7).velocity = {0.0f, -93.25f};
    find(s, 7).position = {900.0f, 298.125f};
    insert(s, joined(9, 1200.0f, 800.0f, 17987));
    add(kStart, 2, kStart + 3, s);

    // 2: tick 17990 against 17988. 7 killed 3 in step 17989.
    s.tick = kStart + 4;
    {
        sim::Player& dead = find(s, 3);
        dead.position = {414.0f, 300.0f};
        dead.velocity = {};
        dead.health = 0;
        dead.alive = false;
        dead.respawn_tick = 17989 + 1 + 120;
        dead.deaths = 2;
        sim::Player& killer = find(s, 7);
        killer.aim = 2048;
        killer.velocity = {0.0f, -140.0f};
        killer.position = {900.0f, 295.75f};
        killer.next_fire_tick = 17989 + 12;
        killer.frags = 5;
        killer.hits = 13;
    }
    add(kStart + 2, 2, kStart + 5, s);

    // (The snapshot of 17992 was lost: the client's newest ack stays 17990.)
    // 3: tick 17994 against 17990. 3 left; 7 dashed left in step 17991; 9
    // turned and walks left; 12 and 15 joined.
    s.tick = kStart + 8;
    remove(s, 3);
    find(s, 7).velocity = {-900.0f, 0.0f};
    find(s, 7).position = {855.0f, 293.5f};
    find(s, 7).dash_end_tick = 17991 + 8;
    find(s, 7).next_dash_tick = 17991 + 90;
    find(s, 9).aim = 4090;
    find(s, 9).velocity = {-46.75f, 0.0f};
    find(s, 9).position = {1199.25f, 800.0f};
    insert(s, joined(12, 200.0f, 1000.0f, 17991));
    insert(s, joined(15, 1400.0f, 200.0f, 17993));
    add(kStart + 4, 3, kStart + 10, s);

    // 4: tick 17996 against 17994. 7 dashes on (as predicted); 9's aim wraps
    // past 0 and it speeds up; 12 left; 15 walks up and left.
    s.tick = kStart + 10;
    find(s, 7).position = {825.0f, 293.5f};
    find(s, 9).aim = 6;
    find(s, 9).velocity = {-80.0f, 0.0f};
    find(s, 9).position = {1197.5f, 800.0f};
    remove(s, 12);
    find(s, 15).aim = 2560;
    find(s, 15).velocity = {-46.75f, -46.75f};
    find(s, 15).position = {1399.25f, 199.25f};
    add(kStart + 8, 2, kStart + 11, s);

    // 5: tick 17998 against 17996. 4 joined (below every kept id); 9 hit 7 in
    // step 17997, which ended 9's spawn protection; everyone else as predicted.
    s.tick = kStart + 12;
    insert(s, joined(4, 600.0f, 600.0f, 17997));
    find(s, 7).position = {795.0f, 293.5f};
    find(s, 7).health = 75;
    find(s, 9).position = {1194.875f, 800.0f};
    find(s, 9).next_fire_tick = 17997 + 12;
    find(s, 9).protected_until_tick = 17997;
    find(s, 9).hits = 1;
    find(s, 15).position = {1397.75f, 197.75f};
    add(kStart + 10, 2, kStart + 13, s);

    // 6: tick 18000 against 17998: the time limit; the match is over. 7's dash
    // ended (step 17999 slowed it by friction); 9 and 15 as predicted.
    s.tick = kStart + 14;
    s.phase = sim::MatchPhase::Over;
    find(s, 7).velocity = {-780.0f, 0.0f};
    find(s, 7).position = {767.0f, 293.5f};
    find(s, 9).position = {1192.25f, 800.0f};
    find(s, 15).position = {1396.25f, 196.25f};
    add(kStart + 12, 2, kStart + 15, s);
    return steps;
}

// What a snapshot decodes to, on the wire grid, one line per player.
std::string describe(const std::string& file, const protocol::DecodedSnapshot& d) {
    const protocol::SnapshotHeader& h = d.header;
    std::string out = fmt::format("snapshot {}\n", file.substr(file.find('/') + 1));
    out += fmt::format("  server_tick {} baseline {} last_input_tick {} input_lead {} inputs_held_through {} phase {}\n",
                       h.server_tick, h.baseline_tick == 0 ? std::string("full") : std::to_string(h.baseline_tick),
                       h.last_input_tick, h.input_lead, h.inputs_held_through,
                       d.state.phase == sim::MatchPhase::Over ? "over" : "running");
    for (const sim::Player& p : d.state.players) {
        out += fmt::format("  player {}", sim::to_int(p.id));
        for (const auto& field : protocol::detail::kPlayerFields) out += fmt::format(" {} {}", field.name, field.get(p));
        out += "\n";
    }
    return out;
}

} // namespace

TEST(GoldenVectors, DeltaChainDecodesStepByStep) {
    const auto steps = chain();
    std::map<sim::Tick, protocol::SnapshotState> decoded; // what the client holds, by tick
    std::string expected =
        "# The delta chain decoded (tests/data/README.md, \"The delta chain\"). Field values are on the wire\n"
        "# grid: positions in 1/8 units, velocities in 1/4 units/s, aim in 1/4096 turns, ticks absolute.\n";
    for (const Step& step : steps) {
        const protocol::SnapshotState* baseline = nullptr;
        if (step.header.baseline_tick != 0) {
            auto it = decoded.find(step.header.baseline_tick);
            ASSERT_NE(it, decoded.end()) << step.file << ": its baseline was not decoded before it";
            baseline = &it->second;
        }
        const auto bytes = protocol::encode_snapshot(step.header, step.state, baseline, kTickRate);
        test::check_golden(step.file, bytes);
        auto back = protocol::decode_snapshot(
            bytes,
            [&](sim::Tick t) -> const protocol::SnapshotState* {
                auto it = decoded.find(t);
                return it == decoded.end() ? nullptr : &it->second;
            },
            kTickRate);
        ASSERT_TRUE(back.has_value()) << step.file;
        EXPECT_EQ(back->state, step.state) << step.file;
        EXPECT_EQ(back->header.baseline_tick, step.header.baseline_tick) << step.file;
        EXPECT_EQ(back->header.last_input_tick, step.header.last_input_tick) << step.file;
        EXPECT_EQ(back->header.input_lead, step.header.input_lead) << step.file;
        EXPECT_EQ(back->header.inputs_held_through, step.header.inputs_held_through) << step.file;
        expected += describe(step.file, back.value());
        decoded[step.state.tick] = back->state;
    }
    test::check_golden_text("snapshot_chain/chain.txt", expected);
}

TEST(GoldenVectors, DeltaChainCoversAddedRemovedAndPredictedEntities) {
    // The script does what the chain is for: entities added and removed, some
    // left to prediction, an ack gap, the end of the match.
    const auto steps = chain();
    std::size_t added = 0, removed = 0, gaps = 0;
    for (std::size_t i = 1; i < steps.size(); ++i) {
        const auto& before = steps[i - 1].state.players;
        const auto& now = steps[i].state.players;
        const auto has = [](const std::vector<sim::Player>& v, sim::PlayerId id) {
            return std::any_of(v.begin(), v.end(), [&](const sim::Player& p) { return p.id == id; });
        };
        for (const auto& p : now) added += has(before, p.id) ? 0 : 1;
        for (const auto& p : before) removed += has(now, p.id) ? 0 : 1;
        if (steps[i].header.server_tick - steps[i].header.baseline_tick > 2) ++gaps;
        EXPECT_EQ(steps[i].header.baseline_tick, steps[i - 1].header.server_tick) << "each against the one before";
    }
    // Entities written (changed or added); the rest are predicted, as the README says.
    const std::vector<std::uint64_t> written = {2, 2, 2, 4, 2, 3, 1};
    ASSERT_EQ(written.size(), steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        protocol::StreamStats stats;
        protocol::encode_entity_stream(steps[i].state, i == 0 ? nullptr : &steps[i - 1].state, kTickRate, &stats);
        EXPECT_EQ(stats.entities_written, written[i]) << steps[i].file;
    }
    EXPECT_GE(added, 4u);
    EXPECT_GE(removed, 2u);
    EXPECT_EQ(gaps, 1u);
    EXPECT_EQ(steps.back().state.phase, sim::MatchPhase::Over);
}
