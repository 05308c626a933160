// client/bots/report.cpp
#include "client/bots/report.hpp"

#include "shared/net/latency_profiles.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace skirmish::bots {

Report aggregate(const std::vector<const BotMetrics*>& bots, std::size_t connected, double duration_s) {
    Report r;
    r.bots = bots.size();
    r.connected = connected;
    r.duration_s = duration_s;
    util::Histogram rtt, down, up, rates, correction_units;
    std::uint64_t snapshots = 0, lost = 0, corrections = 0, by_players = 0;
    client::SmoothnessCounts smooth;
    double match_s = 0;
    std::uint64_t snapshot_bytes = 0, snapshots_all = 0;
    const protocol::ServerStats* latest_server = nullptr;
    for (const BotMetrics* b : bots) {
        rtt.merge(b->rtt_ms);
        down.merge(b->down_bytes_per_s);
        up.merge(b->up_bytes_per_s);
        if (b->settled_match_s >= 1.0) rates.record(static_cast<double>(b->snapshots) / b->settled_match_s);
        snapshots += b->snapshots;
        lost += b->snapshots_lost;
        corrections += b->corrections;
        by_players += b->corrections_by_players;
        correction_units.merge(b->correction_units);
        smooth.frames += b->smoothness.frames;
        smooth.extrapolated_frames += b->smoothness.extrapolated_frames;
        smooth.long_extrapolations += b->smoothness.long_extrapolations;
        smooth.snaps += b->smoothness.snaps;
        smooth.seconds += b->smoothness.seconds;
        match_s += b->match_s;
        r.disconnects += b->disconnects;
        r.lobby_disconnects += b->lobby_disconnects;
        r.matches += b->matches;
        r.shots += b->shots;
        r.hits += b->hits;
        r.hit_agreement += b->hit_agreement;
        r.inputs += b->inputs;
        snapshot_bytes += b->snapshot_bytes;
        snapshots_all += b->snapshots_all;
        if (b->server && (!latest_server || b->server->run_ticks > latest_server->run_ticks)) latest_server = &*b->server;
        if (!b->last_problem.empty() && r.problems.size() < 5 &&
            std::find(r.problems.begin(), r.problems.end(), b->last_problem) == r.problems.end())
            r.problems.push_back(b->last_problem);
    }
    r.rtt_ms = {rtt.percentile(50), rtt.percentile(90), rtt.percentile(99), rtt.max()};
    r.snapshots_per_s = {rates.percentile(50), rates.min()};
    r.snapshot_loss_pct = snapshots + lost ? 100.0 * static_cast<double>(lost) / static_cast<double>(snapshots + lost) : 0;
    r.down_bytes_per_s = {down.mean(), down.percentile(99)};
    r.up_bytes_per_s = {up.mean(), up.percentile(99)};
    r.snapshot_bytes_mean = snapshots_all ? static_cast<double>(snapshot_bytes) / static_cast<double>(snapshots_all) : 0;
    r.corrections_per_min = match_s > 0 ? static_cast<double>(corrections) / (match_s / 60.0) : 0;
    r.correction_units = {correction_units.mean(), correction_units.percentile(99), correction_units.max()};
    r.corrections_by_players_pct =
        corrections ? 100.0 * static_cast<double>(by_players) / static_cast<double>(corrections) : 0.0;
    r.extrapolated_pct = smooth.extrapolated_pct();
    r.extrapolations_over_100ms = smooth.long_extrapolations;
    r.snaps_per_min = smooth.snaps_per_min();
    if (latest_server) {
        r.server.tick_rate = latest_server->tick_rate_hz;
        r.server.tick_ms = {latest_server->run_tick_ms_p50, latest_server->run_tick_ms_p99, latest_server->run_tick_ms_max};
        r.server.overruns = latest_server->overruns;
        r.server.ticks = latest_server->run_ticks;
    }
    for (const BotMetrics* b : bots) {
        if (b->server) r.server.players = std::max(r.server.players, b->server->players);
    }
    return r;
}

