// client/app_sdl/audio.hpp
//
// The client's sound: SDL2_mixer opened once at start-up with the sounds of
// sound_synth.hpp loaded as chunks, played on request at the master volume
// from the settings. No audio device (CI, Xvfb, a server box, or an
// SDL_AUDIODRIVER that cannot open) is not an error: one log line says so and
// the game plays silently; play() then only counts.
//
// IMPORTANT: main thread only (like SDL's video calls); one Audio per process.
#pragma once

#include "client/app/sound_cues.hpp"
#include "shared/util/log.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

struct Mix_Chunk;

namespace skirmish::app {

class Audio {
public:
    explicit Audio(const util::Logger& log);
    ~Audio();
    Audio(const Audio&) = delete;
    Audio& operator=(const Audio&) = delete;

    // Whether a device is open ("" if not) and which driver runs it.
    bool open() const noexcept { return open_; }
    const std::string& driver() const noexcept { return driver_; }

    // volume_pct 0..100; muted plays nothing.
    void set_volume(int volume_pct, bool muted);
    void play(Sound sound);
    // Sounds asked for so far (played or, without a device or while muted, not).
    std::uint64_t requested() const noexcept { return requested_; }

private:
    bool open_ = false;
    bool muted_ = false;
    std::string driver_;
    std::array<std::vector<std::int16_t>, kSoundCount> pcm_; // interleaved stereo, owned for the chunks
    std::array<Mix_Chunk*, kSoundCount> chunks_{};
    std::uint64_t requested_ = 0;
};

} // namespace skirmish::app
