// server/game/matches.hpp
//
// Every match on the game port, from the lobby's order to its removal:
//
//   queue(order)      the lobby's thread: a room started (GameLink::start_match)
//   start_ordered()   each order becomes a running Match on its map, with the
//                     rules of its settings (protocol::match_rules), recorded
//                     to a demo when --record-dir is set (demo_recording.hpp)
//   join() / leave()  players come in through Admission and go (left, timed
//                     out, kicked); the others and the lobby are told
//   step_all()        sim::step once per running match; kills go out as the
//                     kill feed; a match the rules ended is finished
//   finish()          MatchOver to its players, MatchResults to the lobby: once
//   reap()            an empty match ends; a finished one shows its scoreboard
//                     for match_linger, then its players are let go and it goes
//
// IMPORTANT: tick thread only, except queue(). Every way a match starts,
// steps, ends and is removed passes through here, so what must see every
// match (a demo recorder, issue 14; the event log, issue 11) hooks in here
// and nowhere else; so does the results database (--db, issue 11 item 7).
// IMPORTANT: a match is finished exactly once, and its players' and its own
// counters are retired into ServerFigures before they are removed.
#pragma once

#include "server/events/event_log.hpp"
#include "server/game/game_config.hpp"
#include "server/game/match.hpp"
#include "server/game/server_figures.hpp"
#include "server/game/sessions.hpp"
#include "server/game_link.hpp"
#include "server/results_link.hpp"
#include "shared/sim/map.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/locked_queue.hpp"
#include "shared/util/log.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace skirmish::server {

class Matches {
public:
    // `unix_ms`: wall-clock time, for the names and headers of demo files.
    Matches(const GameConfig& config, std::vector<sim::Map> maps, Sessions& sessions, ServerFigures& figures,
            util::Logger log, std::function<std::uint64_t()> unix_ms);

    // Set before the tick loop runs; may be null (tests without a lobby).
    void set_lobby(LobbyLink* lobby) { lobby_ = lobby; }
    // Set before the tick loop runs; may be null (no --event-log).
    void set_event_log(EventLog* events) { events_ = events; }
    // Set before the tick loop runs; may be null (no --db). Every finished
    // match is handed to it, once, as a MatchRecord.
    void set_results(ResultsRecorder* results) { results_ = results; }

    // --- start ---
    // Thread-safe: queued for the tick thread.
    void queue(MatchOrder order);
    // Starts every queued order. An unknown map or a duplicate id is not
    // started; the lobby hears it ended (NotEnoughPlayers) so the room waits again.
    void start_ordered(util::TimePoint now);

    // --- players ---
    Match* find(protocol::MatchId match_id);
    // find(), and if the match is unknown, start_ordered() and look again: a
    // token may arrive before the tick drained its order (docs/ARCHITECTURE.md).
    Match* find_or_start(protocol::MatchId match_id, util::TimePoint now);
    enum class JoinResult : std::uint8_t { Joined, Full, AlreadyIn };
    // Puts an admitted player into a running match.
    JoinResult join(Match& match, sim::PlayerId player_id, const std::string& name, util::TimePoint now);
    // An admitted spectator watches a running match (Full: its spectator seats are taken).
    JoinResult watch(Match& match, sim::PlayerId spectator_id, const std::string& name);
    // The session's player (or spectator) leaves its match (if still in it):
    // scores kept for the scoreboard, PlayerLeft to the others, the lobby told
    // while the match runs. The session stops playing (Closing); the caller ends the connection.
    // `tell_lobby` false: the same player is coming back in at once (a reconnect), so
    // the lobby's room keeps it in the match.
    void leave(Session& session, protocol::LeaveReason reason, bool tell_lobby = true);

    // --- the tick ---
    void step_all(util::TimePoint now);
    void reap(util::TimePoint now);
    // Ends every running match for `reason` (shutdown) and finishes it.
    void end_all(protocol::MatchEndReason reason, util::TimePoint now);
    // Ends one running match for `reason` (an administrator); false if it is not running.
    bool end_one(protocol::MatchId match_id, protocol::MatchEndReason reason, util::TimePoint now);

    // --- reading ---
    std::size_t count() const noexcept { return matches_.size(); }
    std::vector<const Match*> live() const;
    // fn(match_id, Match&) for every match, running or finished, in id order.
    template <typename F>
    void for_each(F&& fn) {
        for (auto& [id, entry] : matches_) fn(id, *entry.match);
    }

private:
    struct Entry {
        std::unique_ptr<Match> match;
        util::TimePoint created;
        util::TimePoint last_member_seen;
        std::optional<util::TimePoint> ended_at;
        std::uint64_t started_unix_ms = 0;
        std::map<sim::PlayerId, std::pair<std::uint32_t, std::uint32_t>> shots; // player → (fired, hit)
    };
    void finish(Entry& entry, util::TimePoint now);
    void let_players_go(const Match& match);
    MatchRecord record_of(const Entry& entry, const protocol::MatchResults& results) const;

    GameConfig config_;
    sim::Rules base_rules_; // config's rules with its lag compensation settings
    std::map<std::string, std::shared_ptr<const sim::Map>> maps_;
    Sessions& sessions_;
    ServerFigures& figures_;
    util::Logger log_;
    std::function<std::uint64_t()> unix_ms_;
    LobbyLink* lobby_ = nullptr;
    EventLog* events_ = nullptr;
    ResultsRecorder* results_ = nullptr;

    util::LockedQueue<MatchOrder> orders_;
    std::vector<MatchOrder> orders_scratch_;
    std::map<protocol::MatchId, Entry> matches_;
};

} // namespace skirmish::server
