// sim::kRulesVersion tied to what the rules do: a fingerprint of the Rules
// defaults and of the outcome of a fixed, scripted match (movement, walls,
// dashes, lag-compensated shots, kills, respawns, a leave and a join, at three
// tick rates). Change the outcome without bumping the version and this fails.
#include "shared/demo/player_fields.hpp"
#include "shared/sim/hash.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules_version.hpp"
#include "shared/sim/step.hpp"
#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <type_traits>

using namespace skirmish;

namespace {

// One line per rules version, oldest first. Never edit a line: when the rules
// change on purpose, bump kRulesVersion and add a line with the new fingerprint.
struct VersionFingerprint {
    std::uint32_t version;
    std::uint64_t fingerprint;
};
constexpr VersionFingerprint kFingerprints[] = {
    {1, 0xa87267eec0610dc6ULL},
    {2, 0x294d8f94723257ccULL}, // spawn protection (issue 8 C)
};

class Fnv {
public:
    void add(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            hash_ ^= (v >> (8 * i)) & 0xffu;
            hash_ *= 0x100000001b3ULL;
        }
    }
    std::uint64_t value() const { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

std::shared_ptr<const sim::Map> scripted_map() {
    auto map = std::make_shared<sim::Map>();
    map->name = "scripted";
    map->width = 1200;
    map->height = 900;
    map->walls = {{300, 200, 40, 500}, {800, 100, 200, 30}, {600, 600, 300, 40}, {100, 450, 120, 20}};
    map->spawns = {{60, 60}, {1140, 60}, {60, 840}, {1140, 840}, {600, 450}, {450, 100}};
    return map;
}

// Each player aims at the nearest living other, fires, wanders with a seeded
// stick and dashes now and then; the view tick lags by a few ticks.
std::uint64_t scripted_match(int tick_rate, std::uint64_t& kills) {
    sim::Rules rules;
    rules.tick_rate_hz = tick_rate;
    rules.frag_limit = 0;
    rules.time_limit_s = 0;
    sim::World world = sim::make_world(scripted_map());
    sim::PositionHistory history(static_cast<std::size_t>(tick_rate) + 8);
    for (std::uint32_t id = 1; id <= 6; ++id) sim::add_player(world, sim::PlayerId{id}, rules);
    util::Rng rng(14);
    std::vector<sim::PlayerInput> inputs;
    const int ticks = 20 * tick_rate;
    for (int t = 0; t < ticks; ++t) {
        if (t == ticks / 3) sim::remove_player(world, sim::PlayerId{2});
        if (t == ticks / 2) sim::add_player(world, sim::PlayerId{9}, rules);
        inputs.clear();
        for (const sim::Player& p : world.players) {
            sim::PlayerInput in{p.id};
            const sim::Player* target = nullptr;
            float best = 1e30f;
            for (const sim::Player& q : world.players) {
                const float d = sim::dot(q.position - p.position, q.position - p.position);
                if (q.id != p.id && q.alive && d < best) best = d, target = &q;
            }
            if (target)
                in.aim = sim::aim_from_radians(std::atan2(target->position.y - p.position.y,
                                                          target->position.x - p.position.x));
            in.move_x = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
            in.move_y = static_cast<std::int8_t>(static_cast<int>(rng.below(255)) - 127);
            in.buttons = static_cast<std::uint8_t>(sim::buttons::kFire | (rng.below(40) == 0 ? sim::buttons::kDash : 0));
            in.view_tick = world.tick > 4 ? world.tick - 4 : 0;
            in.view_fraction = static_cast<std::uint8_t>(rng.below(256));
            inputs.push_back(in);
        }
        kills += sim::step(world, inputs, rules, &history).kills.size();
    }
    return sim::state_hash(world);
}

std::uint64_t fingerprint(std::uint64_t& kills) {
    Fnv f;
    const sim::Rules defaults;
    demo::visit_rules(defaults, [&](std::string_view, const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, float>) f.add(std::bit_cast<std::uint32_t>(value));
        else f.add(static_cast<std::uint64_t>(value));
    });
    for (int rate : {20, 60, 128}) f.add(scripted_match(rate, kills));
    return f.value();
}

} // namespace

TEST(RulesVersion, FingerprintIsTheOneRecordedForThisVersion) {
    std::uint64_t kills = 0;
    const std::uint64_t now = fingerprint(kills);
    EXPECT_GT(kills, 10u) << "the scripted match should exercise shots, kills and respawns";
    const VersionFingerprint* mine = nullptr;
    for (const auto& entry : kFingerprints)
        if (entry.version == sim::kRulesVersion) mine = &entry;
    ASSERT_NE(mine, nullptr) << "no fingerprint for rules version " << sim::kRulesVersion << ": add {"
                             << sim::kRulesVersion << ", 0x" << std::hex << now << "ULL} to kFingerprints";
    EXPECT_EQ(mine->fingerprint, now)
        << "The outcome of the scripted match changed (fingerprint 0x" << std::hex << now << ", rules version "
        << std::dec << sim::kRulesVersion << " has 0x" << std::hex << mine->fingerprint << ").\n"
        << "If you changed the rules on purpose: bump kRulesVersion in shared/sim/rules_version.hpp, add {"
        << std::dec << sim::kRulesVersion + 1 << ", 0x" << std::hex << now
        << "ULL} to kFingerprints here, and re-record the demo corpus (docs/DEMO.md, \"When the rules change on "
           "purpose\").\nIf you did not, this change alters the outcome of matches: find out why.";
}

TEST(RulesVersion, EveryVersionHasItsOwnFingerprint) {
    for (std::size_t i = 1; i < std::size(kFingerprints); ++i) {
        EXPECT_EQ(kFingerprints[i].version, kFingerprints[i - 1].version + 1) << "versions go up one at a time";
        for (std::size_t j = 0; j < i; ++j)
            EXPECT_NE(kFingerprints[i].fingerprint, kFingerprints[j].fingerprint)
                << "rules version " << kFingerprints[i].version << " plays exactly like version "
                << kFingerprints[j].version << ": a version is bumped only when the outcome changes";
    }
    EXPECT_EQ(kFingerprints[std::size(kFingerprints) - 1].version, sim::kRulesVersion)
        << "the newest line is the current version";
}
