// bench/latency_table.cpp (skirmish-latency-table): the latency table of
// issue 12 from the bots' JSON reports bench/latency.sh collects, one
// directory per profile and lag compensation setting, named PROFILE.on or
// PROFILE.off, each holding one report (*.json) per run. Every figure is the
// median over the runs. Prints the table (Markdown), and writes it to
// --markdown and the plot's data (one line per profile) to --plot-data.
// Not a timed benchmark: it only reads reports.
//
//   skirmish-latency-table [--markdown FILE] [--plot-data FILE] [--note TEXT] DIR...
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// A figure read from one report; NaN when the report has no such key (or null).
double at(const Json& report, const std::string& path) {
    const Json* node = &report;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object() || !node->contains(key)) return kNone;
        node = &(*node)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return node->is_number() ? node->get<double>() : kNone;
}

double share(double part, double whole) { return whole > 0 ? 100.0 * part / whole : kNone; }

// The figures of one run, as the table shows them.
using Figures = std::map<std::string, double>;

Figures figures_of(const Json& r) {
    const double client_hits = at(r, "client_hits");
    const double target_first = at(r, "hit_disagreement.target_died_first");
    const double shooter_first = at(r, "hit_disagreement.shooter_died_first");
    return {
        {"rtt", at(r, "rtt_ms.p50")},
        {"loss", at(r, "snapshot_loss_pct")},
        {"down", at(r, "down_bytes_per_s.mean")},
        {"up", at(r, "up_bytes_per_s.mean")},
        {"shots", at(r, "shots")},
        {"confirmed_rate", share(at(r, "hits"), at(r, "shots"))},
        {"client_hits", client_hits},
        {"confirmed", at(r, "confirmed_client_hits")},
        {"agreement", at(r, "hit_agreement_pct")},
        // The same without the kill races: shots whose target or shooter another
        // player killed before the shot's tick (no lag compensation can agree there).
        {"agreement_live", share(at(r, "confirmed_client_hits"), client_hits - target_first - shooter_first)},
        {"phantom", at(r, "phantom_hits")},
        {"target_first", share(target_first, client_hits)},
        {"shooter_first", share(shooter_first, client_hits)},
        {"not_applied", share(at(r, "hit_disagreement.input_not_applied"), client_hits)},
        {"missed", share(at(r, "hit_disagreement.server_missed"), client_hits)},
        {"corrections", at(r, "corrections_per_min")},
        {"units_mean", at(r, "correction_units.mean")},
        {"units_p99", at(r, "correction_units.p99")},
        {"units_max", at(r, "correction_units.max")},
        {"by_players", at(r, "corrections_by_players_pct")},
        {"extrapolated", at(r, "extrapolated_pct")},
        {"long_extrapolations", at(r, "extrapolations_over_100ms")},
        {"snaps", at(r, "snaps_per_min")},
        {"applied", at(r, "inputs.applied_pct")},
        {"repeated", at(r, "inputs.repeated")},
        {"late", at(r, "inputs.late")},
    };
}

double median(std::vector<double> values) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty()) return kNone;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct Row {
    std::string profile;
    bool lag_compensation = true;
    int runs = 0;
    Figures medians;
};

std::string cell(double v, int decimals) {
    if (std::isnan(v)) return "–";
    return fmt::format("{:.{}f}", v, decimals);
}

struct Column {
    const char* title;
    std::function<std::string(const Row&)> text;
};

std::vector<Column> columns() {
    const auto f = [](const char* key, int decimals) {
        return [key, decimals](const Row& row) { return cell(row.medians.at(key), decimals); };
    };
    return {
        {"Profile", [](const Row& r) { return r.profile; }},
        {"Lag comp.", [](const Row& r) { return std::string(r.lag_compensation ? "on" : "off"); }},
        {"RTT p50 ms", f("rtt", 0)},
        {"Snapshot loss %", f("loss", 1)},
        {"Down B/s", f("down", 0)},
        {"Up B/s", f("up", 0)},
        {"Shots", f("shots", 0)},
        {"Hits % of shots", f("confirmed_rate", 1)},
        {"Seen to hit", f("client_hits", 0)},
        {"Confirmed", f("confirmed", 0)},
        {"**Hit agreement %**", f("agreement", 1)},
        {"… without kill races %", f("agreement_live", 1)},
        {"Phantom hits", f("phantom", 0)},
        {"Refused: target died first %", f("target_first", 1)},
        {"shooter died first %", f("shooter_first", 1)},
        {"input not applied %", f("not_applied", 1)},
        {"missed %", f("missed", 1)},
        {"Corrections /min", f("corrections", 0)},
        {"Correction units mean / p99 / max",
         [](const Row& r) {
             return fmt::format("{} / {} / {}", cell(r.medians.at("units_mean"), 1), cell(r.medians.at("units_p99"), 1),
                                cell(r.medians.at("units_max"), 1));
         }},
        {"by players %", f("by_players", 0)},
        {"Extrapolated %", f("extrapolated", 2)},
        {"Extrapolations > 100 ms", f("long_extrapolations", 0)},
        {"Snaps /min", f("snaps", 2)},
        {"Inputs applied %", f("applied", 3)},
        {"repeated", f("repeated", 0)},
        {"late", f("late", 0)},
    };
}

