// shared/demo/view_format.hpp
//
// A view recording (.skview): what one client saw and did in one match, per
// client tick: the snapshots it received, the inputs it sent (with its view
// tick, its predicted own state and, when the rifle fired, where it drew its
// targets), and per tick the positions it drew. The server's demo of the same
// match is the other side: skirmish-bots --record-view-dir writes these now;
// the client's --record-view and the shot-by-shot comparison (issue 14 item
// 5) read them. Same container as demos (record_file.hpp), magic "SKVIEW";
// byte layout in docs/DEMO.md, "View recordings".
//
//   Header    once, first: versions, match, player, tick and snapshot rates, map
//   Snapshot  a snapshot as decoded, with its header and arrival time
//   Input     one input as sent, for its tick; predicted state; shot marker
//   Frame     after a client update that made inputs: everyone as drawn
//   End       the match (or the connection) ended
//
// Times are microseconds since the recording began (a steady clock, passed in).
//
// IMPORTANT: ViewReader reads untrusted bytes; counts are capped, every record
// checked, a cut-off file reads to its last whole record (record_file.hpp).
#pragma once

#include "shared/demo/byte_io.hpp"
#include "shared/demo/record_file.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/input.hpp"
#include "shared/sim/world.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace skirmish::demo {

// 2: protected_until_tick in the player state (player_fields.hpp); files of
// format 1 still read.
inline constexpr std::uint16_t kViewFormatVersion = 2;

enum class ViewRecordType : std::uint8_t { Header = 1, Snapshot = 2, Input = 3, Frame = 4, End = 5 };

struct ViewHeader {
    std::uint32_t protocol_version = 0;
    std::uint32_t rules_version = 0;
    std::string client_version;
    std::uint32_t match_id = 0;
    std::uint32_t player_id = 0;
    std::string name;
    std::uint16_t tick_rate_hz = 0;
    std::uint16_t snapshot_rate_hz = 0;
    std::string map;
    std::uint64_t started_unix_ms = 0;
};

struct ViewSnapshot {
    std::uint64_t time_us = 0; // when it arrived
    protocol::SnapshotHeader header;
    protocol::SnapshotState state;
};

// A remote player where this client had it when it fired (the raw
// interpolation at its view tick: what lag compensation should rewind to).
struct SeenPlayer {
    std::uint32_t id = 0;
    sim::Vec2 position;
    bool alive = false;
};

struct ViewInput {
    std::uint64_t time_us = 0;
    sim::Tick tick = 0;
    sim::PlayerInput input;               // input.player is the recording player
    std::optional<sim::Player> predicted; // own state after this input, if predicting
    bool shot = false;                    // the predicted rifle fired on this input
    std::vector<SeenPlayer> targets;      // for a shot: everyone else as sampled
};

struct DrawnPlayer {
    std::uint32_t id = 0;
    sim::Vec2 position;
    bool alive = false;
    bool local = false; // this client's own player (predicted and smoothed)
};

struct ViewFrame {
    std::uint64_t time_us = 0;
    double server_tick = 0; // the client's estimate of the server's tick now
    double render_tick = 0; // the interpolation's tick: where remote players are drawn from
    std::vector<DrawnPlayer> players;
};

struct ViewEnd {
    std::uint64_t time_us = 0;
    std::optional<protocol::MatchEndReason> reason; // if the match ended (MatchOver arrived)
    std::string status;                             // the client's last word on its connection
};

using ViewEvent = std::variant<ViewSnapshot, ViewInput, ViewFrame, ViewEnd>;

// Writes a view recording; flushed once a second of recorded time.
// IMPORTANT: the caller's thread only; a write error stops it (failed()).
class ViewRecorder {
public:
    static util::Result<std::unique_ptr<ViewRecorder>, std::string> create(const std::filesystem::path& path,
                                                                         const ViewHeader& header);
    void record(const ViewEvent& event);
    // Writes End and closes the file; nothing is recorded after.
    void finish(const ViewEnd& end);

    bool failed() const noexcept { return writer_->failed(); }
    const std::string& error() const noexcept { return writer_->error(); }
    const std::filesystem::path& path() const noexcept { return writer_->path(); }

private:
    explicit ViewRecorder(std::unique_ptr<RecordWriter> writer) : writer_(std::move(writer)) {}

    std::unique_ptr<RecordWriter> writer_;
    ByteWriter scratch_;
    std::uint64_t flushed_at_us_ = 0;
    bool finished_ = false;
};

class ViewReader {
public:
    static util::Result<ViewReader, std::string> open(const std::filesystem::path& path);
    static util::Result<ViewReader, std::string> from_bytes(std::vector<std::uint8_t> bytes);

    const ViewHeader& header() const noexcept { return header_; }
    // The next event; nullopt at the end, when ending() says how it ended.
    std::optional<ViewEvent> next();
    Ending ending() const noexcept { return ending_; }
    const std::string& ending_text() const noexcept { return ending_text_; }

private:
    ViewReader(RecordReader records, ViewHeader header) : records_(std::move(records)), header_(std::move(header)) {}
    static util::Result<ViewReader, std::string> start(util::Result<RecordReader, std::string> records);

    RecordReader records_;
    ViewHeader header_;
    bool done_ = false;
    Ending ending_ = Ending::Complete;
    std::string ending_text_;
};

std::vector<std::uint8_t> encode_view_header(const ViewHeader& header);
util::Result<ViewHeader, std::string> decode_view_header(std::span<const std::uint8_t> payload);
ViewRecordType encode_view_event(const ViewEvent& event, ByteWriter& out);
// `format`: the file's format version (encode_view_event writes kViewFormatVersion's).
util::Result<ViewEvent, std::string> decode_view_event(std::uint8_t type, std::span<const std::uint8_t> payload,
                                                       std::uint16_t format = kViewFormatVersion);

} // namespace skirmish::demo
