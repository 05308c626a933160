// shared/demo/demo_recorder.hpp
//
// Writes one match demo as the match runs: the owner (server/game's Match)
// reports every change to its world, in the order it made them, and the
// recorder turns them into records (demo_format.hpp) in a file
// (record_file.hpp). docs/DEMO.md has the format.
//
//   create(path, header)      the file and its header
//   joined / left             a player added to or taken out of the world
//   stepped(tick, inputs, w)  one step: the inputs consumed, and every
//                             state_interval ticks the world's state
//   ended(world, reason)      the match is over: End, a last State, then
//   finish(results)           the scoreboard, and the file is closed
//
// Everything is flushed to the kernel once per tick_rate_hz steps (a second
// of match time), so a server that dies loses at most the last second.
//
// IMPORTANT: the caller's thread only (the server's tick thread). A write
// error stops the recording (failed(), error()); the match goes on.
#pragma once

#include "shared/demo/demo_format.hpp"
#include "shared/demo/record_file.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace skirmish::demo {

class DemoRecorder {
public:
    static util::Result<std::unique_ptr<DemoRecorder>, std::string> create(const std::filesystem::path& path,
                                                                         const DemoHeader& header);

    void joined(const JoinEvent& join);
    void left(sim::Tick tick, std::uint32_t player_id);
    // After a step: `inputs` (any order, one per player in the world, input.player
    // set) were consumed at `tick`; `world` is the world after the step.
    void stepped(sim::Tick tick, std::span<const RecordedInput> inputs, const sim::World& world);
    // The match is over (the step that ended it has been reported first).
    void ended(const sim::World& world, protocol::MatchEndReason reason, bool by_rules);
    // Writes the final scoreboard and closes the file. Nothing is recorded after.
    void finish(const protocol::MatchResults& results, sim::Tick ticks);

    // Called once, on the first write error (the recording stops there).
    void on_error(std::function<void(const std::string&)> handler) { on_error_ = std::move(handler); }

    bool open() const noexcept { return !finished_ && !writer_->failed(); }
    bool failed() const noexcept { return writer_->failed(); }
    const std::string& error() const noexcept { return writer_->error(); }
    const std::filesystem::path& path() const noexcept { return writer_->path(); }
    std::uint64_t bytes_written() const noexcept { return writer_->bytes_written(); }

private:
    DemoRecorder(std::unique_ptr<RecordWriter> writer, const DemoHeader& header);
    void write(const DemoEvent& event);
    void write_state(const sim::World& world);
    void report_failure();

    std::unique_ptr<RecordWriter> writer_;
    DemoCodec codec_;
    ByteWriter scratch_;
    TickEvent tick_scratch_;
    std::uint32_t state_interval_;
    sim::Tick flush_every_;
    sim::Tick steps_since_flush_ = 0;
    bool finished_ = false;
    bool failure_reported_ = false;
    std::function<void(const std::string&)> on_error_;
};

// A state check of `world` as demos record it (hash and every player).
StateCheck capture_state(const sim::World& world);

} // namespace skirmish::demo
