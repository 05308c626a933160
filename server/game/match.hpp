// server/game/match.hpp
//
// One running match: its world, its players' input buffers, its position
// history (lag compensation), and the snapshots it has sent, kept as
// baselines for delta encoding. Knows nothing of ENet: the game server feeds
// it inputs and asks it for snapshot bytes. Spectators watch: they are sent
// snapshots (and acknowledge them) but have no entity in the world and no
// input buffer, so nothing they send can reach the simulation.
//
// IMPORTANT: tick thread only. Time is the match's own tick count.
#pragma once

#include "server/game/input_buffer.hpp"
#include "server/game_link.hpp"
#include "shared/demo/demo_recorder.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/match_types.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/history.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/step.hpp"
#include "shared/sim/world.hpp"
#include "shared/util/ring_buffer.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::server {

// Why a snapshot went out full rather than as a delta (docs/PROTOCOL.md,
// "Baseline choice"). Counted per match.
enum class FullReason : std::uint8_t { DeltaOff, NothingAcked, AckUnknown, AckTooOld, Count };

struct ShotCounters {
    std::uint64_t fired = 0;
    std::uint64_t hit = 0; // server-confirmed, after lag compensation
};

struct SnapshotCounters {
    std::uint64_t deltas = 0;
    std::uint64_t full[static_cast<int>(FullReason::Count)] = {};
    std::uint64_t bytes = 0;
};

class Match {
public:
    Match(const MatchOrder& order, std::shared_ptr<const sim::Map> map, const sim::Rules& rules);

    protocol::MatchId id() const noexcept { return id_; }
    protocol::RoomId room_id() const noexcept { return room_id_; }
    const protocol::MatchSettings& settings() const noexcept { return settings_; }
    const sim::World& world() const noexcept { return world_; }
    sim::World& world_for_test() noexcept { return world_; }
    const sim::Rules& rules() const noexcept { return rules_; }
    bool over() const noexcept { return world_.phase == sim::MatchPhase::Over; }
    std::size_t player_count() const noexcept { return members_.size(); }
    bool full() const noexcept { return members_.size() >= settings_.max_players; }
    bool has_player(sim::PlayerId player_id) const noexcept;
    // --- spectators (no entity, no inputs; settings().spectator_slots of them) ---
    std::size_t spectator_count() const noexcept { return spectators_.size(); }
    bool spectators_full() const noexcept { return spectators_.size() >= settings_.spectator_slots; }
    bool has_spectator(sim::PlayerId id) const noexcept;
    // False if already watching.
    bool add_spectator(sim::PlayerId id, const std::string& name);
    void remove_spectator(sim::PlayerId id);
    std::vector<std::pair<sim::PlayerId, std::string>> spectator_roster() const;

    // Puts a player into the world at the freest spawn. False if already in.
    bool add_player(sim::PlayerId player_id, const std::string& name);
    // Takes a player out; their score is kept for the final scoreboard.
    void remove_player(sim::PlayerId player_id);
    std::vector<std::pair<sim::PlayerId, std::string>> roster() const;
    // A player's name, in the match now or departed from it, or a watching
    // spectator's; empty if unknown.
    std::string_view player_name(sim::PlayerId player_id) const noexcept;
    // Calls fn(player_id) for every player, without copying anything: for
    // the per-tick paths (snapshots, broadcasts).
    template <typename F>
    void for_each_player(F&& fn) const {
        for (const Member& m : members_) fn(m.player_id);
    }
    // Players, then spectators: everyone the match's snapshots and news go to.
    template <typename F>
    void for_each_viewer(F&& fn) const {
        for (const Member& m : members_) fn(m.player_id);
        for (const Spectator& s : spectators_) fn(s.id);
    }

    // --- input ---
    // A player's input; anyone else's (a spectator's) is ignored.
    void offer_input(sim::PlayerId player_id, const protocol::TickInput& input);
    // A player's or a spectator's newest snapshot: its delta baseline.
    void acknowledge(sim::PlayerId viewer_id, sim::Tick snapshot_tick);

    // --- simulation ---
    sim::StepEvents step();
    // The last step's shots as the server judged them, by shooter (ShotJudged).
    const std::vector<std::pair<sim::PlayerId, protocol::ShotJudged>>& judged() const noexcept { return judged_; }

    // --- snapshots ---
    // Bytes of the snapshot of the current tick for one player, delta against
    // the newest snapshot that player acknowledged when possible. Entity
    // streams are shared between players with the same baseline. Empty when
    // the player has acknowledged the current tick (the match is over and its
    // tick stands still): there is nothing to send.
    // A spectator's snapshot is the same, with no input figures in its header.
    std::vector<std::uint8_t> snapshot_for(sim::PlayerId viewer_id, bool delta_enabled);
    const SnapshotCounters& snapshot_counters() const noexcept { return snapshot_counters_; }
    // Snapshots sent during this many ticks are kept as baselines (docs/PROTOCOL.md, "Baselines").
    static constexpr std::size_t kSnapshotRing = 64;

    const InputCounters* input_counters(sim::PlayerId player_id) const;
    const ShotCounters* shot_counters(sim::PlayerId player_id) const;
    // The scoreboard, with why the match ended once it has (end_reason());
    // before that, `reason` keeps MatchResults' default.
    protocol::MatchResults results() const;
    // Why the match ended: the step's reason (frag or time limit) or the one
    // given to end(); the first reason sticks.
    std::optional<protocol::MatchEndReason> end_reason() const noexcept { return end_reason_; }
    // Ends the match for a reason the rules do not know (everyone left, shutdown).
    void end(protocol::MatchEndReason reason);

    // --- demo (docs/DEMO.md) ---
    // Records the match from now on: every join, leave and step, then its end
    // and scoreboard, after which the file is closed.
    void record_to(std::unique_ptr<demo::DemoRecorder> recorder) { recorder_ = std::move(recorder); }
    const demo::DemoRecorder* recorder() const noexcept { return recorder_.get(); }
    std::size_t history_capacity() const noexcept { return history_.capacity(); }

private:
    struct Member {
        sim::PlayerId player_id{};
        std::string name;
        InputBuffer inputs;
        ShotCounters shots;
        sim::Tick acked_snapshot = 0;
    };
    struct Spectator {
        sim::PlayerId id{};
        std::string name;
        sim::Tick acked_snapshot = 0;
    };
    Member* member(sim::PlayerId player_id);
    // The acknowledged snapshot of a player or spectator; null for anyone else.
    sim::Tick* acked_of(sim::PlayerId viewer_id);
    void record_end(bool by_rules);

    protocol::MatchId id_;
    protocol::RoomId room_id_;
    protocol::MatchSettings settings_;
    sim::Rules rules_;
    sim::World world_;
    sim::PositionHistory history_;
    std::vector<Member> members_;
    std::vector<Spectator> spectators_;
    std::vector<protocol::PlayerScore> departed_;
    std::vector<sim::PlayerInput> inputs_scratch_;
    std::vector<std::pair<sim::PlayerId, protocol::ShotJudged>> judged_;
    std::unique_ptr<demo::DemoRecorder> recorder_;
    std::vector<demo::RecordedInput> recorded_scratch_;
    std::optional<protocol::MatchEndReason> end_reason_;

    util::SequenceRing<protocol::SnapshotState> sent_{kSnapshotRing}; // by tick: the baselines a client may acknowledge
    // Entity streams of the current tick, by baseline tick (0: full).
    sim::Tick cache_tick_ = 0;
    std::map<sim::Tick, protocol::EntityStream> stream_cache_;
    SnapshotCounters snapshot_counters_;
};

} // namespace skirmish::server
