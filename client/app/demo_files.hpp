// client/app/demo_files.hpp
//
// The demos in a folder, for the connect screen's "Demos" list: every
// *.skdemo file (newest first, at most kMaxListedDemos), each with what its
// header says (map, match, when, length of the file) or why it cannot be
// played (another rules version, not a demo, unreadable). Only headers are
// read here; playing one reads it whole (demo_playback.hpp).
//
// IMPORTANT: the folder and the files are untrusted: a missing folder is an
// empty list with a sentence, a bad file a row that says what is wrong.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace skirmish::app {

inline constexpr std::size_t kMaxListedDemos = 200;

struct DemoFile {
    std::filesystem::path path;
    std::string name;    // the file name
    std::uintmax_t bytes = 0;
    std::string summary; // "arena · match 3 · 2024-05-31 16:08 UTC · 1:05" or empty
    std::string problem; // why it cannot be played, for a person; empty if it can
};

struct DemoFolder {
    std::filesystem::path dir;
    std::vector<DemoFile> files;
    std::string note; // e.g. "no such folder yet: skirmish-server --record-dir DIR writes demos"
};

DemoFolder list_demos(const std::filesystem::path& dir);

// The client's default demos folder: `preference_folder` + "demos".
std::filesystem::path default_demo_dir(const std::string& preference_folder);

} // namespace skirmish::app
