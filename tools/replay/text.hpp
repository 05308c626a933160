// tools/replay/text.hpp: how skirmish-replay writes times and opens demos.
#pragma once

#include "shared/demo/demo_reader.hpp"
#include "tools/replay/commands.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace skirmish::replay {

// "1:23.40" for a tick at the demo's tick rate.
inline std::string match_time(sim::Tick tick, int tick_rate_hz) {
    const double s = static_cast<double>(tick) / tick_rate_hz;
    const int minutes = static_cast<int>(s / 60);
    return fmt::format("{}:{:05.2f}", minutes, s - minutes * 60);
}

inline std::string utc_time(std::uint64_t unix_ms) {
    const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40] = {};
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
    return text;
}

// Whether the file begins with `magic` (a demo's or a view recording's).
inline bool has_magic(const std::filesystem::path& file, std::string_view magic) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return false;
    char start[demo::kMagicBytes] = {};
    const bool read = std::fread(start, 1, sizeof start, f) == sizeof start;
    std::fclose(f);
    return read && std::string_view(start, sizeof start) == magic;
}

// Opens a demo, or says on stderr why not.
inline std::optional<demo::DemoReader> open_demo(const std::filesystem::path& file) {
    auto reader = demo::DemoReader::open(file);
    if (!reader) {
        fmt::print(stderr, "skirmish-replay: {}\n", reader.error());
        return std::nullopt;
    }
    return std::move(reader).value();
}

} // namespace skirmish::replay
