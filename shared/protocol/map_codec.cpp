// shared/protocol/map_codec.cpp
#include "shared/protocol/map_codec.hpp"

#include "shared/protocol/detail/map_fb.hpp"
#include "shared/protocol/text_rules.hpp"

#include "schemas/map_schema_text.hpp"

#include <flatbuffers/idl.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace skirmish::protocol {
namespace {

constexpr std::size_t kMaxMapFileBytes = 1 << 20;
static_assert(sim::kMaxMapNameLength == kMapNameText.max_bytes, "one limit for map names");

} // namespace

namespace detail {

util::Result<sim::Map, std::string> read_map(const Skirmish::Map::Map& fb, std::string_view source,
                                             float player_radius) {
    sim::Map map;
    map.name = fb.name()->str();
    if (!is_valid_text(map.name, kMapNameText))
        return util::fail(fmt::format("{}: the map name must be 1 to {} bytes of UTF-8 without control characters",
                                      source, kMapNameText.max_bytes));
    map.width = fb.width();
    map.height = fb.height();
    if (fb.walls() && fb.walls()->size() > sim::kMaxWalls)
        return util::fail(fmt::format("{}: {} walls is more than the limit of {}", source, fb.walls()->size(),
                                      sim::kMaxWalls));
    if (fb.spawns()->size() > sim::kMaxSpawns)
        return util::fail(fmt::format("{}: {} spawns is more than the limit of {}", source, fb.spawns()->size(),
                                      sim::kMaxSpawns));
    if (fb.walls()) {
        for (const auto* wall : *fb.walls()) map.walls.push_back({wall->x(), wall->y(), wall->w(), wall->h()});
    }
    for (const auto* spawn : *fb.spawns()) map.spawns.push_back({spawn->x(), spawn->y()});
    if (auto valid = sim::validate_map(map, player_radius); !valid)
        return util::fail(fmt::format("{}: {}", source, valid.error()));
    return map;
}

flatbuffers::Offset<Skirmish::Map::Map> write_map(flatbuffers::FlatBufferBuilder& fbb, const sim::Map& map) {
    std::vector<flatbuffers::Offset<Skirmish::Map::Wall>> walls;
    for (const auto& w : map.walls) walls.push_back(Skirmish::Map::CreateWall(fbb, w.x, w.y, w.w, w.h));
    std::vector<flatbuffers::Offset<Skirmish::Map::Spawn>> spawns;
    for (const auto& s : map.spawns) spawns.push_back(Skirmish::Map::CreateSpawn(fbb, s.x, s.y));
    // In the order CreateMapDirect used (name, walls, spawns), so the bytes stay
    // the same; the name goes in whole, not cut at a NUL.
    const auto name = fbb.CreateString(map.name);
    const auto wall_vector = fbb.CreateVector(walls);
    const auto spawn_vector = fbb.CreateVector(spawns);
    return Skirmish::Map::CreateMap(fbb, name, map.width, map.height, wall_vector, spawn_vector);
}

} // namespace detail

util::Result<sim::Map, std::string> parse_map_json(std::string_view json, std::string_view source,
                                                   float player_radius) {
    if (json.size() > kMaxMapFileBytes)
        return util::fail(fmt::format("{}: map file is larger than {} bytes", source, kMaxMapFileBytes));
    flatbuffers::IDLOptions options;
    options.skip_unexpected_fields_in_json = false; // a misspelt field is an error, not silently ignored
    flatbuffers::Parser parser(options);
    const std::string schema(schemas::kMapSchema);
    if (!parser.Parse(schema.c_str()))
        return util::fail(fmt::format("internal error: map schema does not parse: {}", parser.error_));
    // The parser reads a C string: a NUL would silently end the file early.
    if (json.find('\0') != std::string_view::npos)
        return util::fail(fmt::format("{}: not a valid map: the file contains a NUL byte", source));
    const std::string text(json);
    if (!parser.Parse(text.c_str()))
        return util::fail(fmt::format("{}: not a valid map: {}", source, parser.error_));
    const auto* data = parser.builder_.GetBufferPointer();
    const auto size = parser.builder_.GetSize();
    flatbuffers::Verifier verifier(data, size);
    if (!Skirmish::Map::VerifyMapBuffer(verifier))
        return util::fail(fmt::format("{}: not a valid map: a required field (name, spawns) is missing", source));
    return detail::read_map(*Skirmish::Map::GetMap(data), source, player_radius);
}

util::Result<sim::Map, std::string> load_map_file(const std::filesystem::path& path, float player_radius) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return util::fail(fmt::format("{}: cannot open map file", path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_map_json(text.str(), path.string(), player_radius);
}

util::Result<std::vector<sim::Map>, std::string> load_map_directory(const std::filesystem::path& dir,
                                                                    float player_radius) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    if (ec) return util::fail(fmt::format("{}: cannot read map directory: {}", dir.string(), ec.message()));
    if (files.empty()) return util::fail(fmt::format("{}: no *.json maps in this directory", dir.string()));
    std::sort(files.begin(), files.end());
    std::vector<sim::Map> maps;
    for (const auto& file : files) {
        auto map = load_map_file(file, player_radius);
        if (!map) return util::fail(map.error());
        for (const auto& other : maps) {
            if (other.name == map->name)
                return util::fail(fmt::format("{}: map name \"{}\" is used twice", file.string(), map->name));
        }
        maps.push_back(std::move(map).value());
    }
    return maps;
}

std::vector<std::uint8_t> encode_map(const sim::Map& map) {
    flatbuffers::FlatBufferBuilder fbb(256 + 32 * (map.walls.size() + map.spawns.size()));
    Skirmish::Map::FinishMapBuffer(fbb, detail::write_map(fbb, map));
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

util::Result<sim::Map, std::string> decode_map(std::span<const std::uint8_t> bytes, float player_radius) {
    if (bytes.size() < 8 || bytes.size() > kMaxMapFileBytes)
        return util::fail(fmt::format("map message of {} bytes is outside 8..{}", bytes.size(), kMaxMapFileBytes));
    flatbuffers::Verifier verifier(bytes.data(), bytes.size());
    if (!Skirmish::Map::VerifyMapBuffer(verifier)) return util::fail(std::string("map message failed verification"));
    return detail::read_map(*Skirmish::Map::GetMap(bytes.data()), "map message", player_radius);
}

} // namespace skirmish::protocol