std::string markdown(const std::vector<Row>& rows, const std::string& note) {
    const auto cols = columns();
    std::string out;
    if (!note.empty()) out += note + "\n\n";
    for (const auto& c : cols) out += fmt::format("| {} ", c.title);
    out += "|\n";
    for (std::size_t i = 0; i < cols.size(); ++i) out += i < 2 ? "| --- " : "| ---: ";
    out += "|\n";
    for (const Row& row : rows) {
        for (const auto& c : cols) out += fmt::format("| {} ", c.text(row));
        out += "|\n";
    }
    return out;
}

// One line per profile: index, name, then on/off pairs of the plotted figures.
std::string plot_data(const std::vector<Row>& rows) {
    std::map<std::string, std::pair<const Row*, const Row*>> by_profile; // on, off
    for (const Row& row : rows) {
        auto& pair = by_profile[row.profile];
        (row.lag_compensation ? pair.first : pair.second) = &row;
    }
    const auto value = [](const Row* row, const char* key) {
        const double v = row ? row->medians.at(key) : kNone;
        return std::isnan(v) ? std::string("NaN") : fmt::format("{:.3f}", v); // gnuplot skips NaN
    };
    std::string out = "# index profile agreement_on agreement_off agreement_live_on agreement_live_off "
                      "hits_rate_on hits_rate_off\n";
    int index = 0;
    for (const auto& [profile, pair] : by_profile) {
        out += fmt::format("{} {} {} {} {} {} {} {}\n", index++, profile, value(pair.first, "agreement"),
                           value(pair.second, "agreement"), value(pair.first, "agreement_live"),
                           value(pair.second, "agreement_live"), value(pair.first, "confirmed_rate"),
                           value(pair.second, "confirmed_rate"));
    }
    return out;
}

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    return static_cast<bool>(out);
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-latency-table: the latency table (issue 12) from the bots' reports bench/latency.sh "
                 "collects, medians over runs"};
    std::vector<std::string> dirs;
    std::string markdown_path, plot_path, note;
    app.add_option("dirs", dirs, "Directories PROFILE.on / PROFILE.off of *.json reports")->required();
    app.add_option("--markdown", markdown_path, "Write the table to this Markdown file");
    app.add_option("--plot-data", plot_path, "Write the plotted figures to this file (gnuplot columns)");
    app.add_option("--note", note, "A line above the table (how it was measured)");
    CLI11_PARSE(app, argc, argv);

    std::vector<Row> rows;
    for (const fs::path dir : dirs) {
        const std::string name = dir.filename().string();
        const auto dot = name.rfind('.');
        const std::string setting = dot == std::string::npos ? "" : name.substr(dot + 1);
        if (setting != "on" && setting != "off") {
            fmt::print(stderr, "skirmish-latency-table: {}: name the directory PROFILE.on or PROFILE.off\n", dir.string());
            return 2;
        }
        Row row;
        row.profile = name.substr(0, dot);
        row.lag_compensation = setting == "on";
        std::map<std::string, std::vector<double>> values;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (entry.path().extension() != ".json") continue;
            std::ifstream in(entry.path());
            const Json report = Json::parse(in, nullptr, false);
            if (report.is_discarded()) {
                fmt::print(stderr, "skirmish-latency-table: {} is not JSON: skipped\n", entry.path().string());
                continue;
            }
            const Json* named = report.contains("profile") ? &report["profile"] : nullptr;
            if (named && (*named)["name"].is_string() && (*named)["name"].get<std::string>() != row.profile)
                fmt::print(stderr, "skirmish-latency-table: {} ran profile {}, not {}\n", entry.path().string(),
                           (*named)["name"].get<std::string>(), row.profile);
            for (const auto& [key, v] : figures_of(report)) values[key].push_back(v);
            ++row.runs;
        }
        if (ec || row.runs == 0) {
            fmt::print(stderr, "skirmish-latency-table: no reports in {}{}\n", dir.string(),
                       ec ? ": " + ec.message() : std::string());
            return 1;
        }
        for (const auto& [key, list] : values) row.medians[key] = median(list);
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.profile != b.profile ? a.profile < b.profile : a.lag_compensation > b.lag_compensation;
    });
    const std::string table = markdown(rows, note);
    fmt::print("{}", table);
    if (!markdown_path.empty() && !write_file(markdown_path, table)) {
        fmt::print(stderr, "skirmish-latency-table: cannot write {}\n", markdown_path);
        return 1;
    }
    if (!plot_path.empty() && !write_file(plot_path, plot_data(rows))) {
        fmt::print(stderr, "skirmish-latency-table: cannot write {}\n", plot_path);
        return 1;
    }
    return 0;
}
