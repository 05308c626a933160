// server/game/demo_recording.cpp
#include "server/game/demo_recording.hpp"

#include "shared/protocol/version.hpp"
#include "shared/sim/rules_version.hpp"
#include "skirmish/version.hpp"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <fstream>

namespace skirmish::server {

std::string demo_file_name(protocol::MatchId match_id, std::uint64_t unix_ms) {
    const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32] = {};
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    return fmt::format("{}-{}.skdemo", match_id, stamp);
}

bool start_recording(Match& match, const RecordingOptions& options, std::uint64_t unix_ms, const util::Logger& log) {
    demo::DemoHeader header;
    header.protocol_version = protocol::kProtocolVersion;
    header.rules_version = sim::kRulesVersion;
    header.server_version = kVersion;
    header.match_id = protocol::to_int(match.id());
    header.room_id = protocol::to_int(match.room_id());
    header.started_unix_ms = unix_ms;
    header.snapshot_rate_hz = static_cast<std::uint16_t>(options.snapshot_rate_hz);
    header.settings = match.settings();
    header.rules = match.rules();
    header.history_ticks = static_cast<std::uint32_t>(match.history_capacity());
    header.state_interval_ticks = static_cast<std::uint32_t>(
        options.state_interval_ticks > 0 ? options.state_interval_ticks : match.rules().tick_rate_hz);
    header.map = *match.world().map;

    const std::filesystem::path path = std::filesystem::path(options.dir) / demo_file_name(match.id(), unix_ms);
    auto recorder = demo::DemoRecorder::create(path, header);
    if (!recorder) {
        log.error("match {} is not recorded: {}", match.id(), recorder.error());
        return false;
    }
    log.info("recording match {} to {}", match.id(), path.string());
    (*recorder)->on_error([log, id = match.id()](const std::string& error) {
        log.error("the demo of match {} stopped (the match goes on): {}", id, error);
    });
    match.record_to(std::move(recorder).value());
    return true;
}

util::Result<util::Ok, std::string> prepare_record_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        return util::fail(fmt::format("--record-dir {}: cannot create the directory ({}): give a directory you can "
                                      "write to",
                                      dir, ec ? ec.message() : "a file of that name is in the way"));
    const std::filesystem::path probe = std::filesystem::path(dir) / ".skirmish-write-test";
    {
        std::ofstream out(probe);
        if (!(out << "ok"))
            return util::fail(fmt::format("--record-dir {}: cannot write there: check its permissions", dir));
    }
    std::filesystem::remove(probe, ec);
    return util::Ok{};
}

} // namespace skirmish::server
