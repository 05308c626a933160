// client/app/sound_cues.cpp
#include "client/app/sound_cues.hpp"

namespace skirmish::app {
namespace {

constexpr std::array<std::string_view, kSoundCount> kNames{"shot",  "other_shot", "hit",         "hurt",      "kill",
                                                           "death", "respawn",    "match_start", "match_end", "chat"};

} // namespace

std::string_view name(Sound sound) { return kNames[static_cast<std::size_t>(sound)]; }

std::vector<Sound> SoundCues::update(const client::ClientView* view, double since_last_s) {
    std::vector<Sound> out;
    if (!view || view->state != client::ConnectionState::InMatch) {
        in_match_ = false;
        have_baseline_ = false;
        next_fire_.clear();
        return out;
    }
    if (!in_match_) {
        in_match_ = true;
        out.push_back(Sound::MatchStart);
    }
    const client::ViewPlayer* me = view->local();
    if (!have_baseline_) {
        // The first view: remember, play nothing old.
        have_baseline_ = true;
        was_alive_ = me && me->state.alive;
        phase_ = view->phase;
        since_hit_confirm_s_ = view->since_hit_confirm_s;
        since_damage_taken_s_ = view->since_damage_taken_s;
        for (const auto& p : view->players) next_fire_[p.id] = p.state.next_fire_tick;
        return out;
    }
    // Shots: a player's next_fire_tick moving on means it fired.
    bool own_shot = false, other_shot = false;
    for (const auto& p : view->players) {
        const auto [it, fresh] = next_fire_.try_emplace(p.id, p.state.next_fire_tick);
        if (fresh) continue;
        if (p.state.next_fire_tick > it->second) (p.local ? own_shot : other_shot) = true;
        it->second = p.state.next_fire_tick;
    }
    if (own_shot) out.push_back(Sound::Shot);
    if (other_shot) out.push_back(Sound::OtherShot);
    // The hit marker and the damage flash restart their clocks when they happen.
    if (view->since_hit_confirm_s < since_hit_confirm_s_) out.push_back(Sound::Hit);
    if (view->since_damage_taken_s < since_damage_taken_s_) out.push_back(Sound::Hurt);
    since_hit_confirm_s_ = view->since_hit_confirm_s;
    since_damage_taken_s_ = view->since_damage_taken_s;
    for (const auto& k : view->kill_feed) {
        if (k.age_s <= since_last_s && k.killer == view->local_id && k.victim != view->local_id) {
            out.push_back(Sound::Kill);
            break;
        }
    }
    const bool alive = me && me->state.alive;
    if (me && was_alive_ && !alive) out.push_back(Sound::Death);
    if (me && !was_alive_ && alive) out.push_back(Sound::Respawn);
    was_alive_ = alive;
    if (phase_ == sim::MatchPhase::Running && view->phase == sim::MatchPhase::Over) out.push_back(Sound::MatchEnd);
    phase_ = view->phase;
    return out;
}

std::vector<Sound> SoundCues::chat(bool own) const {
    if (own) return {};
    return {Sound::Chat};
}

} // namespace skirmish::app
