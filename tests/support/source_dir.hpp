// tests/support/source_dir.hpp: where the source tree is, for tests that read
// files from it (maps, golden vectors, docs).
#pragma once

#include "skirmish/version.hpp"

#include <cstdlib>
#include <filesystem>

namespace skirmish::test {

// The source tree: from ctest's environment, else where this build came from.
inline std::filesystem::path source_dir() {
    const char* root = std::getenv("SKIRMISH_SOURCE_DIR");
    return root ? std::filesystem::path(root) : std::filesystem::path(kSourceDir);
}

} // namespace skirmish::test
