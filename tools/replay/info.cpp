// tools/replay/info.cpp: skirmish-replay info.
#include "shared/demo/player_fields.hpp"
#include "tools/replay/commands.hpp"
#include "tools/replay/text.hpp"

#include <map>
#include <type_traits>

namespace skirmish::replay {
namespace {

struct Stint {
    std::string name;
    sim::Tick joined = 0;
    std::optional<sim::Tick> left;
};

void print_header(const demo::DemoHeader& h, std::uint64_t bytes, std::FILE* out) {
    fmt::print(out, "match {} (room {}), recorded by skirmish-server {} starting {}\n", h.match_id, h.room_id,
               h.server_version, utc_time(h.started_unix_ms));
    fmt::print(out, "versions: protocol {}, rules {}; file {} bytes\n", h.protocol_version, h.rules_version, bytes);
    fmt::print(out, "map: {} ({}x{}, {} walls, {} spawns)\n", h.map.name, h.map.width, h.map.height,
               h.map.walls.size(), h.map.spawns.size());
    fmt::print(out, "settings: up to {} players, frag limit {}, time limit {} s, join in progress {}\n",
               h.settings.max_players, h.settings.frag_limit, h.settings.time_limit_s,
               h.settings.join_in_progress ? "on" : "off");
    fmt::print(out, "tick rate {} Hz, snapshots {} Hz, seed {}, position history {} ticks, a full state every {} ticks\n",
               h.rules.tick_rate_hz, h.snapshot_rate_hz, h.seed, h.history_ticks, h.state_interval_ticks);
    std::string rules;
    demo::visit_rules(h.rules, [&](std::string_view name, const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) rules += fmt::format(" {}={}", name, value ? "on" : "off");
        else rules += fmt::format(" {}={}", name, value);
    });
    fmt::print(out, "rules:{}\n", rules);
}

} // namespace

int run_info(const std::filesystem::path& file, std::FILE* out) {
    if (has_magic(file, demo::kViewMagic)) return run_view_info(file, out);
    auto reader = open_demo(file);
    if (!reader) return kExitUnreadable;
    const demo::DemoHeader& h = reader->header();
    print_header(h, reader->file_bytes(), out);

    std::vector<std::pair<std::uint32_t, Stint>> stints; // in join order
    std::optional<demo::EndEvent> end;
    std::optional<demo::Scoreboard> scoreboard;
    while (auto event = reader->next()) {
        if (auto* join = std::get_if<demo::JoinEvent>(&*event)) stints.push_back({join->player_id, {join->name, join->tick, {}}});
        if (auto* leave = std::get_if<demo::LeaveEvent>(&*event)) {
            for (auto it = stints.rbegin(); it != stints.rend(); ++it) {
                if (it->first == leave->player_id && !it->second.left) {
                    it->second.left = leave->tick;
                    break;
                }
            }
        }
        if (auto* e = std::get_if<demo::EndEvent>(&*event)) end = *e;
        if (auto* s = std::get_if<demo::Scoreboard>(&*event)) scoreboard = *s;
    }
    const int rate = h.rules.tick_rate_hz;
    fmt::print(out, "duration: {} ({} ticks)\n", match_time(reader->last_tick(), rate), reader->last_tick());
    fmt::print(out, "players ({}):\n", stints.size());
    for (const auto& [id, stint] : stints)
        fmt::print(out, "  {:>6}  {:<24} joined {}{}\n", id, stint.name, match_time(stint.joined, rate),
                   stint.left ? fmt::format(", left {}", match_time(*stint.left, rate)) : std::string());
    if (end)
        fmt::print(out, "ended: {} at {} ({})\n", protocol::name(end->reason), match_time(end->tick, rate),
                   end->by_rules ? "by the rules" : "by the server");
    if (scoreboard) {
        fmt::print(out, "scoreboard:\n  {:>6}  {:<24} {:>5} {:>6}\n", "id", "name", "frags", "deaths");
        for (const protocol::PlayerScore& s : scoreboard->results.scores)
            fmt::print(out, "  {:>6}  {:<24} {:>5} {:>6}\n", s.player_id, s.name, s.frags, s.deaths);
    } else {
        fmt::print(out, "scoreboard: none recorded\n");
    }
    if (reader->ending() == demo::Ending::Complete) fmt::print(out, "file: {}\n", reader->ending_text());
    else fmt::print(out, "file: {}; readable up to tick {}\n", reader->ending_text(), reader->last_tick());
    return reader->ending() == demo::Ending::Corrupt ? kExitDamaged : kExitOk;
}

} // namespace skirmish::replay
