// Maps from JSON files and the binary form: good maps load, bad ones say why.
#include "shared/protocol/map_codec.hpp"
#include "support/test_maps.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

using skirmish::protocol::decode_map;
using skirmish::protocol::encode_map;
using skirmish::protocol::load_map_directory;
using skirmish::protocol::parse_map_json;

namespace {

constexpr float kRadius = 14.0f;

std::filesystem::path maps_dir() { return skirmish::test::source_dir() / "assets" / "maps"; }

std::string error_of(std::string_view json) {
    auto r = parse_map_json(json, "test.json", kRadius);
    return r ? std::string() : r.error();
}

constexpr std::string_view kGood = R"({
  "name": "tiny", "width": 512, "height": 512,
  "walls": [ { "x": 200, "y": 200, "w": 100, "h": 20 } ],
  "spawns": [ { "x": 50, "y": 50 }, { "x": 450, "y": 450 } ]
})";

} // namespace

TEST(MapCodec, LoadsAGoodMap) {
    auto map = parse_map_json(kGood, "test.json", kRadius);
    ASSERT_TRUE(map.has_value()) << map.error();
    EXPECT_EQ(map->name, "tiny");
    EXPECT_EQ(map->width, 512.0f);
    ASSERT_EQ(map->walls.size(), 1u);
    EXPECT_EQ(map->walls[0].w, 100.0f);
    EXPECT_EQ(map->spawns.size(), 2u);
}

TEST(MapCodec, ShippedMapsAllLoad) {
    auto maps = load_map_directory(maps_dir(), kRadius);
    ASSERT_TRUE(maps.has_value()) << maps.error();
    EXPECT_GE(maps->size(), 2u);
    EXPECT_EQ(maps->front().name, "arena"); // sorted by file name
    for (const auto& m : *maps) EXPECT_GE(m.spawns.size(), 16u) << m.name << " must hold a 16-player room";
}

TEST(MapCodec, AnUnknownFieldIsAnErrorWithItsName) {
    const std::string e = error_of(R"({ "name": "x", "width": 512, "height": 512, "wals": [],
                                        "spawns": [ { "x": 50, "y": 50 } ] })");
    EXPECT_NE(e.find("test.json"), std::string::npos) << e;
    EXPECT_NE(e.find("wals"), std::string::npos) << e;
}

TEST(MapCodec, AFieldOfTheWrongTypeIsAnError) {
    const std::string e = error_of(R"({ "name": "x", "width": "wide", "height": 512,
                                        "spawns": [ { "x": 50, "y": 50 } ] })");
    EXPECT_NE(e.find("not a valid map"), std::string::npos) << e;
}

TEST(MapCodec, MissingSpawnsIsAnError) {
    EXPECT_NE(error_of(R"({ "name": "x", "width": 512, "height": 512 })").find("spawns"), std::string::npos);
    EXPECT_NE(error_of(R"({ "name": "x", "width": 512, "height": 512, "spawns": [] })").find("no spawn points"),
              std::string::npos);
}

TEST(MapCodec, AWallOutOfBoundsIsAnError) {
    const std::string e = error_of(R"({ "name": "x", "width": 512, "height": 512,
        "walls": [ { "x": 500, "y": 10, "w": 40, "h": 40 } ], "spawns": [ { "x": 50, "y": 50 } ] })");
    EXPECT_NE(e.find("wall 0"), std::string::npos) << e;
    EXPECT_NE(e.find("out of bounds"), std::string::npos) << e;
}

TEST(MapCodec, NotJsonAtAllIsAnError) {
    EXPECT_NE(error_of("this is not json").find("not a valid map"), std::string::npos);
    EXPECT_NE(error_of("").find("not a valid map"), std::string::npos);
}

TEST(MapCodec, AMissingFileSaysSo) {
    auto r = skirmish::protocol::load_map_file("/nonexistent/map.json", kRadius);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("cannot open"), std::string::npos);
}

TEST(MapCodec, BinaryRoundTrip) {
    auto map = parse_map_json(kGood, "test.json", kRadius);
    ASSERT_TRUE(map.has_value());
    const auto bytes = encode_map(*map);
    auto back = decode_map(bytes, kRadius);
    ASSERT_TRUE(back.has_value()) << back.error();
    EXPECT_EQ(*back, *map);
}

TEST(MapCodec, BinaryGarbageIsRejected) {
    std::vector<std::uint8_t> garbage(64, 0xAB);
    EXPECT_FALSE(decode_map(garbage, kRadius).has_value());
    EXPECT_FALSE(decode_map({}, kRadius).has_value());
    auto map = parse_map_json(kGood, "test.json", kRadius);
    auto bytes = encode_map(*map);
    bytes.resize(bytes.size() / 2);
    EXPECT_FALSE(decode_map(bytes, kRadius).has_value());
    bytes = encode_map(*map);
    bytes[4] = 'X'; // wrong file identifier
    EXPECT_FALSE(decode_map(bytes, kRadius).has_value());
}
