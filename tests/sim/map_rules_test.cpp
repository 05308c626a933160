// What makes a map valid (the rules; file parsing is tests/protocol/map_codec_test).
#include "shared/sim/map.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

using namespace skirmish::sim;

namespace {
Map good() { return *skirmish::test::wall_map(); }
std::string error_of(const Map& map) {
    auto r = validate_map(map, 14.0f);
    return r ? std::string() : r.error();
}
} // namespace

TEST(MapRules, AcceptsAGoodMap) { EXPECT_EQ(error_of(good()), ""); }

TEST(MapRules, RequiresASpawn) {
    Map m = good();
    m.spawns.clear();
    EXPECT_NE(error_of(m).find("no spawn points"), std::string::npos);
}

TEST(MapRules, RejectsAWallOutOfBounds) {
    Map m = good();
    m.walls.push_back({900, 900, 200, 50});
    EXPECT_NE(error_of(m).find("wall 1"), std::string::npos);
    EXPECT_NE(error_of(m).find("out of bounds"), std::string::npos);
}

TEST(MapRules, RejectsAWallOfNoSize) {
    Map m = good();
    m.walls.push_back({100, 100, 0, 50});
    EXPECT_NE(error_of(m).find("non-positive size"), std::string::npos);
}

TEST(MapRules, RejectsASpawnInsideAWall) {
    Map m = good();
    m.spawns.push_back({500, 500});
    EXPECT_NE(error_of(m).find("spawn 2"), std::string::npos);
    EXPECT_NE(error_of(m).find("overlaps wall 0"), std::string::npos);
}

TEST(MapRules, RejectsASpawnAtTheEdge) {
    Map m = good();
    m.spawns.push_back({5, 500});
    EXPECT_NE(error_of(m).find("out of bounds"), std::string::npos);
}

TEST(MapRules, RejectsAnArenaTooSmallOrTooLarge) {
    Map m = good();
    m.width = 100;
    EXPECT_NE(error_of(m).find("arena size"), std::string::npos);
    m.width = 100000;
    EXPECT_NE(error_of(m).find("arena size"), std::string::npos);
}

TEST(MapRules, RejectsTooManyWalls) {
    Map m = good();
    m.walls.assign(kMaxWalls + 1, Rect{0, 0, 1, 1});
    EXPECT_NE(error_of(m).find("limit"), std::string::npos);
}
