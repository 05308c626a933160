// shared/demo/demo_reader.hpp
//
// Reads a match demo (.skdemo) event by event, in the order the server made
// the changes: what skirmish-replay, the corpus test and (issue 14 item 4)
// the client's playback build on. A file that was cut off (the server died)
// reads up to its last whole record and says so; a damaged one stops at the
// damage and says where.
//
// IMPORTANT: the file is untrusted: every record is checked (demo_format.hpp)
// before it is handed out; nothing in a file can crash or exhaust the reader.
#pragma once

#include "shared/demo/demo_format.hpp"
#include "shared/demo/record_file.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace skirmish::demo {

class DemoReader {
public:
    // Opens the file and reads its header (the first record).
    static util::Result<DemoReader, std::string> open(const std::filesystem::path& path);
    static util::Result<DemoReader, std::string> from_bytes(std::vector<std::uint8_t> bytes);

    const DemoHeader& header() const noexcept { return header_; }
    // The next event; nullopt at the end, when ending() says how the demo ended.
    std::optional<DemoEvent> next();

    // Complete: closed with its scoreboard. Truncated: cut off (or closed
    // without a scoreboard). Corrupt: damaged bytes or an impossible record.
    Ending ending() const noexcept { return ending_; }
    const std::string& ending_text() const noexcept { return ending_text_; }
    // The world's tick after the last step read (0 before any).
    sim::Tick last_tick() const noexcept { return last_tick_; }
    std::uint64_t file_bytes() const noexcept { return records_.file_bytes(); }

private:
    DemoReader(RecordReader records, DemoHeader header)
        : records_(std::move(records)), header_(std::move(header)), codec_(records_.version()) {}
    static util::Result<DemoReader, std::string> start(util::Result<RecordReader, std::string> records);
    void stop(Ending ending, std::string text);

    RecordReader records_;
    DemoHeader header_;
    DemoCodec codec_;
    sim::Tick last_tick_ = 0;
    bool scoreboard_seen_ = false;
    bool done_ = false;
    Ending ending_ = Ending::Complete;
    std::string ending_text_;
};

} // namespace skirmish::demo
