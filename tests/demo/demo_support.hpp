// tests/demo/demo_support.hpp
//
// For the demo tests: a scripted match played by a real server::Match with a
// recorder (inputs offered the way the network offers them: some early, some
// missing, one player silent), and a rewriter that copies a demo through the
// codec with one event edited (the "corrupt one input / one hash" copies).
#pragma once

#include "server/game/demo_recording.hpp"
#include "server/game/match.hpp"
#include "shared/demo/demo_reader.hpp"
#include "shared/sim/quantise.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <memory>

namespace skirmish::test {

inline std::filesystem::path demo_temp_dir(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("skirmish-demo-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

struct ScriptOptions {
    int tick_rate = 60;
    int ticks = 600;          // then the server ends it, unless the rules did first
    int frag_limit = 0;
    int state_interval = 0;   // 0: a second
    // Called after each step with the match (to copy the file mid-match, ...).
    std::function<void(const server::Match&)> after_step;
};

// Four players: 1-3 aim at the nearest other and fire, 4 never sends an input.
// Player 2's inputs skip every 7th tick (repeated), 3 leaves at a third of
// the way and comes back (same name, new id 13) at half. Returns the demo's path.
inline std::filesystem::path record_scripted_match(const std::filesystem::path& dir, const ScriptOptions& o,
                                                   protocol::MatchResults* results = nullptr) {
    server::MatchOrder order;
    order.match_id = protocol::MatchId{3};
    order.room_id = protocol::RoomId{5};
    order.settings.map = "wall";
    sim::Rules rules;
    rules.tick_rate_hz = o.tick_rate;
    rules.frag_limit = o.frag_limit;
    rules.time_limit_s = 0;
    server::Match match(order, wall_map(), rules);
    const util::Logger log("test", util::LogLevel::Warn);
    EXPECT_TRUE(server::start_recording(match, {dir.string(), 30, o.state_interval}, 1717171717000, log));
    for (std::uint32_t id = 1; id <= 4; ++id) match.add_player(sim::PlayerId{id}, "p" + std::to_string(id));
    for (int t = 0; t < o.ticks && !match.over(); ++t) {
        if (t == o.ticks / 3) match.remove_player(sim::PlayerId{3});
        if (t == o.ticks / 2) match.add_player(sim::PlayerId{13}, "p3");
        for (const sim::Player& p : match.world().players) {
            const std::uint32_t id = sim::to_int(p.id);
            if (id == 4 || (id == 2 && t % 7 == 3)) continue;
            protocol::TickInput in;
            in.tick = match.world().tick;
            const sim::Player* target = nullptr;
            float best = 1e30f;
            for (const sim::Player& q : match.world().players) {
                const float d = sim::dot(q.position - p.position, q.position - p.position);
                if (q.id != p.id && q.alive && d < best) best = d, target = &q;
            }
            if (target)
                in.input.aim = sim::aim_from_radians(
                    std::atan2(target->position.y - p.position.y, target->position.x - p.position.x));
            in.input.move_x = static_cast<std::int8_t>((t / 40 + static_cast<int>(id)) % 3 * 127 - 127);
            in.input.move_y = static_cast<std::int8_t>((t / 25) % 2 ? 90 : -90);
            in.input.buttons = sim::buttons::kFire | (t % 97 == static_cast<int>(id) ? sim::buttons::kDash : 0);
            in.input.view_tick = in.tick > 3 ? in.tick - 3 : 0;
            in.input.view_fraction = static_cast<std::uint8_t>(t * 31);
            match.offer_input(p.id, in);
        }
        match.step();
        if (o.after_step) o.after_step(match);
    }
    if (!match.over()) match.end(protocol::MatchEndReason::NotEnoughPlayers);
    if (results) *results = match.results();
    EXPECT_FALSE(match.recorder()->failed()) << match.recorder()->error();
    return match.recorder()->path();
}

// Copies `from` to `to` through the codec, letting `edit` change each event.
inline void rewrite_demo(const std::filesystem::path& from, const std::filesystem::path& to,
                         const std::function<void(demo::DemoEvent&)>& edit,
                         const std::function<void(demo::DemoHeader&)>& edit_header = {}) {
    auto reader = demo::DemoReader::open(from).value();
    std::filesystem::remove(to);
    auto writer = demo::RecordWriter::create(to, demo::kDemoMagic, demo::kDemoFormatVersion).value();
    demo::DemoHeader header = reader.header();
    if (edit_header) edit_header(header);
    writer->append(static_cast<std::uint8_t>(demo::DemoRecordType::Header), demo::encode_header(header));
    demo::DemoCodec codec;
    demo::ByteWriter scratch;
    while (auto event = reader.next()) {
        edit(*event);
        const auto type = codec.encode(*event, scratch);
        writer->append(static_cast<std::uint8_t>(type), scratch.bytes());
    }
    ASSERT_TRUE(writer->close());
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

} // namespace skirmish::test
