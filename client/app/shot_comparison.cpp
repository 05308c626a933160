// client/app/shot_comparison.cpp
#include "client/app/shot_comparison.hpp"

#include "shared/sim/collision.hpp"
#include "shared/sim/quantise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace skirmish::app {
namespace {

constexpr std::size_t kMaxViewEvents = 4'000'000; // inputs and snapshots kept while comparing

sim::Vec2 direction(std::uint16_t aim) {
    const float a = sim::aim_radians(aim);
    return {std::cos(a), std::sin(a)};
}

float distance(sim::Vec2 a, sim::Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

// The client's own judgement: its ray against the walls and where it drew everyone.
void judge_on_client(ComparedShot& shot, const demo::ViewInput& in, const demo::DemoHeader& header) {
    shot.client_fired = in.shot;
    shot.client_from = in.predicted ? in.predicted->position : shot.from;
    const sim::Vec2 dir = direction(in.input.aim);
    float nearest = sim::ray_to_walls(header.map, shot.client_from, dir, header.rules.rifle_range);
    for (const demo::SeenPlayer& p : in.targets) {
        if (!p.alive) continue;
        if (auto t = sim::ray_hits_circle(shot.client_from, dir, p.position, header.rules.player_radius, nearest)) {
            nearest = *t;
            shot.client_hit = sim::PlayerId{p.id}; // the view file's number
        }
    }
    shot.client_to = shot.client_from + dir * nearest;
}

// Nearest living player to the segment from→to (in front of the shooter).
std::optional<sim::PlayerId> nearest_to_ray(const std::vector<demo::SeenPlayer>& seen, sim::Vec2 from, sim::Vec2 to) {
    std::optional<sim::PlayerId> best;
    float best_d = 1e30f;
    const sim::Vec2 d = to - from;
    const float len2 = std::max(1e-6f, d.x * d.x + d.y * d.y);
    for (const demo::SeenPlayer& p : seen) {
        if (!p.alive) continue;
        const float t = std::clamp(((p.position.x - from.x) * d.x + (p.position.y - from.y) * d.y) / len2, 0.0f, 1.0f);
        const float dist = distance(p.position, from + d * t);
        if (dist < best_d) {
            best_d = dist;
            best = sim::PlayerId{p.id};
        }
    }
    return best;
}

// Why the server gave no hit (or another) where the client saw one. `before`: the
// world before the step; `after`: after it.
std::string refusal(const ComparedShot& c, const sim::World& before, const sim::World& after, sim::PlayerId me) {
    const sim::Player* shooter = before.find(me);
    if (!c.server_fired) {
        if (!shooter || !shooter->alive) return "the shooter was already down on the server";
        return "the server's rifle was not ready on this tick (or it applied another input)";
    }
    if (const float off = distance(c.from, c.client_from); off > 1.0f)
        return fmt::format("the shooter was {:.0f} units from where the client predicted it (a respawn or a "
                           "correction the client had not seen yet)",
                           off);
    const sim::Player* target = after.find(*c.client_hit);
    if (!target) return "the target had left the match";
    if (!target->alive && c.server_hit != c.client_hit) return "the target was already down on the server";
    if (c.tick < target->protected_until_tick) return "the target was spawn-protected: the shot stopped there, no hit";
    if (c.server_hit) return fmt::format("the server's shot met player {} first", *c.server_hit);
    return fmt::format("the server checked the target {:.1f} units from where the client drew it: the ray missed it "
                       "there",
                       c.drawn_to_rewound);
}

std::string snapshot_difference(const protocol::SnapshotState& got, const sim::World& world) {
    if (got.players.size() != world.players.size())
        return fmt::format("snapshot of tick {}: {} players received, {} in the re-simulated world", got.tick,
                           got.players.size(), world.players.size());
    for (std::size_t i = 0; i < got.players.size(); ++i) {
        const sim::Player& p = got.players[i];
        const sim::Player* q = world.find(p.id);
        if (!q) return fmt::format("snapshot of tick {}: player {} is not in the re-simulated world", got.tick,
                                   sim::to_int(p.id));
        auto fields = demo::compare_players(p, *q);
        if (!fields.empty())
            return fmt::format("snapshot of tick {}: player {}: {}", got.tick, sim::to_int(p.id),
                               fields.front().describe());
    }
    return {};
}

} // namespace

std::uint64_t ShotComparison::refused() const {
    return static_cast<std::uint64_t>(std::count_if(shots.begin(), shots.end(), [](const ComparedShot& s) {
        return s.refused;
    }));
}

const DrawnFrame* ShotComparison::frame_at(double tick) const {
    // Frames come in drawing order; the server tick estimate may step back a
    // little on a clock correction, so look round the first one at or after.
    const auto it = std::lower_bound(frames.begin(), frames.end(), tick,
                                     [](const DrawnFrame& f, double t) { return f.server_tick < t; });
    const DrawnFrame* best = nullptr;
    for (auto j = it == frames.begin() ? it : it - 1; j != frames.end() && j <= it; ++j) {
        if (std::abs(j->server_tick - tick) <= 1.0 && (!best || std::abs(j->server_tick - tick) <
                                                                     std::abs(best->server_tick - tick)))
            best = &*j;
    }
    return best;
}

util::Result<ShotComparison, std::string> compare_view(demo::DemoReader demo_reader, demo::ViewReader view) {
    const demo::DemoHeader& header = demo_reader.header();
    const demo::ViewHeader& vh = view.header();
    if (std::string why = demo::rules_difference(header); !why.empty()) return util::fail(why);
    if (vh.rules_version != header.rules_version)
        return util::fail(fmt::format("the view was recorded by a client with rules version {}, the demo by a server "
                                      "with rules version {}: they are not of the same match",
                                      vh.rules_version, header.rules_version));
    if (vh.match_id != header.match_id)
        return util::fail(fmt::format("the view is of match {}, the demo of match {}: record both of the same match "
                                      "(the view file's name starts with its match id)",
                                      vh.match_id, header.match_id));
    ShotComparison out;
    out.player_id = sim::PlayerId{vh.player_id};
    out.player_name = vh.name;
    out.match_id = protocol::MatchId{vh.match_id};
    out.tick_rate = header.rules.tick_rate_hz;

    std::map<sim::Tick, demo::ViewInput> inputs;                  // the last input made for each tick
    std::multimap<sim::Tick, protocol::SnapshotState> snapshots; // by server tick
    std::size_t kept = 0;
    while (auto event = view.next()) {
        if (++kept > kMaxViewEvents) break;
        if (auto* in = std::get_if<demo::ViewInput>(&*event)) inputs[in->tick] = std::move(*in);
        else if (auto* s = std::get_if<demo::ViewSnapshot>(&*event)) snapshots.emplace(s->header.server_tick, s->state);
        else if (auto* fr = std::get_if<demo::ViewFrame>(&*event); fr && out.frames.size() < kMaxDrawnFrames)
            out.frames.push_back({fr->server_tick, std::move(fr->players)});
    }

    const sim::PlayerId me = out.player_id;
    bool seen_player = false;
    demo::Replay replay(header);
    sim::World before; // the world before the step of the tick being compared
    auto note = [&](std::string text) {
        if (out.alignment.first_difference.empty()) out.alignment.first_difference = std::move(text);
    };
    while (auto event = demo_reader.next()) {
        const auto* tick = std::get_if<demo::TickEvent>(&*event);
        if (tick) before = replay.world();
        replay.apply(*event);
        if (!tick) continue;
        const demo::RecordedInput* recorded = nullptr;
        for (const demo::RecordedInput& r : tick->inputs) {
            if (r.input.player == me) recorded = &r;
        }
        seen_player |= recorded != nullptr;
        const auto in = inputs.find(tick->tick);
        if (in != inputs.end() && recorded) {
            ++out.alignment.inputs;
            switch (recorded->source) {
            case demo::InputSource::Applied:
                if (recorded->input == in->second.input) {
                    ++out.alignment.inputs_applied;
                } else {
                    ++out.alignment.inputs_different;
                    note(fmt::format("tick {}: the server applied another input than the one the client sent",
                                     tick->tick));
                }
                break;
            case demo::InputSource::Repeated: ++out.alignment.inputs_repeated; break;
            case demo::InputSource::Missing: ++out.alignment.inputs_missing; break;
            }
        }
        const sim::World& world = replay.world();
        for (auto [s, end] = snapshots.equal_range(world.tick); s != end; ++s) {
            ++out.alignment.snapshots;
            const std::string diff = snapshot_difference(s->second, world);
            if (diff.empty()) ++out.alignment.snapshots_equal;
            else note(diff);
        }
        // This player's shots as the server judged them, beside the client's.
        const demo::ViewInput* seen = in != inputs.end() ? &in->second : nullptr;
        bool server_fired = false;
        for (const sim::ShotEvent& shot : replay.last_step().shots) {
            if (shot.shooter != me || !recorded) continue;
            server_fired = true;
            ComparedShot c;
            c.tick = tick->tick;
            c.from = shot.from;
            c.to = shot.to;
            c.server_hit = shot.hit;
            const sim::Tick view_tick = tick->tick - shot.rewind_ticks;
            c.view_tick = view_tick;
            c.view_fraction = view_tick == recorded->input.view_tick ? recorded->input.view_fraction : 0;
            std::vector<sim::PastPlayer> rewound;
            const bool rewinds = header.rules.lag_compensation &&
                                 replay.history().positions_at(view_tick, c.view_fraction, rewound);
            if (rewinds) c.rewind_ms = (shot.rewind_ticks - c.view_fraction / 256.0) * 1000.0 / out.tick_rate;
            if (seen) judge_on_client(c, *seen, header);
            c.target = c.server_hit ? c.server_hit : c.client_hit;
            if (!c.target && seen) c.target = nearest_to_ray(seen->targets, c.client_from, c.client_to);
            if (c.target) {
                if (seen) {
                    for (const demo::SeenPlayer& p : seen->targets) {
                        if (sim::PlayerId{p.id} == *c.target) c.drawn = p.position;
                    }
                }
                for (const sim::PastPlayer& p : rewound) {
                    if (p.id == *c.target) c.rewound = p.position;
                }
                if (const sim::Player* p = world.find(*c.target)) {
                    c.actual = p->position;
                    if (!rewinds) c.rewound = p->position; // checked where it stood
                }
                if (c.drawn && c.rewound) c.drawn_to_rewound = distance(*c.drawn, *c.rewound);
            }
            c.refused = c.client_hit && c.server_hit != c.client_hit;
            if (c.refused) c.reason = refusal(c, before, world, me);
            out.shots.push_back(c);
        }
        if (seen && seen->shot && !server_fired && recorded) {
            // The client fired; the server's step did not (another input applied, or the rifle not ready there).
            ComparedShot c;
            c.tick = tick->tick;
            c.server_fired = false;
            if (const sim::Player* p = world.find(me)) c.from = c.to = p->position;
            judge_on_client(c, *seen, header);
            c.target = c.client_hit ? c.client_hit : nearest_to_ray(seen->targets, c.client_from, c.client_to);
            for (const demo::SeenPlayer& p : seen->targets) {
                if (c.target && sim::PlayerId{p.id} == *c.target) c.drawn = p.position;
            }
            if (c.target) {
                if (const sim::Player* p = world.find(*c.target)) c.actual = p->position;
            }
            c.refused = c.client_hit.has_value();
            if (c.refused) c.reason = refusal(c, before, world, me);
            out.shots.push_back(c);
        }
    }
    for (const auto& [t, in] : inputs) {
        (void)in;
        if (t >= replay.world().tick) ++out.alignment.inputs_outside;
    }
    if (!seen_player)
        return util::fail(fmt::format("player {} ({}) of the view never played in the demo's match {}", vh.player_id,
                                      vh.name, header.match_id));
    return out;
}

util::Result<ShotComparison, std::string> compare_view_files(const std::filesystem::path& demo_file,
                                                            const std::filesystem::path& view_file) {
    auto demo_reader = demo::DemoReader::open(demo_file);
    if (!demo_reader) return util::fail(fmt::format("{}: {}", demo_file.filename().string(), demo_reader.error()));
    auto view = demo::ViewReader::open(view_file);
    if (!view) return util::fail(fmt::format("{}: {}", view_file.filename().string(), view.error()));
    return compare_view(std::move(demo_reader).value(), std::move(view).value());
}

std::string describe(const ShotComparison& c) {
    const ViewAlignment& a = c.alignment;
    std::string out = fmt::format(
        "view of player {} ({}) in match {}: {} inputs for ticks the server stepped: {} applied as sent, {} "
        "different, {} repeated, {} missing; {} snapshots, {} equal to the re-simulated world\n",
        c.player_id, c.player_name, c.match_id, a.inputs, a.inputs_applied, a.inputs_different, a.inputs_repeated,
        a.inputs_missing, a.snapshots, a.snapshots_equal);
    if (!a.first_difference.empty()) out += "first difference: " + a.first_difference + "\n";
    auto who = [](const std::optional<sim::PlayerId>& id) { return id ? fmt::format("{}", *id) : std::string("-"); };
    for (const ComparedShot& s : c.shots) {
        out += fmt::format("tick {}: target {} drawn-to-rewound {:.1f} units, rewind {:.0f} ms, client hit {}, server "
                           "hit {}{}{}\n",
                           s.tick, who(s.target), s.drawn_to_rewound, s.rewind_ms, who(s.client_hit),
                           who(s.server_hit), s.server_fired ? "" : " (not fired on the server)",
                           s.refused ? "  REFUSED: " + s.reason : std::string());
    }
    return out;
}

} // namespace skirmish::app
