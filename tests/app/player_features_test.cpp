// What a player expects of a finished client, as logic without a display:
// rebinding keys (a key does one thing), the settings the settings screen
// writes (and bad values in the file), which sounds the game's events call
// for, and the synthesised sounds themselves.
#include "client/app/bindings.hpp"
#include "client/app/settings.hpp"
#include "client/app/sound_cues.hpp"
#include "client/app/sound_synth.hpp"
#include "support/test_ids.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

using namespace skirmish;
using namespace skirmish::app;
using namespace skirmish::test::ids;

// --- key rebinding ---------------------------------------------------------------------

TEST(Rebinding, AKeyTakenFromAnotherActionLeavesItThere) {
    Bindings b = default_bindings();
    // G does ghosts by default; bind it to fire's second slot.
    const Rebound r = app::bind(b, Action::Fire, 1, SDL_SCANCODE_G);
    ASSERT_TRUE(r.taken_from);
    EXPECT_EQ(*r.taken_from, Action::Ghosts);
    EXPECT_EQ(b[Action::Fire].secondary, SDL_SCANCODE_G);
    EXPECT_EQ(b[Action::Ghosts].primary, kUnbound);
    EXPECT_EQ(action_for(b, SDL_SCANCODE_G), Action::Fire);
}

TEST(Rebinding, TakingAPrimaryMovesTheOtherActionsSecondaryUp) {
    Bindings b = default_bindings();
    // W is move up's primary (Up its secondary): give W to dash.
    app::bind(b, Action::Dash, 0, SDL_SCANCODE_W);
    EXPECT_EQ(b[Action::MoveUp].primary, SDL_SCANCODE_UP);
    EXPECT_EQ(b[Action::MoveUp].secondary, kUnbound);
    EXPECT_EQ(b[Action::Dash].primary, SDL_SCANCODE_W);
    EXPECT_EQ(b[Action::Dash].secondary, kMouseRight);
}

TEST(Rebinding, TheSameSlotOrClearingTakesNothing) {
    Bindings b = default_bindings();
    EXPECT_FALSE(app::bind(b, Action::MoveUp, 0, SDL_SCANCODE_W).taken_from);
    EXPECT_EQ(b, default_bindings());
    // Its own other slot: the key moves within the action.
    const Rebound r = app::bind(b, Action::MoveUp, 1, SDL_SCANCODE_W);
    EXPECT_EQ(b[Action::MoveUp].primary, SDL_SCANCODE_W);
    EXPECT_EQ(b[Action::MoveUp].secondary, kUnbound);
    EXPECT_EQ(r.taken_from, Action::MoveUp);
    EXPECT_FALSE(app::bind(b, Action::Fire, 0, kUnbound).taken_from);
    EXPECT_EQ(b[Action::Fire].primary, kUnbound);
}

TEST(Rebinding, EveryCodeEndsUpInOneSlotAtMost) {
    Bindings b = default_bindings();
    std::uint32_t seed = 7;
    for (int i = 0; i < 2000; ++i) {
        seed = seed * 1664525u + 1013904223u;
        const auto action = static_cast<Action>((seed >> 8) % kActionCount);
        const int slot = static_cast<int>((seed >> 16) % 2);
        const auto code = static_cast<InputCode>(SDL_SCANCODE_A + (seed >> 20) % 12);
        app::bind(b, action, slot, code);
        for (InputCode c = SDL_SCANCODE_A; c < SDL_SCANCODE_A + 12; ++c) {
            int holders = 0;
            for (const Binding& s : b.slots) holders += (s.primary == c) + (s.secondary == c);
            ASSERT_LE(holders, 1) << "code " << code_name(c) << " after " << i << " binds";
        }
    }
}

// --- the settings the settings screen writes -------------------------------------------

TEST(SettingsScreen, NewSettingsHaveDefaultsAndRefuseBadValues) {
    const Settings d;
    EXPECT_EQ(d.mouse_sensitivity, 1.0);
    EXPECT_EQ(d.volume, 80);
    EXPECT_FALSE(d.mute);
    EXPECT_EQ(d.net_graph_position, Corner::BottomRight);
    const ParsedSettings p = parse_settings("mouse_sensitivity = 9\nmouse_sensitivity = -1\nvolume = 101\n"
                                            "volume = loud\nnet_graph_position = middle\nmute = perhaps\n"
                                            "volume = 0\nmouse_sensitivity = 0.25\nnet_graph_position = top_right\n");
    EXPECT_EQ(p.warnings.size(), 6u);
    EXPECT_EQ(p.settings.volume, 0);
    EXPECT_EQ(p.settings.mouse_sensitivity, 0.25);
    EXPECT_EQ(p.settings.net_graph_position, Corner::TopRight);
    EXPECT_FALSE(p.settings.mute);
}

TEST(SettingsScreen, FavouritesToggleAndAreCapped) {
    Settings s;
    toggle_favourite(s, "a:1");
    toggle_favourite(s, "b:2");
    EXPECT_TRUE(is_favourite(s, "a:1"));
    toggle_favourite(s, "a:1");
    EXPECT_FALSE(is_favourite(s, "a:1"));
    EXPECT_EQ(s.favourites, std::vector<std::string>{"b:2"});
    for (int i = 0; i < 40; ++i) toggle_favourite(s, "host:" + std::to_string(1000 + i));
    EXPECT_EQ(s.favourites.size(), kMaxFavourites);
    // The file holds no more than the cap either.
    std::string text;
    for (int i = 0; i < 40; ++i) text += "favourite = h:" + std::to_string(i) + "\n";
    EXPECT_EQ(parse_settings(text).settings.favourites.size(), kMaxFavourites);
}

