// tests/support/process_memory.hpp
//
// What this process holds: its resident set (VmRSS) and its live heap (bytes
// allocated and not freed). Under AddressSanitizer, freed memory waits in a
// quarantine of up to 256 MiB before reuse, so RSS grows with any allocation
// churn; the live heap (ASan's own count) does not, and is what a bound on
// what a server keeps is checked against.
//
// IMPORTANT: test-only; Linux (/proc, glibc mallinfo2).
#pragma once

#include <malloc.h>

#include <cstdint>
#include <fstream>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#define SKIRMISH_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SKIRMISH_TEST_ASAN 1
#endif
#endif

#if defined(SKIRMISH_TEST_ASAN)
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace skirmish::test {

inline std::uint64_t resident_bytes() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
}

inline std::uint64_t live_heap_bytes() {
#if defined(SKIRMISH_TEST_ASAN)
    return __sanitizer_get_current_allocated_bytes();
#else
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#endif
}

} // namespace skirmish::test
