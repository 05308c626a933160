// The regression corpus (tests/data/demos/, docs/DEMO.md): short demos of
// real bot matches that this build must re-simulate bit for bit. A change
// that alters the outcome of matches fails here with the tick, the player and
// the field; a rules version bump fails here until the corpus is re-recorded
// (scripts/record-demo-corpus).
#include "shared/demo/replay.hpp"
#include "shared/sim/rules_version.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

using namespace skirmish;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(test::source_dir() / "tests" / "data" / "demos"))
        if (entry.path().extension() == ".skdemo") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

constexpr const char* kReRecord = "If the rules changed on purpose, bump sim::kRulesVersion and re-record the corpus: "
                                  "scripts/record-demo-corpus (docs/DEMO.md, \"When the rules change on purpose\").";

// Re-simulates the rest of `reader` with `header` (the demo's own, or one
// edited to stand for other rules) and says why the demo fails, or "".
std::string corpus_failure(demo::DemoReader& reader, const demo::DemoHeader& header) {
    if (const std::string other = demo::rules_difference(header); !other.empty())
        return other + ".\n" + kReRecord;
    demo::Replay replay(header);
    std::optional<demo::Mismatch> first;
    while (auto event = reader.next()) {
        auto m = replay.apply(*event);
        if (m && !first) first = std::move(m);
    }
    if (!first) first = replay.unresolved();
    if (reader.ending() != demo::Ending::Complete) return "the file does not end whole: " + reader.ending_text();
    if (replay.steps() < 100) return "fewer than 100 ticks: not a corpus demo";
    if (!first) return {};
    return "the rules no longer reproduce this match: first difference at tick " + std::to_string(first->tick) +
           "\n" + first->text + "\n" + kReRecord;
}

} // namespace

TEST(DemoCorpus, HasDemosAtSeveralTickRatesWithEverySourceOfInput) {
    std::set<int> rates;
    std::map<demo::InputSource, int> sources;
    for (const fs::path& file : corpus()) {
        auto reader = demo::DemoReader::open(file);
        ASSERT_TRUE(reader) << reader.error();
        rates.insert(reader->header().rules.tick_rate_hz);
        EXPECT_LT(fs::file_size(file), 64u * 1024) << file << ": keep the corpus small";
        while (auto event = reader->next()) {
            if (const auto* tick = std::get_if<demo::TickEvent>(&*event))
                for (const demo::RecordedInput& r : tick->inputs) ++sources[r.source];
        }
    }
    EXPECT_GE(rates.size(), 3u);
    EXPECT_GT(sources[demo::InputSource::Applied], 1000);
    EXPECT_GT(sources[demo::InputSource::Repeated], 0) << "the lossy demo should have inputs the server repeated";
    EXPECT_GT(sources[demo::InputSource::Missing], 0);
}

TEST(DemoCorpus, EveryDemoReSimulatesBitForBit) {
    const auto files = corpus();
    ASSERT_GE(files.size(), 3u);
    for (const fs::path& file : files) {
        SCOPED_TRACE(file.filename().string());
        auto reader = demo::DemoReader::open(file);
        ASSERT_TRUE(reader) << reader.error();
        const demo::DemoHeader header = reader->header();
        const std::string failure = corpus_failure(*reader, header);
        EXPECT_EQ(failure, "");
    }
}

// What the test above says when a rule changes the outcome: a rule value
// edited in the header stands for a change to step().
TEST(DemoCorpus, ARuleChangeThatAltersOutcomesFailsWithTheTickPlayerAndField) {
    for (const fs::path& file : corpus()) {
        SCOPED_TRACE(file.filename().string());
        auto reader = demo::DemoReader::open(file);
        ASSERT_TRUE(reader) << reader.error();
        demo::DemoHeader changed = reader->header();
        changed.rules.max_speed *= 1.05f;
        const std::string failure = corpus_failure(*reader, changed);
        EXPECT_NE(failure.find("first difference at tick "), std::string::npos) << failure;
        EXPECT_NE(failure.find(": player "), std::string::npos) << failure;
        EXPECT_TRUE(failure.find("position.") != std::string::npos || failure.find("velocity.") != std::string::npos)
            << failure;
        EXPECT_NE(failure.find("scripts/record-demo-corpus"), std::string::npos);
    }
}

TEST(DemoCorpus, ADemoOfAnotherRulesVersionAsksForARecording) {
    auto reader = demo::DemoReader::open(corpus().front());
    ASSERT_TRUE(reader) << reader.error();
    demo::DemoHeader older = reader->header();
    older.rules_version = sim::kRulesVersion + 1;
    const std::string failure = corpus_failure(*reader, older);
    EXPECT_NE(failure.find("rules version " + std::to_string(sim::kRulesVersion + 1)), std::string::npos) << failure;
    EXPECT_NE(failure.find("re-record the corpus"), std::string::npos) << failure;
}