namespace {

using Json = nlohmann::ordered_json; // keys in the order written: the report reads top to bottom

// Figures to three decimals, as people read them; not finite (no data): null.
Json number(double v) {
    if (!std::isfinite(v)) return nullptr;
    return std::round(v * 1000.0) / 1000.0;
}

Json relay_direction_json(const net::RelayDirectionStats& s) {
    return {{"packets_in", s.packets_in}, {"delivered", s.delivered},   {"dropped", s.dropped},
            {"cut_off", s.cut_off},       {"duplicated", s.duplicated}, {"reordered", s.reordered},
            {"overflowed", s.overflowed}, {"send_errors", s.send_errors}};
}

Json link_json(const net::LinkConditions& l) {
    return {{"latency_ms", number(l.latency_ms)}, {"jitter_ms", number(l.jitter_ms)}, {"loss_pct", number(l.loss_pct)},
            {"dup_pct", number(l.dup_pct)},       {"reorder_pct", number(l.reorder_pct)}};
}

} // namespace

std::string to_json(const Report& r) {
    Json j;
    j["bots"] = r.bots;
    j["connected"] = r.connected;
    j["disconnects"] = r.disconnects;
    j["duration_s"] = number(r.duration_s);
    j["rtt_ms"] = {{"p50", number(r.rtt_ms.p50)}, {"p90", number(r.rtt_ms.p90)}, {"p99", number(r.rtt_ms.p99)},
                   {"max", number(r.rtt_ms.max)}};
    j["snapshots_per_s"] = {{"p50", number(r.snapshots_per_s.p50)}, {"min", number(r.snapshots_per_s.min)}};
    j["snapshot_loss_pct"] = number(r.snapshot_loss_pct);
    j["down_bytes_per_s"] = {{"mean", number(r.down_bytes_per_s.mean)}, {"p99", number(r.down_bytes_per_s.p99)}};
    j["up_bytes_per_s"] = {{"mean", number(r.up_bytes_per_s.mean)}, {"p99", number(r.up_bytes_per_s.p99)}};
    j["corrections_per_min"] = number(r.corrections_per_min);
    j["correction_units"] = {{"mean", number(r.correction_units.mean)},
                             {"p99", number(r.correction_units.p99)},
                             {"max", number(r.correction_units.max)}};
    j["corrections_by_players_pct"] = number(r.corrections_by_players_pct);
    j["extrapolated_pct"] = number(r.extrapolated_pct);
    j["extrapolations_over_100ms"] = r.extrapolations_over_100ms;
    j["snaps_per_min"] = number(r.snaps_per_min);
    // Inputs applied (docs/NETCODE.md, "Inputs applied"): the server's counts
    // of each bot's match, added up; applied_pct is null before any arrived.
    j["inputs"] = {{"applied_pct", number(r.inputs.applied_pct())},
                   {"repeated", r.inputs.repeated},
                   {"late", r.inputs.late},
                   {"too_early", r.inputs.too_early},
                   {"redundant", r.inputs.redundant},
                   {"applied", r.inputs.applied},
                   {"before_first", r.inputs.before_first},
                   {"matches", r.inputs.matches}};
    j["server"] = {{"tick_rate", r.server.tick_rate},
                   {"tick_ms",
                    {{"p50", number(r.server.tick_ms.p50)},
                     {"p99", number(r.server.tick_ms.p99)},
                     {"max", number(r.server.tick_ms.max)}}},
                   {"overruns", r.server.overruns},
                   {"players", r.server.players},
                   {"ticks", r.server.ticks}};
    j["matches"] = r.matches;
    j["shots"] = r.shots;
    j["hits"] = r.hits;
    // Hit agreement (docs/NETCODE.md, "Hit agreement"): null without a shot seen to hit.
    const client::HitCounts& h = r.hit_agreement;
    j["client_hits"] = h.client_hits;
    j["confirmed_client_hits"] = h.confirmed_client_hits;
    j["hit_agreement_pct"] = number(h.client_hits ? h.agreement_pct() : std::nan(""));
    j["phantom_hits"] = h.phantom_hits;
    j["hit_agreement_unraced_pct"] =
        number(h.client_hits > h.target_died_first + h.shooter_died_first ? h.unraced_agreement_pct() : std::nan(""));
    j["hit_disagreement"] = {{"target_died_first", h.target_died_first},
                             {"target_killed_by_us", h.target_killed_by_us},
                             {"shooter_died_first", h.shooter_died_first},
                             {"input_not_applied", h.input_not_applied},
                             {"server_missed", h.server_missed}};
    j["unresolved_shots"] = h.unresolved;
    j["snapshot_bytes_mean"] = number(r.snapshot_bytes_mean);
    j["server_address"] = r.server_address;
    j["room_size"] = r.room_size;
    j["threads"] = r.threads;
    j["conditions"] = {{"up", link_json(r.conditions.up)},
                       {"down", link_json(r.conditions.down)},
                       {"seed", r.conditions.seed},
                       {"outages", {{"length_ms", number(r.conditions.outages.length_ms)},
                                    {"every_s", number(r.conditions.outages.every_s)}}}};
    // The named profile the conditions came from, and the seed they ran with.
    j["profile"] = {{"name", r.conditions.profile.empty() ? Json(nullptr) : Json(r.conditions.profile)},
                    {"seed", r.conditions.seed},
                    {"as_defined", net::follows_profile(r.conditions)}};
    j["problems"] = r.problems;
    j["lobby_disconnects"] = r.lobby_disconnects;
    j["schedule"] = {{"steps", r.schedule_steps}, {"changes", r.schedule_changes}};
    j["relay"] = nullptr;
    if (r.relay) {
        j["relay"] = {{"up", relay_direction_json(r.relay->up)},
                      {"down", relay_direction_json(r.relay->down)},
                      {"links_opened", r.relay->links_opened}};
    }
    // Texts that are not UTF-8 (they come from servers) are written with U+FFFD
    // in place of the broken bytes rather than failing the report.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string to_table(const Report& r) {
    std::string t;
    t += fmt::format("{:<28}{}\n", "server", r.server_address);
    if (!r.conditions.profile.empty())
        t += fmt::format("{:<28}{} (seed {}{})\n", "latency profile", r.conditions.profile, r.conditions.seed,
                         net::follows_profile(r.conditions) ? "" : ", settings changed by other flags");
    t += fmt::format("{:<28}{} asked, {} connected, {} disconnects ({} of the lobby), {} matches\n", "bots", r.bots,
                     r.connected, r.disconnects, r.lobby_disconnects, r.matches);
    t += fmt::format("{:<28}{:.1f} s\n", "duration", r.duration_s);
    t += fmt::format("{:<28}p50 {:.1f}  p90 {:.1f}  p99 {:.1f}  max {:.1f}\n", "rtt ms", r.rtt_ms.p50, r.rtt_ms.p90,
                     r.rtt_ms.p99, r.rtt_ms.max);
    t += fmt::format("{:<28}p50 {:.1f}  min {:.1f}   loss {:.2f} %\n", "snapshots per s per bot", r.snapshots_per_s.p50,
                     r.snapshots_per_s.min, r.snapshot_loss_pct);
    t += fmt::format("{:<28}mean {:.0f}  p99 {:.0f}   (snapshots {:.1f} B each before ENet headers)\n",
                     "down bytes/s per bot", r.down_bytes_per_s.mean, r.down_bytes_per_s.p99, r.snapshot_bytes_mean);
    t += fmt::format("{:<28}mean {:.0f}  p99 {:.0f}\n", "up bytes/s per bot", r.up_bytes_per_s.mean, r.up_bytes_per_s.p99);
    t += fmt::format("{:<28}{:.2f}\n", "corrections per minute", r.corrections_per_min);
    t += fmt::format("{:<28}{:.0f} % of {} shots\n", "hits (server-confirmed)",
                     r.shots ? 100.0 * static_cast<double>(r.hits) / static_cast<double>(r.shots) : 0.0, r.shots);
    const client::HitCounts& h = r.hit_agreement;
    t += fmt::format("{:<28}{:.2f} % of {} seen to hit ({} phantom); refused: target died first {} ({} killed by "
                     "us), shooter died first {}, input not applied {}, missed {}; without the kill races {:.2f} %\n",
                     "hit agreement", h.agreement_pct(), h.client_hits, h.phantom_hits, h.target_died_first,
                     h.target_killed_by_us, h.shooter_died_first, h.input_not_applied, h.server_missed,
                     h.unraced_agreement_pct());
    t += fmt::format("{:<28}mean {:.2f}  p99 {:.2f}  max {:.2f} units, {:.0f} % by other players\n",
                     "correction sizes", r.correction_units.mean, r.correction_units.p99, r.correction_units.max,
                     r.corrections_by_players_pct);
    t += fmt::format("{:<28}{:.2f} % of frames extrapolated ({} over 100 ms), {:.2f} snaps per minute\n",
                     "remote players", r.extrapolated_pct, r.extrapolations_over_100ms, r.snaps_per_min);
    t += fmt::format("{:<28}{:.3f} % of {} ticks; repeated {}, late {}, too early {}, redundant {}\n",
                     "inputs applied (server)", r.inputs.applied_pct(), r.inputs.applied + r.inputs.repeated,
                     r.inputs.repeated, r.inputs.late, r.inputs.too_early, r.inputs.redundant);
    t += fmt::format("{:<28}{} Hz, p50 {:.3f}  p99 {:.3f}  max {:.3f} ms, {} overruns, {} players\n", "server tick",
                     r.server.tick_rate, r.server.tick_ms.p50, r.server.tick_ms.p99, r.server.tick_ms.max,
                     r.server.overruns, r.server.players);
    if (r.relay) {
        for (const auto& [label, d] : {std::pair{"relay up", r.relay->up}, std::pair{"relay down", r.relay->down}}) {
            t += fmt::format("{:<28}{} in, {} dropped ({} by outages), {} duplicated, {} reordered\n", label,
                             d.packets_in, d.dropped, d.cut_off, d.duplicated, d.reordered);
        }
    }
    if (r.schedule_steps > 0)
        t += fmt::format("{:<28}{} steps, changed {} times\n", "conditions schedule", r.schedule_steps, r.schedule_changes);
    for (const auto& p : r.problems) t += fmt::format("{:<28}{}\n", "problem seen", p);
    return t;
}

