// shared/protocol/detail/common_fb.cpp
#include "shared/protocol/detail/common_fb.hpp"

namespace skirmish::protocol::detail {

namespace {
constexpr std::size_t kMaxScores = 64;
}

flatbuffers::Offset<Skirmish::MatchSettings> write_settings(flatbuffers::FlatBufferBuilder& fbb,
                                                            const MatchSettings& s) {
    // Strings go in whole (not as C strings): a NUL inside must reach the
    // decoder, which refuses it, rather than be cut off here.
    const auto map = fbb.CreateString(s.map);
    return Skirmish::CreateMatchSettings(fbb, map, s.max_players, s.frag_limit, s.time_limit_s, s.join_in_progress,
                                        s.lag_compensation, s.spectator_slots);
}

util::Result<util::Ok, std::string> read_settings(const Skirmish::MatchSettings* fb, MatchSettings& out) {
    out = MatchSettings{};
    if (!fb) return util::Ok{};
    if (fb->map()) out.map = fb->map()->str();
    out.max_players = fb->max_players();
    out.frag_limit = fb->frag_limit();
    out.time_limit_s = fb->time_limit_s();
    out.join_in_progress = fb->join_in_progress();
    out.lag_compensation = fb->lag_compensation();
    out.spectator_slots = fb->spectator_slots();
    return validate_settings(out);
}

flatbuffers::Offset<Skirmish::MatchResults> write_results(flatbuffers::FlatBufferBuilder& fbb,
                                                          const MatchResults& r) {
    std::vector<flatbuffers::Offset<Skirmish::PlayerScore>> scores;
    scores.reserve(r.scores.size());
    for (const auto& s : r.scores)
        scores.push_back(Skirmish::CreatePlayerScore(fbb, s.player_id, fbb.CreateString(s.name), s.frags, s.deaths));
    return Skirmish::CreateMatchResultsDirect(fbb, r.match_id, r.room_id,
                                              static_cast<Skirmish::MatchEndReason>(r.reason), r.duration_s, &scores);
}

bool read_results(const Skirmish::MatchResults* fb, MatchResults& out) {
    out = MatchResults{};
    if (!fb) return false;
    const auto reason = static_cast<std::uint8_t>(fb->reason());
    if (reason > static_cast<std::uint8_t>(Skirmish::MatchEndReason::MAX)) return false;
    out.match_id = fb->match_id();
    out.room_id = fb->room_id();
    out.reason = static_cast<MatchEndReason>(reason);
    out.duration_s = fb->duration_s();
    if (!(out.duration_s >= 0.0f && out.duration_s < 1e7f)) return false;
    if (fb->scores()) {
        if (fb->scores()->size() > kMaxScores) return false;
        for (const auto* s : *fb->scores()) {
            if (!s) return false;
            out.scores.push_back({s->player_id(), read_string(s->name()), s->frags(), s->deaths()});
            if (!is_valid_text(out.scores.back().name, kPlayerNameText)) return false;
        }
    }
    return true;
}

} // namespace skirmish::protocol::detail
