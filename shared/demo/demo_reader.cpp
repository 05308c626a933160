// shared/demo/demo_reader.cpp
#include "shared/demo/demo_reader.hpp"

#include <fmt/format.h>

namespace skirmish::demo {

util::Result<DemoReader, std::string> DemoReader::open(const std::filesystem::path& path) {
    auto reader = start(RecordReader::open(path, kDemoMagic, kDemoFormatVersion));
    if (!reader) return util::fail(reader.error());
    return reader;
}

util::Result<DemoReader, std::string> DemoReader::from_bytes(std::vector<std::uint8_t> bytes) {
    return start(RecordReader::from_bytes(std::move(bytes), kDemoMagic, kDemoFormatVersion));
}

util::Result<DemoReader, std::string> DemoReader::start(util::Result<RecordReader, std::string> records) {
    if (!records) return util::fail(records.error());
    auto first = records->next();
    if (!first) return util::fail(fmt::format("no header: {}", records->ending_text()));
    if (first->type != static_cast<std::uint8_t>(DemoRecordType::Header))
        return util::fail(fmt::format("the first record is of type {}, not the header", first->type));
    auto header = decode_header(first->payload, records->version());
    if (!header) return util::fail(fmt::format("a damaged header: {}", header.error()));
    return DemoReader(std::move(records).value(), std::move(header).value());
}

void DemoReader::stop(Ending ending, std::string text) {
    done_ = true;
    ending_ = ending;
    ending_text_ = std::move(text);
}

std::optional<DemoEvent> DemoReader::next() {
    if (done_) return std::nullopt;
    auto record = records_.next();
    if (!record) {
        if (records_.ending() != Ending::Complete)
            stop(records_.ending(), records_.ending_text());
        else if (!scoreboard_seen_)
            stop(Ending::Truncated, fmt::format("the recording stops at tick {} without the match's end (no "
                                                "scoreboard): the server stopped recording before the match ended",
                                                last_tick_));
        else
            stop(Ending::Complete, fmt::format("complete: ends at tick {} with the scoreboard", last_tick_));
        return std::nullopt;
    }
    if (scoreboard_seen_) {
        stop(Ending::Corrupt, fmt::format("a record (type {}) after the scoreboard", record->type));
        return std::nullopt;
    }
    auto event = codec_.decode(record->type, record->payload);
    if (!event) {
        stop(Ending::Corrupt, fmt::format("record {} is damaged: {}", records_.records_read(), event.error()));
        return std::nullopt;
    }
    if (auto* tick = std::get_if<TickEvent>(&*event)) {
        last_tick_ = tick->tick + 1;
    } else if (auto* scoreboard = std::get_if<Scoreboard>(&*event)) {
        scoreboard_seen_ = true;
        scoreboard->results.match_id = header_.match_id;
        scoreboard->results.room_id = header_.room_id;
        scoreboard->results.duration_s =
            static_cast<float>(scoreboard->ticks) / static_cast<float>(header_.rules.tick_rate_hz);
    }
    return std::move(*event);
}

} // namespace skirmish::demo
