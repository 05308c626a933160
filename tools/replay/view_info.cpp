// tools/replay/view_info.cpp: skirmish-replay info on a view recording
// (.skview, what skirmish-bots --record-view-dir writes): who recorded which
// match, what the file holds (snapshots, inputs, shots, frames, over which
// ticks and how long) and how the match and the file ended.
#include "shared/demo/view_format.hpp"
#include "tools/replay/commands.hpp"
#include "tools/replay/text.hpp"

#include <algorithm>
#include <limits>

namespace skirmish::replay {
namespace {

struct TickSpan {
    std::uint64_t count = 0;
    sim::Tick first = std::numeric_limits<sim::Tick>::max();
    sim::Tick last = 0;
    void add(sim::Tick tick) {
        ++count;
        first = std::min(first, tick);
        last = std::max(last, tick);
    }
    std::string text() const { return count ? fmt::format("ticks {}..{}", first, last) : std::string("none"); }
};

} // namespace

int run_view_info(const std::filesystem::path& file, std::FILE* out) {
    auto reader = demo::ViewReader::open(file);
    if (!reader) {
        fmt::print(stderr, "skirmish-replay: {}\n", reader.error());
        return kExitUnreadable;
    }
    const demo::ViewHeader& h = reader->header();
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(file, ec);
    fmt::print(out, "view of match {} by player {} ({}), recorded by client {} starting {}\n", h.match_id,
               h.player_id, h.name, h.client_version, utc_time(h.started_unix_ms));
    fmt::print(out, "versions: protocol {}, rules {}; file {} bytes\n", h.protocol_version, h.rules_version,
               ec ? 0 : bytes);
    fmt::print(out, "map: {}; tick rate {} Hz, snapshots {} Hz\n", h.map, h.tick_rate_hz, h.snapshot_rate_hz);

    TickSpan snapshots, inputs;
    std::uint64_t full = 0, predicted = 0, shots = 0, frames = 0, last_us = 0;
    std::optional<demo::ViewEnd> end;
    while (auto event = reader->next()) {
        if (const auto* s = std::get_if<demo::ViewSnapshot>(&*event)) {
            snapshots.add(s->header.server_tick);
            full += s->header.baseline_tick == 0;
            last_us = std::max(last_us, s->time_us);
        } else if (const auto* in = std::get_if<demo::ViewInput>(&*event)) {
            inputs.add(in->tick);
            predicted += in->predicted.has_value();
            shots += in->shot;
            last_us = std::max(last_us, in->time_us);
        } else if (const auto* f = std::get_if<demo::ViewFrame>(&*event)) {
            ++frames;
            last_us = std::max(last_us, f->time_us);
        } else {
            end = std::get<demo::ViewEnd>(*event);
            last_us = std::max(last_us, end->time_us);
        }
    }
    fmt::print(out, "recorded: {:.2f} s\n", static_cast<double>(last_us) / 1e6);
    fmt::print(out, "snapshots: {} ({} full), {}\n", snapshots.count, full, snapshots.text());
    fmt::print(out, "inputs: {} ({} with the predicted own state), {}; shots: {}\n", inputs.count, predicted,
               inputs.text(), shots);
    fmt::print(out, "frames: {}\n", frames);
    if (!end) fmt::print(out, "ended: no end record\n");
    else if (end->reason) fmt::print(out, "ended: the match ended ({}); \"{}\"\n", protocol::name(*end->reason), end->status);
    else fmt::print(out, "ended: before the match did; \"{}\"\n", end->status);
    fmt::print(out, "file: {}\n", reader->ending_text());
    return reader->ending() == demo::Ending::Corrupt ? kExitDamaged : kExitOk;
}

} // namespace skirmish::replay
