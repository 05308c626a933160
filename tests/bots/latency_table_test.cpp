// bench/latency_table.cpp (skirmish-latency-table), run as bench/latency.sh
// runs it, on reports the bots' own to_json wrote: every figure issue 12
// names has its column, read from the report key of that name, and the
// medians are over the runs of each profile and setting.
#include "client/bots/report.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace skirmish;
namespace fs = std::filesystem;

namespace {

bots::Report report(double scale) {
    bots::Report r;
    r.rtt_ms = {150 * scale, 160, 170, 180};
    r.snapshot_loss_pct = 5 * scale;
    r.down_bytes_per_s = {4000 * scale, 5000};
    r.up_bytes_per_s = {1500 * scale, 1600};
    r.shots = static_cast<std::uint64_t>(200 * scale);
    r.hits = static_cast<std::uint64_t>(80 * scale);
    r.hit_agreement.shots = r.shots;
    r.hit_agreement.client_hits = static_cast<std::uint64_t>(100 * scale);
    r.hit_agreement.confirmed_client_hits = r.hit_agreement.client_hits - 1;
    r.hit_agreement.phantom_hits = 2;
    r.hit_agreement.server_missed = 1;
    r.corrections_per_min = 20 * scale;
    r.correction_units = {1.5 * scale, 12, 30};
    r.corrections_by_players_pct = 40;
    r.extrapolated_pct = 0.5 * scale;
    r.extrapolations_over_100ms = 3;
    r.snaps_per_min = 0.25 * scale;
    r.inputs.applied = 9999;
    r.inputs.repeated = 1;
    r.inputs.late = 4;
    r.conditions.profile = "P3";
    return r;
}

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream s(line);
    std::string cell;
    std::getline(s, cell, '|'); // before the first bar
    while (std::getline(s, cell, '|')) {
        const auto a = cell.find_first_not_of(' ');
        const auto b = cell.find_last_not_of(' ');
        out.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
    }
    if (!out.empty() && out.back().empty()) out.pop_back();
    return out;
}

} // namespace

TEST(LatencyTable, HasEveryFigureOfIssue12FromTheBotsReports) {
    std::array<char, 64> name{};
    const std::string pattern = (fs::temp_directory_path() / "skirmish-latency-XXXXXX").string();
    std::copy(pattern.begin(), pattern.end(), name.begin());
    ASSERT_NE(mkdtemp(name.data()), nullptr);
    const fs::path dir = name.data();
    // Three runs with lag compensation on (the median is the middle one), one off.
    write(dir / "P3.on" / "run-1.json", bots::to_json(report(1.0)));
    write(dir / "P3.on" / "run-2.json", bots::to_json(report(2.0)));
    write(dir / "P3.on" / "run-3.json", bots::to_json(report(0.5)));
    write(dir / "P3.off" / "run-1.json", bots::to_json(report(1.0)));
    const std::string command = std::string(SKIRMISH_LATENCY_TABLE_BINARY) + " --markdown " +
                                (dir / "t.md").string() + " --plot-data " + (dir / "t.dat").string() + " " +
                                (dir / "P3.on").string() + " " + (dir / "P3.off").string() + " > /dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;

    std::vector<std::vector<std::string>> rows;
    std::stringstream md(read(dir / "t.md"));
    for (std::string line; std::getline(md, line);)
        if (line.starts_with("|")) rows.push_back(cells(line));
    fs::remove_all(dir);
    ASSERT_EQ(rows.size(), 4u) << "a header, its rule, P3 on and P3 off";
    const std::vector<std::string>& header = rows[0];
    std::map<std::string, std::string> on;
    for (std::size_t c = 0; c < header.size() && c < rows[2].size(); ++c) on[header[c]] = rows[2][c];
    ASSERT_EQ(rows[2].size(), header.size());
    // Each figure items 1-5 name, by its column, with the median run's value.
    const std::map<std::string, std::string> expected = {
        {"Profile", "P3"},
        {"Lag comp.", "on"},
        {"RTT p50 ms", "150"},
        {"Snapshot loss %", "5.0"},
        {"Down B/s", "4000"},
        {"Up B/s", "1500"},
        {"Shots", "200"},                   // shots
        {"Hits % of shots", "40.0"},        // server-confirmed hits
        {"Seen to hit", "100"},             // client_hits
        {"Confirmed", "99"},                // confirmed_client_hits
        {"**Hit agreement %**", "99.0"},    // hit_agreement_pct
        {"Phantom hits", "2"},              // phantom_hits
        {"missed %", "1.0"},
        {"Corrections /min", "20"},         // corrections
        {"Correction units mean / p99 / max", "1.5 / 12.0 / 30.0"}, // correction_units{mean,p99,max}
        {"by players %", "40"},             // corrections_by_players_pct
        {"Extrapolated %", "0.50"},         // extrapolated_pct
        {"Extrapolations > 100 ms", "3"},   // extrapolations_over_100ms
        {"Snaps /min", "0.25"},             // snaps_per_min
        {"Inputs applied %", "99.990"},     // inputs.applied_pct
        {"repeated", "1"},                  // inputs.repeated
        {"late", "4"},                      // inputs.late
    };
    for (const auto& [column, value] : expected) {
        ASSERT_TRUE(on.contains(column)) << "no column " << column;
        EXPECT_EQ(on[column], value) << column;
    }
    EXPECT_EQ(rows[3][1], "off");
}
