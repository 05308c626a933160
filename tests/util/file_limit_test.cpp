// tests/util/file_limit_test.cpp: util::raise_file_limit, the one helper every
// binary's main() calls.
#include "shared/util/file_limit.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

namespace {
rlimit current() {
    rlimit limit{};
    EXPECT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    return limit;
}
} // namespace

TEST(FileLimit, NeverLowersTheSoftLimit) {
    const rlimit before = current();
    EXPECT_EQ(skirmish::util::raise_file_limit(1), before.rlim_cur);
    EXPECT_EQ(current().rlim_cur, before.rlim_cur);
}

TEST(FileLimit, RaisesTowardTheHardLimitAndSaysWhereItGot) {
    const rlimit before = current();
    const std::uint64_t now = skirmish::util::raise_file_limit();
    const rlimit after = current();
    EXPECT_EQ(now, after.rlim_cur);
    EXPECT_GE(after.rlim_cur, before.rlim_cur);
    EXPECT_LE(after.rlim_cur, after.rlim_max);
    // Asking for less than is already allowed changes nothing.
    EXPECT_EQ(skirmish::util::raise_file_limit(after.rlim_cur / 2), after.rlim_cur);
}