// --- sounds -----------------------------------------------------------------------------

namespace {

client::ClientView match_view() {
    client::ClientView v;
    v.state = client::ConnectionState::InMatch;
    v.local_id = 1_player;
    client::ViewPlayer me;
    me.id = 1_player;
    me.local = true;
    me.state.alive = true;
    client::ViewPlayer other;
    other.id = 2_player;
    other.state.alive = true;
    v.players = {me, other};
    return v;
}

client::ViewPlayer& player(client::ClientView& v, sim::PlayerId id) {
    return *std::find_if(v.players.begin(), v.players.end(), [&](const auto& p) { return p.id == id; });
}

bool has(const std::vector<Sound>& sounds, Sound s) { return std::find(sounds.begin(), sounds.end(), s) != sounds.end(); }

} // namespace

TEST(SoundCues, AMatchStartsWithOneSoundAndNothingOld) {
    SoundCues cues;
    client::ClientView v = match_view();
    v.since_hit_confirm_s = 0.01; // things that happened before we looked
    v.kill_feed.push_back({1_player, 2_player, "me", "them", 0.0});
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::MatchStart});
    v.kill_feed[0].age_s = 0.02; // a frame later
    v.since_hit_confirm_s = 0.03;
    EXPECT_TRUE(cues.update(&v, 0.016).empty());
    // Leaving forgets the match: the next one starts with its sound again.
    EXPECT_TRUE(cues.update(nullptr, 0.016).empty());
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::MatchStart});
}

TEST(SoundCues, EachEventCallsForItsSound) {
    SoundCues cues;
    client::ClientView v = match_view();
    v.since_hit_confirm_s = v.since_damage_taken_s = 5;
    cues.update(&v, 0.016);
    // Shots: ours and another's.
    player(v, 1_player).state.next_fire_tick = 40;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::Shot});
    player(v, 2_player).state.next_fire_tick = 50;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::OtherShot});
    // A hit we landed (the hit marker's clock restarts), then one we took.
    v.since_hit_confirm_s = 0;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::Hit});
    v.since_hit_confirm_s = 0.5;
    v.since_damage_taken_s = 0;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::Hurt});
    v.since_damage_taken_s = 0.5;
    // A kill of ours; someone else's kill makes no sound.
    v.kill_feed = {{2_player, 1_player, "them", "me", 0.005}};
    EXPECT_TRUE(cues.update(&v, 0.016).empty());
    v.kill_feed = {{1_player, 2_player, "me", "them", 0.005}};
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::Kill});
    v.kill_feed[0].age_s = 0.5; // the same line a frame later is not new
    EXPECT_TRUE(cues.update(&v, 0.016).empty());
    // Our death and respawn.
    player(v, 1_player).state.alive = false;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::Death});
    player(v, 1_player).state.alive = true;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::Respawn});
    // The end of the match, once.
    v.phase = sim::MatchPhase::Over;
    EXPECT_EQ(cues.update(&v, 0.016), std::vector<Sound>{Sound::MatchEnd});
    EXPECT_TRUE(cues.update(&v, 0.016).empty());
    // Chat from someone else pings; our own line does not.
    EXPECT_EQ(cues.chat(false), std::vector<Sound>{Sound::Chat});
    EXPECT_TRUE(cues.chat(true).empty());
}

TEST(SoundCues, SeveralEventsInOneFrameAllSound) {
    SoundCues cues;
    client::ClientView v = match_view();
    cues.update(&v, 0.016);
    player(v, 1_player).state.next_fire_tick = 10;
    v.since_hit_confirm_s = 0;
    v.kill_feed = {{1_player, 2_player, "me", "them", 0.0}};
    const auto sounds = cues.update(&v, 0.016);
    EXPECT_TRUE(has(sounds, Sound::Shot));
    EXPECT_TRUE(has(sounds, Sound::Hit));
    EXPECT_TRUE(has(sounds, Sound::Kill));
}

TEST(SoundSynth, EverySoundIsShortAudibleUnclippedAndTheSameEachRun) {
    for (std::size_t i = 0; i < kSoundCount; ++i) {
        const auto sound = static_cast<Sound>(i);
        const auto pcm = synthesise(sound);
        SCOPED_TRACE(std::string(name(sound)));
        EXPECT_GT(pcm.size(), static_cast<std::size_t>(kSoundRate / 20)); // at least 50 ms
        EXPECT_LT(pcm.size(), static_cast<std::size_t>(kSoundRate));      // under a second
        int peak = 0;
        for (auto s : pcm) peak = std::max(peak, std::abs(static_cast<int>(s)));
        EXPECT_GT(peak, kSoundPeak / 2);
        EXPECT_LE(peak, kSoundPeak);
        // It starts and ends near silence (no click).
        EXPECT_LT(std::abs(pcm.front()), 2000);
        EXPECT_LT(std::abs(pcm.back()), 2000);
        EXPECT_EQ(pcm, synthesise(sound));
    }
    // Distinct sounds sound different.
    EXPECT_NE(synthesise(Sound::Kill), synthesise(Sound::Death));
    EXPECT_EQ(synthesise(Sound::Hit, 22050).size() * 2, synthesise(Sound::Hit, 44100).size());
}
