#include "shared/util/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using skirmish::util::fail;
using skirmish::util::Result;

namespace {
Result<int, std::string> parse_positive(int v) {
    if (v <= 0) return fail(std::string("not positive"));
    return v;
}
} // namespace

TEST(Result, HoldsAValue) {
    auto r = parse_positive(5);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), 5);
    EXPECT_EQ(*r, 5);
}

TEST(Result, HoldsAnError) {
    auto r = parse_positive(-1);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), "not positive");
    EXPECT_EQ(r.value_or(7), 7);
}

TEST(Result, MovesOutMoveOnlyValues) {
    Result<std::unique_ptr<int>, int> r(std::make_unique<int>(3));
    std::unique_ptr<int> p = std::move(r).value();
    EXPECT_EQ(*p, 3);
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
    auto r = parse_positive(0);
    EXPECT_DEATH((void)r.value(), "called on an error");
}
