// shared/util/file_limit.cpp
#include "shared/util/file_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace skirmish::util {

std::uint64_t raise_file_limit(std::uint64_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    const auto target = static_cast<rlim_t>(std::min<std::uint64_t>(wanted, limit.rlim_max));
    if (limit.rlim_cur < target) {
        limit.rlim_cur = target;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    }
    return static_cast<std::uint64_t>(limit.rlim_cur);
}

} // namespace skirmish::util
