// tools/replay/export_json.cpp: skirmish-replay export --json. One document:
//   {"header": {...}, "ticks": [{"tick": T, "players": [...], "shots": [...], "kills": [...]}, ...],
//    "ending": {...}, "scoreboard": {...}}
// one tick object per line, so it streams and greps as well as it parses.
#include "shared/demo/player_fields.hpp"
#include "shared/demo/replay.hpp"
#include "tools/replay/commands.hpp"
#include "tools/replay/text.hpp"

#include <nlohmann/json.hpp>

namespace skirmish::replay {
namespace {

using Json = nlohmann::ordered_json;

Json header_json(const demo::DemoHeader& h) {
    Json rules = Json::object();
    demo::visit_rules(h.rules, [&](std::string_view name, const auto& value) { rules[std::string(name)] = value; });
    return Json{{"match_id", h.match_id},
                {"room_id", h.room_id},
                {"server_version", h.server_version},
                {"protocol_version", h.protocol_version},
                {"rules_version", h.rules_version},
                {"started_unix_ms", h.started_unix_ms},
                {"map", h.map.name},
                {"tick_rate_hz", h.rules.tick_rate_hz},
                {"snapshot_rate_hz", h.snapshot_rate_hz},
                {"rules", rules}};
}

Json player_json(const sim::Player& p, const demo::RecordedInput* input) {
    Json j{{"id", sim::to_int(p.id)}};
    for (const demo::PlayerField& f : demo::kPlayerFields) {
        const std::string key(f.name);
        if (f.name == "alive") j[key] = f.get(p) != 0;
        else if (f.scale != 1.0f) j[key] = static_cast<double>(f.get(p)) / f.scale;
        else j[key] = f.get(p);
    }
    if (input) {
        const sim::PlayerInput& in = input->input;
        j["input"] = Json{{"source", demo::name(input->source)}, {"move_x", in.move_x},     {"move_y", in.move_y},
                          {"aim", in.aim},                        {"buttons", in.buttons},   {"view_tick", in.view_tick},
                          {"view_fraction", in.view_fraction}};
    }
    return j;
}

Json tick_json(const demo::Replay& replay) {
    const sim::World& w = replay.world();
    Json players = Json::array();
    for (const sim::Player& p : w.players) {
        const demo::RecordedInput* input = nullptr;
        for (const demo::RecordedInput& r : replay.last_inputs())
            if (r.input.player == p.id) input = &r;
        players.push_back(player_json(p, input));
    }
    Json shots = Json::array(), kills = Json::array();
    for (const sim::ShotEvent& s : replay.last_step().shots) {
        Json shot{{"shooter", sim::to_int(s.shooter)}, {"from", {s.from.x, s.from.y}}, {"to", {s.to.x, s.to.y}}};
        shot["hit"] = s.hit ? Json(sim::to_int(*s.hit)) : Json(nullptr);
        shots.push_back(std::move(shot));
    }
    for (const sim::KillEvent& k : replay.last_step().kills)
        kills.push_back({{"killer", sim::to_int(k.killer)}, {"victim", sim::to_int(k.victim)}});
    return Json{{"tick", w.tick},
                {"phase", w.phase == sim::MatchPhase::Over ? "over" : "running"},
                {"players", std::move(players)},
                {"shots", std::move(shots)},
                {"kills", std::move(kills)}};
}

} // namespace

int run_export_json(const std::filesystem::path& file, int every, bool any_rules, std::FILE* out) {
    auto reader = open_demo(file);
    if (!reader) return kExitUnreadable;
    if (const std::string other = demo::rules_difference(reader->header()); !other.empty() && !any_rules) {
        fmt::print(stderr, "skirmish-replay: {}, or pass --any-rules to export it anyway.\n", other);
        return kExitOtherRules;
    }
    demo::Replay replay(reader->header());
    fmt::print(out, "{{\"header\": {},\n\"ticks\": [", header_json(reader->header()).dump());
    bool first = true;
    std::optional<demo::Mismatch> mismatch;
    std::optional<protocol::MatchResults> results;
    while (auto event = reader->next()) {
        if (auto m = replay.apply(*event); m && !mismatch) mismatch = std::move(m);
        if (auto* s = std::get_if<demo::Scoreboard>(&*event)) results = s->results;
        if (!std::holds_alternative<demo::TickEvent>(*event) || replay.world().tick % static_cast<sim::Tick>(every) != 0)
            continue;
        fmt::print(out, "{}\n{}", first ? "" : ",", tick_json(replay).dump());
        first = false;
    }
    Json ending{{"kind", demo::name(reader->ending())}, {"text", reader->ending_text()}, {"last_tick", reader->last_tick()}};
    if (mismatch) ending["first_mismatch"] = Json{{"tick", mismatch->tick}, {"text", mismatch->text}};
    Json scoreboard = nullptr;
    if (results) {
        scoreboard = Json{{"reason", protocol::name(results->reason)}, {"scores", Json::array()}};
        for (const auto& s : results->scores)
            scoreboard["scores"].push_back({{"id", s.player_id}, {"name", s.name}, {"frags", s.frags}, {"deaths", s.deaths}});
    }
    fmt::print(out, "\n],\n\"ending\": {},\n\"scoreboard\": {}}}\n", ending.dump(), scoreboard.dump());
    return reader->ending() == demo::Ending::Corrupt ? kExitDamaged : (mismatch ? kExitMismatch : kExitOk);
}

} // namespace skirmish::replay