std::vector<std::string> check(const Report& r, const Thresholds& t) {
    std::vector<std::string> missed;
    if (t.max_rtt_p99_ms && r.rtt_ms.p99 > *t.max_rtt_p99_ms)
        missed.push_back(fmt::format("RTT p99 {:.1f} ms is over --max-rtt-p99-ms {:.1f}", r.rtt_ms.p99, *t.max_rtt_p99_ms));
    if (t.min_connected && r.connected < *t.min_connected)
        missed.push_back(fmt::format("{} bots connected, fewer than --min-connected {}", r.connected, *t.min_connected));
    if (t.max_disconnects && r.disconnects > *t.max_disconnects)
        missed.push_back(fmt::format("{} disconnects, more than --max-disconnects {}", r.disconnects, *t.max_disconnects));
    if (t.min_snapshot_rate && r.snapshots_per_s.min < *t.min_snapshot_rate)
        missed.push_back(fmt::format("slowest bot got {:.1f} snapshots/s, under --min-snapshot-rate {:.1f}",
                                     r.snapshots_per_s.min, *t.min_snapshot_rate));
    if (t.max_snapshot_loss_pct && r.snapshot_loss_pct > *t.max_snapshot_loss_pct)
        missed.push_back(fmt::format("snapshot loss {:.2f} % is over --max-snapshot-loss-pct {:.2f}", r.snapshot_loss_pct,
                                     *t.max_snapshot_loss_pct));
    if (t.max_down_bytes_per_s && r.down_bytes_per_s.mean > *t.max_down_bytes_per_s)
        missed.push_back(fmt::format("downstream {:.0f} B/s per bot is over --max-down-bytes-per-s {:.0f}",
                                     r.down_bytes_per_s.mean, *t.max_down_bytes_per_s));
    if (t.max_server_tick_p99_ms && r.server.tick_ms.p99 > *t.max_server_tick_p99_ms)
        missed.push_back(fmt::format("server tick p99 {:.3f} ms is over --max-server-tick-p99-ms {:.3f}",
                                     r.server.tick_ms.p99, *t.max_server_tick_p99_ms));
    return missed;
}

} // namespace skirmish::bots
