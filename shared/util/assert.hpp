// shared/util/assert.hpp
//
// SKIRMISH_ASSERT: for broken invariants inside our own code (programmer error).
// IMPORTANT: never use it on anything derived from remote bytes; untrusted input
// is rejected with a Result, not an assertion (docs/PROTOCOL.md, "Rejection rules").
#pragma once

#include <cstdio>
#include <cstdlib>

#define SKIRMISH_ASSERT(condition)                                                          \
    do {                                                                                    \
        if (!(condition)) {                                                                 \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__,       \
                         #condition);                                                       \
            std::abort();                                                                   \
        }                                                                                   \
    } while (false)
