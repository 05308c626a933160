// shared/demo/replay.cpp
#include "shared/demo/replay.hpp"

#include "shared/sim/hash.hpp"
#include "shared/sim/rules_version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

namespace skirmish::demo {
namespace {

std::string_view phase_name(sim::MatchPhase phase) { return phase == sim::MatchPhase::Over ? "over" : "running"; }

std::string id_list(const std::vector<std::uint32_t>& ids) {
    std::string out;
    for (std::uint32_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
}

} // namespace

Replay::Replay(const DemoHeader& header)
    : rules_(header.rules),
      world_(sim::make_world(std::make_shared<const sim::Map>(header.map))),
      history_(header.history_ticks) {}

Mismatch Replay::mismatch(sim::Tick tick, std::string text) const {
    Mismatch m;
    m.tick = diverged_.value_or(tick);
    m.state_tick = tick;
    m.last_agreed_tick = last_agreed_;
    m.text = diverged_ ? fmt::format("from tick {} on the step hashes differ (the step of tick {} is the first "
                                     "whose outcome is not the recorded one)\n{}",
                                     *diverged_, *diverged_ - 1, text)
                       : std::move(text);
    return m;
}

std::optional<Mismatch> Replay::unresolved() const {
    if (!diverged_) return std::nullopt;
    return mismatch(world_.tick, fmt::format("the recording ends at tick {} before a full state shows which "
                                             "player and field differ",
                                             world_.tick));
}

std::optional<Mismatch> Replay::apply(const DemoEvent& event) {
    if (const auto* join = std::get_if<JoinEvent>(&event)) {
        names_[join->player_id] = join->name;
        if (sim::Player* p = sim::add_player(world_, sim::PlayerId{join->player_id}, rules_)) {
            p->frags = join->frags;
            p->deaths = join->deaths;
        }
        return std::nullopt;
    }
    if (const auto* leave = std::get_if<LeaveEvent>(&event)) {
        sim::remove_player(world_, sim::PlayerId{leave->player_id});
        return std::nullopt;
    }
    if (const auto* tick = std::get_if<TickEvent>(&event)) return step(*tick);
    if (const auto* state = std::get_if<StateCheck>(&event)) return check(*state);
    if (const auto* end = std::get_if<EndEvent>(&event)) {
        if (!end->by_rules) {
            world_.phase = sim::MatchPhase::Over; // the server ended it (Match::end)
            return std::nullopt;
        }
        ++checks_;
        if (world_.phase != sim::MatchPhase::Over)
            return mismatch(end->tick, fmt::format("the recorded match ended at tick {} ({}); the re-simulated one "
                                                   "goes on",
                                                   end->tick, protocol::name(end->reason)));
        return std::nullopt;
    }
    return std::nullopt; // the scoreboard: nothing to simulate
}

std::optional<Mismatch> Replay::step(const TickEvent& tick) {
    ++steps_;
    std::optional<Mismatch> out;
    if (tick.tick != world_.tick)
        out = mismatch(tick.tick, fmt::format("inputs recorded for tick {} while the re-simulated world is at tick {}",
                                              tick.tick, world_.tick));
    last_inputs_ = tick.inputs;
    inputs_.clear();
    for (const RecordedInput& r : tick.inputs) inputs_.push_back(r.input);
    last_step_ = sim::step(world_, inputs_, rules_, &history_);
    if (!diverged_ && static_cast<std::uint16_t>(sim::state_hash(world_)) != tick.step_hash) diverged_ = world_.tick;
    return out;
}

std::optional<Mismatch> Replay::check(const StateCheck& recorded) {
    ++checks_;
    std::optional<Mismatch> m = compare(recorded);
    if (!m && diverged_)
        m = mismatch(recorded.tick, fmt::format("tick {}: the full state agrees again (two different paths met, or "
                                                "a step hash was damaged)",
                                                recorded.tick));
    if (!m) last_agreed_ = recorded.tick;
    diverged_.reset();
    return m;
}

std::optional<Mismatch> Replay::compare(const StateCheck& recorded) const {
    if (recorded.tick != world_.tick)
        return mismatch(recorded.tick, fmt::format("the state recorded for tick {} came when the re-simulated world "
                                                   "was at tick {}",
                                                   recorded.tick, world_.tick));
    if (recorded.phase != world_.phase)
        return mismatch(recorded.tick, fmt::format("tick {}: the match is {} in the recording, {} re-simulated",
                                                   recorded.tick, phase_name(recorded.phase),
                                                   phase_name(world_.phase)));
    std::vector<std::uint32_t> missing, extra;
    for (const sim::Player& p : recorded.players)
        if (!world_.find(p.id)) missing.push_back(sim::to_int(p.id));
    for (const sim::Player& p : world_.players) {
        if (std::none_of(recorded.players.begin(), recorded.players.end(),
                         [&](const sim::Player& q) { return q.id == p.id; }))
            extra.push_back(sim::to_int(p.id));
    }
    if (!missing.empty() || !extra.empty())
        return mismatch(recorded.tick, fmt::format("tick {}: players [{}] are missing and [{}] are extra in the "
                                                   "re-simulated world",
                                                   recorded.tick, id_list(missing), id_list(extra)));
    for (const sim::Player& p : recorded.players) {
        auto fields = compare_players(p, *world_.find(p.id));
        if (fields.empty()) continue;
        const std::uint32_t id = sim::to_int(p.id);
        std::string text = fmt::format("tick {}: player {}", recorded.tick, id);
        if (auto name = names_.find(id); name != names_.end()) text += fmt::format(" ({})", name->second);
        for (const FieldDifference& f : fields) text += "\n  " + f.describe();
        Mismatch m = mismatch(recorded.tick, std::move(text));
        m.player = id;
        m.fields = std::move(fields);
        return m;
    }
    const std::uint64_t replayed = sim::state_hash(world_);
    if (recorded.hash != replayed) {
        sim::World as_recorded = world_;
        as_recorded.players = recorded.players;
        const bool consistent = sim::state_hash(as_recorded) == recorded.hash;
        return mismatch(recorded.tick,
                        fmt::format("tick {}: state hash recorded {:016x}, re-simulated {:016x}, yet every player's "
                                    "recorded fields agree: {}",
                                    recorded.tick, recorded.hash, replayed,
                                    consistent ? "the hash covers something the record does not"
                                               : "the recorded hash does not fit the recorded state (the hash was "
                                                 "altered, or this build hashes differently)"));
    }
    return std::nullopt;
}

VerifyReport verify(DemoReader& reader) {
    VerifyReport report;
    Replay replay(reader.header());
    while (auto event = reader.next()) {
        if (auto m = replay.apply(*event)) {
            ++report.mismatches;
            if (!report.first) report.first = std::move(m);
        }
        if (auto* scoreboard = std::get_if<Scoreboard>(&*event)) report.results = scoreboard->results;
    }
    if (auto m = replay.unresolved()) {
        ++report.mismatches;
        if (!report.first) report.first = std::move(m);
    }
    report.steps = replay.steps();
    report.checks = replay.checks();
    report.ending = reader.ending();
    report.ending_text = reader.ending_text();
    report.last_tick = reader.last_tick();
    return report;
}

std::string rules_difference(const DemoHeader& header) {
    if (header.rules_version == sim::kRulesVersion) return {};
    return fmt::format("this demo was recorded with rules version {} (by skirmish-server {}); this build has rules "
                       "version {}. Re-simulating it here would report differences that are rule changes, not a "
                       "desync: verify it with a build at rules version {} (git log -S 'kRulesVersion = {}' "
                       "shared/sim/rules_version.hpp)",
                       header.rules_version, header.server_version, sim::kRulesVersion, header.rules_version,
                       header.rules_version);
}

} // namespace skirmish::demo
