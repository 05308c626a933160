// client/core/view_recording.cpp
#include "client/core/view_recording.hpp"

#include "shared/protocol/version.hpp"
#include "shared/sim/rules_version.hpp"
#include "skirmish/version.hpp"

#include <fmt/format.h>

namespace skirmish::client {

ViewRecording::ViewRecording(std::filesystem::path dir, std::string name, std::uint64_t started_unix_ms,
                             util::Logger log)
    : dir_(std::move(dir)), name_(std::move(name)), started_unix_ms_(started_unix_ms), log_(std::move(log)) {}

ViewRecording::~ViewRecording() = default;

std::uint64_t ViewRecording::micros(util::TimePoint now) const {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - start_).count();
    return us > 0 ? static_cast<std::uint64_t>(us) : 0;
}

std::optional<std::filesystem::path> ViewRecording::path() const {
    if (!recorder_) return std::nullopt;
    return recorder_->path();
}

void ViewRecording::record(const demo::ViewEvent& event) {
    if (!recorder_) return;
    recorder_->record(event);
    if (recorder_->failed() && !failure_logged_) {
        failure_logged_ = true;
        log_.error("the view recording stopped (the match goes on): {}", recorder_->error());
    }
}

void ViewRecording::accepted(const protocol::Accepted& m, util::TimePoint now) {
    if (recorder_) return;
    start_ = now;
    player_id_ = sim::PlayerId{m.player_id};
    demo::ViewHeader header;
    header.protocol_version = protocol::kProtocolVersion;
    header.rules_version = sim::kRulesVersion;
    header.client_version = kVersion;
    header.match_id = m.match_id;
    header.player_id = m.player_id;
    header.name = name_;
    header.tick_rate_hz = m.tick_rate_hz;
    header.snapshot_rate_hz = m.snapshot_rate_hz;
    header.map = m.map.name;
    header.started_unix_ms = started_unix_ms_;
    const auto path = file_ ? *file_ : dir_ / fmt::format("{}-{}-{}.skview", m.match_id, m.player_id, name_);
    auto recorder = demo::ViewRecorder::create(path, header);
    if (!recorder) {
        log_.error("no view recording: {}", recorder.error());
        return;
    }
    recorder_ = std::move(recorder).value();
}

void ViewRecording::snapshot(const protocol::SnapshotHeader& header, const protocol::SnapshotState& state,
                             util::TimePoint arrival) {
    record(demo::ViewSnapshot{micros(arrival), header, state});
}

void ViewRecording::input(const protocol::TickInput& t, const sim::Player* predicted,
                          const std::vector<sim::Player>* shot_targets, util::TimePoint now) {
    demo::ViewInput v;
    v.time_us = micros(now);
    v.tick = t.tick;
    v.input = t.input;
    v.input.player = player_id_;
    if (predicted) v.predicted = *predicted;
    v.shot = shot_targets != nullptr;
    if (shot_targets) {
        for (const sim::Player& p : *shot_targets) {
            if (p.id != player_id_) v.targets.push_back({sim::to_int(p.id), p.position, p.alive});
        }
    }
    record(v);
    inputs_since_frame_ = true;
}

void ViewRecording::frame(const ClientView& view, double render_tick, util::TimePoint now) {
    if (!inputs_since_frame_) return;
    inputs_since_frame_ = false;
    demo::ViewFrame f;
    f.time_us = micros(now);
    f.server_tick = view.server_tick;
    f.render_tick = render_tick;
    for (const ViewPlayer& p : view.players)
        f.players.push_back({sim::to_int(p.id), p.state.position, p.state.alive, p.local});
    record(f);
}

void ViewRecording::finish(const ClientView& view, util::TimePoint now) {
    if (!recorder_) return;
    demo::ViewEnd end;
    end.time_us = micros(now);
    if (view.results) end.reason = view.results->reason;
    end.status = view.status;
    recorder_->finish(end);
}

} // namespace skirmish::client
