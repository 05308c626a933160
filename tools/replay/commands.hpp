// tools/replay/commands.hpp
//
// skirmish-replay's three commands, each a function writing to a stream
// (docs/DEMO.md, "skirmish-replay").
//
//   info     the header, duration, players and final scoreboard; no simulation
//            (of a view recording: who, which match, what it holds, how it ended)
//   verify   re-simulates the match with shared/sim, comparing every recorded check
//   export   the re-simulated state of every tick as JSON, for plotting
//
// IMPORTANT: the file is untrusted (demo_reader.hpp); every command says how
// it ended (complete, cut off, damaged) rather than failing silently.
#pragma once

#include <cstdio>
#include <filesystem>

namespace skirmish::replay {

// Exit codes, the same for every command.
inline constexpr int kExitOk = 0;           // verify: every recorded check agrees (the file may be cut off)
inline constexpr int kExitMismatch = 1;     // verify: the re-simulation differs
inline constexpr int kExitUnreadable = 2;   // bad usage, no such file, not a demo, damaged header
inline constexpr int kExitOtherRules = 3;   // recorded with other game rules: not re-simulated
inline constexpr int kExitDamaged = 4;      // damaged part-way: everything before it checked

// A demo's info, or a view recording's (a file beginning SKVIEW: view_info.cpp).
int run_info(const std::filesystem::path& file, std::FILE* out);
int run_view_info(const std::filesystem::path& file, std::FILE* out);
int run_verify(const std::filesystem::path& file, bool any_rules, std::FILE* out);
// Every `every`-th tick (1: all), as one JSON document.
int run_export_json(const std::filesystem::path& file, int every, bool any_rules, std::FILE* out);

} // namespace skirmish::replay
