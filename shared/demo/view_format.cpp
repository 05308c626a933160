// shared/demo/view_format.cpp
#include "shared/demo/view_format.hpp"

#include "shared/demo/player_fields.hpp"

#include <fmt/format.h>

namespace skirmish::demo {

static_assert(kViewFormatVersion == kPlayerStateFormat, "the view format writes player_fields.hpp's layout");

namespace {

using util::fail;

constexpr std::uint8_t kInputPredicted = 1u << 0;
constexpr std::uint8_t kInputShot = 1u << 1;
constexpr std::uint8_t kDrawnAlive = 1u << 0;
constexpr std::uint8_t kDrawnLocal = 1u << 1;
constexpr std::uint64_t kFlushEveryUs = 1'000'000;

template <typename T>
util::Result<ViewEvent, std::string> finished(ByteReader& in, T event, std::string_view what) {
    if (in.failed()) return fail(fmt::format("a {} record is cut short", what));
    if (!in.done()) return fail(fmt::format("a {} record has {} bytes too many", what, in.remaining()));
    return ViewEvent{std::move(event)};
}


util::Result<ViewEvent, std::string> decode_snapshot(ByteReader& in, std::uint16_t format) {
    ViewSnapshot s;
    s.time_us = in.u64();
    s.header.server_tick = in.u32();
    s.header.baseline_tick = in.u32();
    s.header.last_input_tick = in.u32();
    s.header.input_lead = in.i32();
    s.header.inputs_held_through = in.u32();
    s.state.tick = s.header.server_tick;
    const std::uint8_t phase = in.u8();
    const std::size_t count = in.u8();
    if (phase > static_cast<std::uint8_t>(sim::MatchPhase::Over)) return fail(fmt::format("unknown phase {}", phase));
    if (count > protocol::kMaxSnapshotEntities) return fail(fmt::format("a snapshot of {} players", count));
    s.state.phase = static_cast<sim::MatchPhase>(phase);
    for (std::size_t i = 0; i < count && !in.failed(); ++i) s.state.players.push_back(read_player(in, format));
    return finished(in, std::move(s), "snapshot");
}

util::Result<ViewEvent, std::string> decode_input(ByteReader& in, std::uint16_t format) {
    ViewInput v;
    v.time_us = in.u64();
    v.tick = in.u32();
    v.input.player = sim::PlayerId{in.u32()};
    v.input.move_x = in.i8();
    v.input.move_y = in.i8();
    v.input.aim = in.u16();
    v.input.buttons = in.u8();
    v.input.view_tick = in.u32();
    v.input.view_fraction = in.u8();
    const std::uint8_t flags = in.u8();
    if (flags & ~(kInputPredicted | kInputShot)) return fail(fmt::format("an input with bad flags {:#04x}", flags));
    if (flags & kInputPredicted) v.predicted = read_player(in, format);
    v.shot = (flags & kInputShot) != 0;
    if (v.shot) {
        const std::size_t count = in.u8();
        if (count > protocol::kMaxSnapshotEntities) return fail(fmt::format("a shot at {} targets", count));
        for (std::size_t i = 0; i < count && !in.failed(); ++i) {
            SeenPlayer p;
            p.id = in.u32();
            p.position = {in.f32(), in.f32()};
            p.alive = in.u8() != 0;
            v.targets.push_back(p);
        }
    }
    return finished(in, std::move(v), "input");
}

util::Result<ViewEvent, std::string> decode_frame(ByteReader& in) {
    ViewFrame f;
    f.time_us = in.u64();
    f.server_tick = in.f64();
    f.render_tick = in.f64();
    const std::size_t count = in.u8();
    if (count > protocol::kMaxSnapshotEntities) return fail(fmt::format("a frame of {} players", count));
    for (std::size_t i = 0; i < count && !in.failed(); ++i) {
        DrawnPlayer p;
        p.id = in.u32();
        const std::uint8_t flags = in.u8();
        if (flags & ~(kDrawnAlive | kDrawnLocal)) return fail(fmt::format("a drawn player with bad flags {:#04x}", flags));
        p.position = {in.f32(), in.f32()};
        p.alive = (flags & kDrawnAlive) != 0;
        p.local = (flags & kDrawnLocal) != 0;
        f.players.push_back(p);
    }
    return finished(in, std::move(f), "frame");
}

} // namespace

// --- codec --------------------------------------------------------------------------

std::vector<std::uint8_t> encode_view_header(const ViewHeader& h) {
    ByteWriter out;
    out.u32(h.protocol_version);
    out.u32(h.rules_version);
    out.str(h.client_version);
    out.u32(h.match_id);
    out.u32(h.player_id);
    out.str(h.name);
    out.u16(h.tick_rate_hz);
    out.u16(h.snapshot_rate_hz);
    out.str(h.map);
    out.u64(h.started_unix_ms);
    return out.bytes();
}

util::Result<ViewHeader, std::string> decode_view_header(std::span<const std::uint8_t> payload) {
    ByteReader in(payload);
    ViewHeader h;
    h.protocol_version = in.u32();
    h.rules_version = in.u32();
    h.client_version = in.str();
    h.match_id = in.u32();
    h.player_id = in.u32();
    h.name = in.str();
    h.tick_rate_hz = in.u16();
    h.snapshot_rate_hz = in.u16();
    h.map = in.str();
    h.started_unix_ms = in.u64();
    if (!in.done()) return fail(std::string("the view header is cut short or too long"));
    if (h.tick_rate_hz < sim::kMinTickRateHz || h.tick_rate_hz > sim::kMaxTickRateHz)
        return fail(fmt::format("tick rate {} Hz is outside {}..{}", h.tick_rate_hz, sim::kMinTickRateHz,
                                sim::kMaxTickRateHz));
    return h;
}

ViewRecordType encode_view_event(const ViewEvent& event, ByteWriter& out) {
    out.clear();
    if (const auto* s = std::get_if<ViewSnapshot>(&event)) {
        out.u64(s->time_us);
        out.u32(s->header.server_tick);
        out.u32(s->header.baseline_tick);
        out.u32(s->header.last_input_tick);
        out.i32(s->header.input_lead);
        out.u32(s->header.inputs_held_through);
        out.u8(static_cast<std::uint8_t>(s->state.phase));
        out.u8(static_cast<std::uint8_t>(s->state.players.size()));
        for (const sim::Player& p : s->state.players) write_player(out, p);
        return ViewRecordType::Snapshot;
    }
    if (const auto* v = std::get_if<ViewInput>(&event)) {
        out.u64(v->time_us);
        out.u32(v->tick);
        out.u32(sim::to_int(v->input.player));
        out.i8(v->input.move_x);
        out.i8(v->input.move_y);
        out.u16(v->input.aim);
        out.u8(v->input.buttons);
        out.u32(v->input.view_tick);
        out.u8(v->input.view_fraction);
        out.u8(static_cast<std::uint8_t>((v->predicted ? kInputPredicted : 0) | (v->shot ? kInputShot : 0)));
        if (v->predicted) write_player(out, *v->predicted);
        if (v->shot) {
            out.u8(static_cast<std::uint8_t>(v->targets.size()));
            for (const SeenPlayer& p : v->targets) {
                out.u32(p.id);
                out.f32(p.position.x);
                out.f32(p.position.y);
                out.u8(p.alive ? 1 : 0);
            }
        }
        return ViewRecordType::Input;
    }
    if (const auto* f = std::get_if<ViewFrame>(&event)) {
        out.u64(f->time_us);
        out.f64(f->server_tick);
        out.f64(f->render_tick);
        out.u8(static_cast<std::uint8_t>(f->players.size()));
        for (const DrawnPlayer& p : f->players) {
            out.u32(p.id);
            out.u8(static_cast<std::uint8_t>((p.alive ? kDrawnAlive : 0) | (p.local ? kDrawnLocal : 0)));
            out.f32(p.position.x);
            out.f32(p.position.y);
        }
        return ViewRecordType::Frame;
    }
    const auto& e = std::get<ViewEnd>(event);
    out.u64(e.time_us);
    out.u8(e.reason ? 1 : 0);
    out.u8(e.reason ? static_cast<std::uint8_t>(*e.reason) : 0);
    out.str(e.status);
    return ViewRecordType::End;
}

util::Result<ViewEvent, std::string> decode_view_event(std::uint8_t type, std::span<const std::uint8_t> payload,
                                                       std::uint16_t format) {
    ByteReader in(payload);
    switch (static_cast<ViewRecordType>(type)) {
    case ViewRecordType::Snapshot: return decode_snapshot(in, format);
    case ViewRecordType::Input: return decode_input(in, format);
    case ViewRecordType::Frame: return decode_frame(in);
    case ViewRecordType::End: {
        ViewEnd e;
        e.time_us = in.u64();
        const std::uint8_t has_reason = in.u8();
        const std::uint8_t reason = in.u8();
        e.status = in.str();
        if (has_reason > 1 || !protocol::is_match_end_reason(reason))
            return fail(std::string("an end record with an unknown reason"));
        if (has_reason) e.reason = static_cast<protocol::MatchEndReason>(reason);
        return finished(in, std::move(e), "end");
    }
    case ViewRecordType::Header: return fail(std::string("a second header record"));
    }
    return fail(fmt::format("unknown record type {}", type));
}

// --- files --------------------------------------------------------------------------

util::Result<std::unique_ptr<ViewRecorder>, std::string> ViewRecorder::create(const std::filesystem::path& path,
                                                                            const ViewHeader& header) {
    auto writer = RecordWriter::create(path, kViewMagic, kViewFormatVersion);
    if (!writer) return util::fail(writer.error());
    std::unique_ptr<ViewRecorder> recorder(new ViewRecorder(std::move(writer).value()));
    recorder->writer_->append(static_cast<std::uint8_t>(ViewRecordType::Header), encode_view_header(header));
    if (!recorder->writer_->flush()) return util::fail(recorder->writer_->error());
    return recorder;
}

void ViewRecorder::record(const ViewEvent& event) {
    if (finished_ || writer_->failed()) return;
    const ViewRecordType type = encode_view_event(event, scratch_);
    writer_->append(static_cast<std::uint8_t>(type), scratch_.bytes());
    const std::uint64_t now = std::visit([](const auto& e) { return e.time_us; }, event);
    if (now >= flushed_at_us_ + kFlushEveryUs) {
        flushed_at_us_ = now;
        writer_->flush();
    }
}

void ViewRecorder::finish(const ViewEnd& end) {
    if (finished_) return;
    record(end);
    finished_ = true;
    writer_->close();
}

util::Result<ViewReader, std::string> ViewReader::open(const std::filesystem::path& path) {
    return start(RecordReader::open(path, kViewMagic, kViewFormatVersion));
}

util::Result<ViewReader, std::string> ViewReader::from_bytes(std::vector<std::uint8_t> bytes) {
    return start(RecordReader::from_bytes(std::move(bytes), kViewMagic, kViewFormatVersion));
}

util::Result<ViewReader, std::string> ViewReader::start(util::Result<RecordReader, std::string> records) {
    if (!records) return util::fail(records.error());
    auto first = records->next();
    if (!first) return util::fail(fmt::format("no view header: {}", records->ending_text()));
    if (first->type != static_cast<std::uint8_t>(ViewRecordType::Header))
        return util::fail(fmt::format("the first record is of type {}, not the view header", first->type));
    auto header = decode_view_header(first->payload);
    if (!header) return util::fail(fmt::format("a damaged view header: {}", header.error()));
    return ViewReader(std::move(records).value(), std::move(header).value());
}

std::optional<ViewEvent> ViewReader::next() {
    if (done_) return std::nullopt;
    auto record = records_.next();
    if (!record) {
        done_ = true;
        ending_ = records_.ending();
        ending_text_ = records_.ending_text();
        return std::nullopt;
    }
    auto event = decode_view_event(record->type, record->payload, records_.version());
    if (!event) {
        done_ = true;
        ending_ = Ending::Corrupt;
        ending_text_ = fmt::format("record {} is damaged: {}", records_.records_read(), event.error());
        return std::nullopt;
    }
    return std::move(event).value();
}

} // namespace skirmish::demo
