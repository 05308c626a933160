// Demo and view files are untrusted input: damaged records, random bytes and
// flipped bits in real files are refused (or read as far as they go) without
// a crash, an assert or unbounded memory, and what does decode re-simulates
// without a crash. (The fuzz harnesses of tests/fuzz cover the same readers.)
#include "demo_support.hpp"
#include "shared/demo/replay.hpp"
#include "shared/demo/view_format.hpp"
#include "shared/util/rng.hpp"

#include <gtest/gtest.h>

using namespace skirmish;

namespace {

std::vector<demo::Record> records_of(const std::vector<std::uint8_t>& bytes) {
    auto reader = demo::RecordReader::from_bytes(bytes, demo::kDemoMagic, demo::kDemoFormatVersion).value();
    std::vector<demo::Record> out;
    while (auto r = reader.next()) out.push_back(std::move(*r));
    return out;
}

void mutate(std::vector<std::uint8_t>& bytes, util::Rng& rng) {
    const int edits = 1 + static_cast<int>(rng.below(4));
    for (int i = 0; i < edits; ++i) {
        switch (rng.below(4)) {
        case 0:
            if (!bytes.empty()) bytes[rng.below(static_cast<std::uint32_t>(bytes.size()))] ^= static_cast<std::uint8_t>(1u << rng.below(8));
            break;
        case 1:
            if (!bytes.empty()) bytes[rng.below(static_cast<std::uint32_t>(bytes.size()))] = static_cast<std::uint8_t>(rng.below(256));
            break;
        case 2:
            if (!bytes.empty()) bytes.resize(rng.below(static_cast<std::uint32_t>(bytes.size())));
            break;
        default: bytes.push_back(static_cast<std::uint8_t>(rng.below(256))); break;
        }
    }
}

} // namespace

TEST(DemoGarbage, DamagedRecordsAreRefusedOrReplayedWithoutACrash) {
    const auto dir = test::demo_temp_dir("garbage");
    test::ScriptOptions options;
    options.ticks = 240;
    const auto records = records_of(test::read_bytes(test::record_scripted_match(dir, options)));
    ASSERT_GT(records.size(), 200u);
    util::Rng rng(1414);
    int refused = 0, replayed = 0;
    for (int run = 0; run < 300; ++run) {
        auto header = demo::decode_header(records[0].payload);
        ASSERT_TRUE(header);
        demo::Replay replay(*header);
        demo::DemoCodec codec;
        for (std::size_t i = 1; i < records.size(); ++i) {
            std::vector<std::uint8_t> payload = records[i].payload;
            std::uint8_t type = records[i].type;
            if (rng.below(40) == 0) mutate(payload, rng);
            if (rng.below(400) == 0) type = static_cast<std::uint8_t>(rng.below(10));
            auto event = codec.decode(type, payload);
            if (!event) {
                ++refused;
                break; // a reader stops at the first damaged record
            }
            (void)replay.apply(*event);
            ++replayed;
        }
        std::vector<std::uint8_t> header_bytes = records[0].payload;
        mutate(header_bytes, rng);
        if (auto h = demo::decode_header(header_bytes)) demo::Replay survives(*h);
    }
    EXPECT_GT(refused, 50);
    EXPECT_GT(replayed, 1000);
}

TEST(DemoGarbage, FlippedBytesInWholeFilesNeverCrashTheReaders) {
    const auto dir = test::demo_temp_dir("garbage-files");
    test::ScriptOptions options;
    options.ticks = 120;
    const auto demo_bytes = test::read_bytes(test::record_scripted_match(dir, options));
    util::Rng rng(7);
    for (int run = 0; run < 200; ++run) {
        std::vector<std::uint8_t> bytes = demo_bytes;
        mutate(bytes, rng);
        auto reader = demo::DemoReader::from_bytes(bytes);
        if (!reader) continue;
        const demo::VerifyReport report = demo::verify(*reader);
        EXPECT_LE(report.steps, 120u);
    }
    for (int run = 0; run < 200; ++run) {
        std::vector<std::uint8_t> bytes(rng.below(300));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.below(256));
        if (run % 2 == 0 && bytes.size() >= 8) std::copy_n("SKDEMO\1\0", 8, bytes.begin());
        auto reader = demo::DemoReader::from_bytes(bytes);
        if (reader) (void)demo::verify(*reader);
    }
}

TEST(ViewGarbage, DamagedViewRecordsAreRefusedWithoutACrash) {
    demo::ViewSnapshot snapshot;
    snapshot.state.players.resize(3);
    demo::ViewInput input;
    input.predicted = sim::Player{};
    input.shot = true;
    input.targets = {{2, {10, 20}, true}, {3, {30, 40}, false}};
    demo::ViewFrame frame;
    frame.players = {{1, {1, 2}, true, true}, {2, {3, 4}, true, false}};
    const std::vector<demo::ViewEvent> events{snapshot, input, frame, demo::ViewEnd{9, protocol::MatchEndReason::TimeLimit, "over"}};
    util::Rng rng(3);
    demo::ByteWriter out;
    for (const auto& event : events) {
        const auto type = demo::encode_view_event(event, out);
        const std::vector<std::uint8_t> good = out.bytes();
        ASSERT_TRUE(demo::decode_view_event(static_cast<std::uint8_t>(type), good));
        for (std::size_t cut = 0; cut < good.size(); ++cut)
            EXPECT_FALSE(demo::decode_view_event(static_cast<std::uint8_t>(type), {good.data(), cut}));
        for (int run = 0; run < 300; ++run) {
            std::vector<std::uint8_t> bytes = good;
            mutate(bytes, rng);
            (void)demo::decode_view_event(static_cast<std::uint8_t>(type), bytes);
        }
    }
}
