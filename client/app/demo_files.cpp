// client/app/demo_files.cpp
#include "client/app/demo_files.hpp"

#include "shared/demo/demo_reader.hpp"
#include "shared/demo/replay.hpp"
#include "shared/sim/rules_version.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace skirmish::app {

std::filesystem::path default_demo_dir(const std::string& preference_folder) {
    return std::filesystem::path(preference_folder.empty() ? "." : preference_folder) / "demos";
}

namespace {

DemoFile describe(const std::filesystem::directory_entry& entry) {
    DemoFile f;
    f.path = entry.path();
    f.name = entry.path().filename().string();
    std::error_code ec;
    f.bytes = entry.file_size(ec);
    auto reader = demo::DemoReader::open(entry.path());
    if (!reader) {
        f.problem = reader.error();
        return f;
    }
    const demo::DemoHeader& h = reader->header();
    const auto started = std::chrono::sys_time<std::chrono::milliseconds>(
        std::chrono::milliseconds(static_cast<std::int64_t>(std::min<std::uint64_t>(h.started_unix_ms, 1ULL << 50))));
    f.summary = fmt::format("{} \xc2\xb7 match {} \xc2\xb7 {:%Y-%m-%d %H:%M} UTC \xc2\xb7 {} Hz \xc2\xb7 {} kB",
                            h.settings.map, h.match_id, std::chrono::floor<std::chrono::seconds>(started),
                            h.rules.tick_rate_hz, (f.bytes + 1023) / 1024);
    if (std::string why = demo::rules_difference(h); !why.empty())
        f.problem = fmt::format("recorded with rules version {}, this client plays version {}: it cannot be "
                                "re-simulated here",
                                h.rules_version, sim::kRulesVersion);
    return f;
}

} // namespace

DemoFolder list_demos(const std::filesystem::path& dir) {
    DemoFolder out;
    out.dir = dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        out.note = fmt::format("{} does not exist yet: put .skdemo files there (skirmish-server --record-dir DIR "
                               "records every match), or start the client with --demo-dir DIR",
                               dir.string());
        return out;
    }
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::directory_entry>> found;
    std::size_t seen = 0;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
        if (++seen > 100000) break; // a folder of everything: stop looking
        if (it->path().extension() != ".skdemo" || !it->is_regular_file(ec)) continue;
        found.emplace_back(it->last_write_time(ec), *it);
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second.path() < b.second.path();
    });
    if (found.size() > kMaxListedDemos) {
        out.note = fmt::format("the newest {} of {} demos are listed", kMaxListedDemos, found.size());
        found.resize(kMaxListedDemos);
    }
    for (const auto& [when, entry] : found) out.files.push_back(describe(entry));
    if (out.files.empty() && out.note.empty())
        out.note = fmt::format("no .skdemo files in {} (skirmish-server --record-dir DIR records every match)",
                               dir.string());
    return out;
}

} // namespace skirmish::app
