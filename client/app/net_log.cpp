// client/app/net_log.cpp
#include "client/app/net_log.hpp"

#include <nlohmann/json.hpp>

namespace skirmish::app {

std::string to_json(const NetLogLine& l) {
    nlohmann::ordered_json j;
    j["t"] = l.t;
    j["screen"] = l.screen;
    j["lobby_state"] = l.lobby_state;
    j["server"] = l.server;
    j["name"] = l.name;
    j["problem"] = l.problem;
    j["room_id"] = l.room_id;
    j["match_id"] = l.match_id;
    j["players_seen"] = l.players_seen;
    j["spectating"] = l.spectating;
    j["spectator_camera"] = l.spectator_camera;
    j["followed"] = l.followed;
    j["frags"] = l.frags;
    j["deaths"] = l.deaths;
    j["ping_ms"] = l.ping_ms;
    j["snapshots_per_s"] = l.snapshots_per_s;
    j["snapshot_loss_pct"] = l.snapshot_loss_pct;
    j["snapshots_received"] = l.snapshots_received;
    j["snapshots_undecodable"] = l.snapshots_undecodable;
    j["down_bytes_per_s"] = l.down_bytes_per_s;
    j["up_bytes_per_s"] = l.up_bytes_per_s;
    j["interp_delay_ms"] = l.interp_delay_ms;
    j["extrapolating"] = l.extrapolating;
    j["corrections"] = l.corrections;
    j["fps"] = l.fps;
    j["audio"] = l.audio;
    j["sounds"] = l.sounds;
    j["overlay"] = l.overlay;
    if (!l.demo.empty()) {
        j["demo"] = {{"file", l.demo},         {"tick", l.demo_tick},     {"end_tick", l.demo_end_tick},
                     {"playing", l.demo_playing}, {"speed", l.demo_speed},   {"camera", l.demo_camera},
                     {"kills", l.demo_kills},   {"shots", l.demo_shots},   {"refused", l.demo_refused}};
    }
    j["profile"] = l.profile.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(l.profile);
    j["seed"] = l.seed;
    j["shots"] = l.hits.shots;
    j["client_hits"] = l.hits.client_hits;
    j["confirmed_client_hits"] = l.hits.confirmed_client_hits;
    j["hit_agreement_pct"] = l.hits.client_hits ? nlohmann::ordered_json(l.hits.agreement_pct()) : nullptr;
    j["phantom_hits"] = l.hits.phantom_hits;
    j["extrapolated_pct"] = l.extrapolated_pct;
    j["snaps_per_min"] = l.snaps_per_min;
    // Text from the network may hold anything: never let it stop the log.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

NetLog::NetLog(const std::string& path, util::Logger log) : path_(path), log_(std::move(log)) {
    if (path.empty()) return;
    out_.open(path, std::ios::out | std::ios::trunc);
    if (!out_) log_.warn("cannot write the net log {}: check the folder exists and is writable", path);
}

void NetLog::write(const NetLogLine& line) {
    if (!out_.is_open()) return;
    out_ << to_json(line) << '\n';
    out_.flush();
    if (!out_) {
        log_.warn("writing the net log {} failed: it stops here", path_);
        out_.close();
    }
}

} // namespace skirmish::app
