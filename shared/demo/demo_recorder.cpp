// shared/demo/demo_recorder.cpp
#include "shared/demo/demo_recorder.hpp"

#include "shared/sim/hash.hpp"

#include <algorithm>

namespace skirmish::demo {

StateCheck capture_state(const sim::World& world) {
    StateCheck state;
    state.tick = world.tick;
    state.phase = world.phase;
    state.hash = sim::state_hash(world);
    state.players = world.players;
    return state;
}

util::Result<std::unique_ptr<DemoRecorder>, std::string> DemoRecorder::create(const std::filesystem::path& path,
                                                                            const DemoHeader& header) {
    auto writer = RecordWriter::create(path, kDemoMagic, kDemoFormatVersion);
    if (!writer) return util::fail(writer.error());
    std::unique_ptr<DemoRecorder> recorder(new DemoRecorder(std::move(writer).value(), header));
    recorder->writer_->append(static_cast<std::uint8_t>(DemoRecordType::Header), encode_header(header));
    // The header is on disk before the first tick: even a demo cut off at
    // once says which match it was.
    if (!recorder->writer_->flush()) return util::fail(recorder->writer_->error());
    return recorder;
}

DemoRecorder::DemoRecorder(std::unique_ptr<RecordWriter> writer, const DemoHeader& header)
    : writer_(std::move(writer)),
      state_interval_(std::max<std::uint32_t>(header.state_interval_ticks, 1)),
      flush_every_(static_cast<sim::Tick>(std::max(header.rules.tick_rate_hz, 1))) {}

void DemoRecorder::write(const DemoEvent& event) {
    const DemoRecordType type = codec_.encode(event, scratch_);
    writer_->append(static_cast<std::uint8_t>(type), scratch_.bytes());
    report_failure();
}

void DemoRecorder::report_failure() {
    if (!writer_->failed() || failure_reported_) return;
    failure_reported_ = true;
    if (on_error_) on_error_(writer_->error());
}

void DemoRecorder::write_state(const sim::World& world) { write(capture_state(world)); }

void DemoRecorder::joined(const JoinEvent& join) {
    if (open()) write(join);
}

void DemoRecorder::left(sim::Tick tick, std::uint32_t player_id) {
    if (open()) write(LeaveEvent{tick, player_id});
}

void DemoRecorder::stepped(sim::Tick tick, std::span<const RecordedInput> inputs, const sim::World& world) {
    if (!open()) return;
    tick_scratch_.tick = tick;
    tick_scratch_.inputs.assign(inputs.begin(), inputs.end());
    std::sort(tick_scratch_.inputs.begin(), tick_scratch_.inputs.end(),
              [](const RecordedInput& a, const RecordedInput& b) { return a.input.player < b.input.player; });
    tick_scratch_.step_hash = static_cast<std::uint16_t>(sim::state_hash(world));
    write(tick_scratch_);
    if (world.tick % state_interval_ == 0) write_state(world);
    if (++steps_since_flush_ >= flush_every_) {
        steps_since_flush_ = 0;
        writer_->flush();
        report_failure();
    }
}

void DemoRecorder::ended(const sim::World& world, protocol::MatchEndReason reason, bool by_rules) {
    if (!open()) return;
    write(EndEvent{world.tick, reason, by_rules});
    write_state(world); // the final state, whatever the interval
}

void DemoRecorder::finish(const protocol::MatchResults& results, sim::Tick ticks) {
    if (!open()) return;
    write(Scoreboard{ticks, results});
    finished_ = true;
    writer_->close();
    report_failure();
}

} // namespace skirmish::demo
