// client/core/view_recording.hpp
//
// A ViewTap that writes what the client saw to a view file (.skview,
// shared/demo/view_format.hpp), named DIR/<match id>-<player id>-<name>.skview
// once the match accepts the client. A Frame record is written only after an
// update that made inputs: one per client tick, not per display frame.
//
// IMPORTANT: the GameClient's thread. Time comes in as values; the wall-clock
// start is given at construction. A file that cannot be written is logged
// once and the client plays on.
#pragma once

#include "client/core/view_tap.hpp"
#include "shared/demo/view_format.hpp"
#include "shared/util/log.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace skirmish::client {

class ViewRecording final : public ViewTap {
public:
    ViewRecording(std::filesystem::path dir, std::string name, std::uint64_t started_unix_ms, util::Logger log);
    ~ViewRecording() override;
    // Writes to exactly `file` instead of DIR/<match id>-<player id>-<name>.skview
    // (the desktop client's --record-view FILE).
    void set_file(std::filesystem::path file) { file_ = std::move(file); }

    void accepted(const protocol::Accepted& accepted, util::TimePoint now) override;
    void snapshot(const protocol::SnapshotHeader& header, const protocol::SnapshotState& state,
                  util::TimePoint arrival) override;
    void input(const protocol::TickInput& input, const sim::Player* predicted,
               const std::vector<sim::Player>* shot_targets, util::TimePoint now) override;
    void frame(const ClientView& view, double render_tick, util::TimePoint now) override;

    // Writes the End record (the match's end reason if it ended) and closes.
    void finish(const ClientView& view, util::TimePoint now);
    // The file, once the match accepted us and it was created.
    std::optional<std::filesystem::path> path() const;

private:
    std::uint64_t micros(util::TimePoint now) const;
    void record(const demo::ViewEvent& event);

    std::filesystem::path dir_;
    std::optional<std::filesystem::path> file_;
    std::string name_;
    std::uint64_t started_unix_ms_;
    util::Logger log_;
    std::unique_ptr<demo::ViewRecorder> recorder_;
    util::TimePoint start_{};
    sim::PlayerId player_id_{};
    bool inputs_since_frame_ = false;
    bool failure_logged_ = false;
};

} // namespace skirmish::client
