// shared/util/file_limit.hpp
//
// The open-file limit of this process. Every lobby player holds a TCP socket,
// every bot a TCP and a UDP socket, every relay link a UDP socket: binaries
// that hold many lift the soft limit toward the hard one at start.
//
// IMPORTANT: process state by nature (setrlimit); called once from main(),
// never from a library.
#pragma once

#include <cstdint>
#include <limits>

namespace skirmish::util {

// Raises the soft RLIMIT_NOFILE to `wanted`, or to the hard limit if that is
// lower; never lowers it. Returns the soft limit in force afterwards (0 if it
// cannot be read). A refused raise is not an error: the binary runs with fewer
// sockets, and says so when it runs out (EMFILE).
std::uint64_t raise_file_limit(std::uint64_t wanted = std::numeric_limits<std::uint64_t>::max());

} // namespace skirmish::util
