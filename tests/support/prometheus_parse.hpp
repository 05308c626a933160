// tests/support/prometheus_parse.hpp
//
// A strict reader of the Prometheus text exposition format (0.0.4), as a
// scraper would read /metrics: every line is a # HELP, a # TYPE or a sample
// `name{label="value",...} number`; a sample's family must have been typed
// before it; names and label names follow the format's character rules.
// Then the checks a histogram must pass: cumulative buckets that never fall,
// ending in le="+Inf" equal to _count, and a _sum.
//
// IMPORTANT: test support; header-only; returns what is wrong as text.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace skirmish::test {

struct PromSample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

struct PromScrape {
    std::map<std::string, std::string> types; // family → counter, gauge, histogram, ...
    std::map<std::string, std::string> help;
    std::vector<PromSample> samples;
    std::vector<std::string> problems; // empty when the text is well-formed

    std::optional<double> value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
        for (const auto& s : samples)
            if (s.name == name && s.labels == labels) return s.value;
        return std::nullopt;
    }
    std::vector<PromSample> all(const std::string& name) const {
        std::vector<PromSample> out;
        for (const auto& s : samples)
            if (s.name == name) out.push_back(s);
        return out;
    }
};

inline std::string prom_family_of(const std::string& sample, const std::map<std::string, std::string>& types) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s = suffix;
        if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
            const std::string base = sample.substr(0, sample.size() - s.size());
            if (types.contains(base) && types.at(base) == "histogram") return base;
        }
    }
    return sample;
}

inline PromScrape parse_prometheus(const std::string& text) {
    static const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static const std::regex kLabel(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)")re");
    PromScrape out;
    std::istringstream in(text);
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        const auto bad = [&](const std::string& why) {
            out.problems.push_back("line " + std::to_string(number) + ": " + why + ": " + line);
        };
        if (line.empty()) continue;
        if (line[0] == '#') {
            std::istringstream words(line);
            std::string hash, kind, name;
            words >> hash >> kind >> name;
            if (kind != "HELP" && kind != "TYPE") continue; // a comment
            if (!std::regex_match(name, kName)) bad("bad metric name");
            std::string rest;
            std::getline(words, rest);
            if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
            if (kind == "TYPE") {
                if (rest != "counter" && rest != "gauge" && rest != "histogram" && rest != "summary" && rest != "untyped")
                    bad("unknown type");
                if (out.types.contains(name)) bad("family typed twice");
                out.types[name] = rest;
            } else {
                out.help[name] = rest;
            }
            continue;
        }
        PromSample s;
        std::size_t at = 0;
        while (at < line.size() && line[at] != '{' && line[at] != ' ') ++at;
        s.name = line.substr(0, at);
        if (!std::regex_match(s.name, kName)) {
            bad("bad sample name");
            continue;
        }
        if (at < line.size() && line[at] == '{') {
            const std::size_t close = line.find('}', at);
            if (close == std::string::npos) {
                bad("unclosed labels");
                continue;
            }
            std::string labels = line.substr(at + 1, close - at - 1);
            while (!labels.empty()) {
                std::smatch m;
                if (!std::regex_search(labels, m, kLabel) || m.position(0) != 0) {
                    bad("bad label");
                    break;
                }
                s.labels[m[1].str()] = m[2].str();
                labels = labels.substr(static_cast<std::size_t>(m.length(0)));
                if (!labels.empty() && labels[0] == ',') labels.erase(0, 1);
            }
            at = close + 1;
        }
        if (at >= line.size() || line[at] != ' ') {
            bad("no value");
            continue;
        }
        const std::string value = line.substr(at + 1);
        if (value == "+Inf") s.value = INFINITY;
        else if (value == "-Inf") s.value = -INFINITY;
        else if (value == "NaN") s.value = NAN;
        else {
            char* end = nullptr;
            s.value = std::strtod(value.c_str(), &end);
            if (end == value.c_str() || *end != '\0') bad("bad value");
        }
        if (!out.types.contains(prom_family_of(s.name, out.types))) bad("sample before its # TYPE");
        out.samples.push_back(std::move(s));
    }
    return out;
}

// What is wrong with histogram `name` in `scrape` ("" if nothing).
inline std::string check_histogram(const PromScrape& scrape, const std::string& name) {
    if (!scrape.types.contains(name) || scrape.types.at(name) != "histogram") return name + " is not typed histogram";
    double previous_bound = -INFINITY, previous_count = 0;
    std::optional<double> inf;
    for (const auto& b : scrape.all(name + "_bucket")) {
        if (!b.labels.contains("le")) return "a bucket without le";
        const std::string le = b.labels.at("le");
        const double bound = le == "+Inf" ? INFINITY : std::strtod(le.c_str(), nullptr);
        if (!(bound > previous_bound)) return "buckets not in increasing order of le at " + le;
        if (b.value < previous_count) return "bucket counts fall at le=" + le;
        previous_bound = bound;
        previous_count = b.value;
        if (le == "+Inf") inf = b.value;
    }
    const auto count = scrape.value(name + "_count");
    const auto sum = scrape.value(name + "_sum");
    if (!inf) return "no le=\"+Inf\" bucket";
    if (!count || !sum) return "no _count or _sum";
    if (*inf != *count) return "the +Inf bucket differs from _count";
    if (*sum < 0 || std::isnan(*sum)) return "a negative or NaN _sum";
    return {};
}

} // namespace skirmish::test
