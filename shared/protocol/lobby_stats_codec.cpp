// shared/protocol/lobby_stats_codec.cpp
//
// Write and read the lobby's results-and-stats messages (docs/PROTOCOL.md,
// "Results and stats"); lobby_codec.cpp verifies the frame and dispatches here.
#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/detail/lobby_messages.hpp"

#include <algorithm>

namespace skirmish::protocol::lobby::tables {

using protocol::detail::read_string;

namespace {

bool read_name(const flatbuffers::String* s, std::string& out) {
    out = read_string(s);
    return is_valid_text(out, kPlayerNameText);
}

// A page size from a client: 0 is refused, more than the cap reads as the cap.
bool read_count(std::uint8_t count, std::size_t cap, std::uint8_t& out) {
    if (count == 0) return false;
    out = static_cast<std::uint8_t>(std::min<std::size_t>(count, cap));
    return true;
}

} // namespace

// --- write ------------------------------------------------------------------------------

flatbuffers::Offset<fb::GetStats> write(flatbuffers::FlatBufferBuilder& b, const GetStats& m) {
    const auto name = m.name.empty() ? 0 : b.CreateString(m.name);
    return fb::CreateGetStats(b, m.first, m.count, name);
}
flatbuffers::Offset<fb::GetRecentMatches> write(flatbuffers::FlatBufferBuilder& b, const GetRecentMatches& m) {
    return fb::CreateGetRecentMatches(b, m.first, m.count);
}
flatbuffers::Offset<fb::Stats> write(flatbuffers::FlatBufferBuilder& b, const Stats& m) {
    std::vector<flatbuffers::Offset<fb::PlayerStats>> players;
    players.reserve(m.players.size());
    for (const PlayerStats& p : m.players)
        players.push_back(fb::CreatePlayerStats(b, b.CreateString(p.name), p.rank, p.matches, p.wins, p.frags,
                                                p.deaths, p.shots, p.hits));
    const auto vec = b.CreateVector(players);
    return fb::CreateStats(b, m.available, vec, m.total_players);
}
flatbuffers::Offset<fb::RecentMatches> write(flatbuffers::FlatBufferBuilder& b, const RecentMatches& m) {
    std::vector<flatbuffers::Offset<fb::MatchSummary>> matches;
    matches.reserve(m.matches.size());
    for (const MatchSummary& s : m.matches) {
        std::vector<flatbuffers::Offset<fb::MatchLine>> lines;
        lines.reserve(s.players.size());
        for (const MatchLine& l : s.players)
            lines.push_back(fb::CreateMatchLine(b, b.CreateString(l.name), l.frags, l.deaths, l.shots, l.hits, l.won));
        const auto lines_vec = b.CreateVector(lines);
        const auto map = b.CreateString(s.map);
        matches.push_back(fb::CreateMatchSummary(b, s.id, map, static_cast<Skirmish::MatchEndReason>(s.reason),
                                                 s.ended_unix_s, s.duration_s, lines_vec));
    }
    const auto vec = b.CreateVector(matches);
    return fb::CreateRecentMatches(b, m.available, vec, m.total_matches);
}

// --- read -------------------------------------------------------------------------------

util::Result<GetStats, LobbyDecodeError> read(const fb::GetStats& t) {
    GetStats m;
    m.first = t.first();
    if (!read_count(t.count(), kMaxStatsPage, m.count)) return util::fail(LobbyDecodeError::OutOfRange);
    if (t.name() && !read_name(t.name(), m.name)) return util::fail(LobbyDecodeError::BadName);
    return m;
}
util::Result<GetRecentMatches, LobbyDecodeError> read(const fb::GetRecentMatches& t) {
    GetRecentMatches m;
    m.first = t.first();
    if (!read_count(t.count(), kMaxMatchesPage, m.count)) return util::fail(LobbyDecodeError::OutOfRange);
    return m;
}
util::Result<Stats, LobbyDecodeError> read(const fb::Stats& t) {
    Stats m;
    m.available = t.available();
    m.total_players = t.total_players();
    if (t.players()) {
        if (t.players()->size() > kMaxStatsPage) return util::fail(LobbyDecodeError::OutOfRange);
        for (const auto* p : *t.players()) {
            PlayerStats& s = m.players.emplace_back();
            if (!read_name(p->name(), s.name)) return util::fail(LobbyDecodeError::BadName);
            s.rank = p->rank();
            s.matches = p->matches();
            s.wins = p->wins();
            s.frags = p->frags();
            s.deaths = p->deaths();
            s.shots = p->shots();
            s.hits = p->hits();
            if (s.wins > s.matches || s.hits > s.shots) return util::fail(LobbyDecodeError::OutOfRange);
        }
    }
    return m;
}
util::Result<RecentMatches, LobbyDecodeError> read(const fb::RecentMatches& t) {
    RecentMatches m;
    m.available = t.available();
    m.total_matches = t.total_matches();
    if (!t.matches()) return m;
    if (t.matches()->size() > kMaxMatchesPage) return util::fail(LobbyDecodeError::OutOfRange);
    for (const auto* s : *t.matches()) {
        MatchSummary& out = m.matches.emplace_back();
        out.id = s->id();
        out.ended_unix_s = s->ended_unix_s();
        out.duration_s = s->duration_s();
        const auto reason = static_cast<std::uint8_t>(s->reason());
        if (reason > static_cast<std::uint8_t>(Skirmish::MatchEndReason::MAX) || !(out.duration_s >= 0.0f) ||
            out.duration_s > 1e7f)
            return util::fail(LobbyDecodeError::OutOfRange);
        out.reason = static_cast<MatchEndReason>(reason);
        out.map = read_string(s->map());
        if (!is_valid_text(out.map, kMapNameText)) return util::fail(LobbyDecodeError::OutOfRange);
        if (!s->players()) continue;
        if (s->players()->size() > static_cast<std::size_t>(kMaxRoomPlayers))
            return util::fail(LobbyDecodeError::OutOfRange);
        for (const auto* l : *s->players()) {
            MatchLine& line = out.players.emplace_back();
            if (!read_name(l->name(), line.name)) return util::fail(LobbyDecodeError::BadName);
            line.frags = l->frags();
            line.deaths = l->deaths();
            line.shots = l->shots();
            line.hits = l->hits();
            line.won = l->won();
            if (line.hits > line.shots) return util::fail(LobbyDecodeError::OutOfRange);
        }
    }
    return m;
}

} // namespace skirmish::protocol::lobby::tables
