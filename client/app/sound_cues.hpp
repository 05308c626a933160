// client/app/sound_cues.hpp
//
// Which sounds a frame calls for, from what the player sees: the client
// core's ClientView compared with the one before it, plus the room's chat.
// Pure (no SDL, no clock read): the app feeds it each frame and plays what it
// returns; tests feed it views they build.
//
//   own next_fire_tick moved on  → Shot       another's → OtherShot
//   hit confirmed (hit marker)   → Hit        damage taken → Hurt
//   a kill feed line we scored   → Kill       own alive → dead → Death, dead → alive → Respawn
//   the game connection InMatch  → MatchStart phase Running → Over → MatchEnd
//   a chat line from someone else → Chat
//
// IMPORTANT: the first view of a match only sets the baseline (plus
// MatchStart): joining a match makes no burst of old sounds.
#pragma once

#include "client/core/client_view.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

namespace skirmish::app {

enum class Sound : std::uint8_t { Shot, OtherShot, Hit, Hurt, Kill, Death, Respawn, MatchStart, MatchEnd, Chat };
inline constexpr std::size_t kSoundCount = 10;
std::string_view name(Sound sound); // "shot", "hit", ...

class SoundCues {
public:
    // The sounds `view` calls for since the last call (nullptr: no game
    // connection, which forgets the match). `since_last_s` is the time
    // between the two calls (kill feed lines younger than it are new).
    std::vector<Sound> update(const client::ClientView* view, double since_last_s);
    // A chat line arrived; `own` when it is this player's own line echoed back.
    std::vector<Sound> chat(bool own) const;

private:
    bool in_match_ = false;
    bool have_baseline_ = false;
    bool was_alive_ = false;
    sim::MatchPhase phase_ = sim::MatchPhase::Running;
    double since_hit_confirm_s_ = 1e9;
    double since_damage_taken_s_ = 1e9;
    std::map<sim::PlayerId, sim::Tick> next_fire_;
};

} // namespace skirmish::app
