// client/app_sdl/audio.cpp
#include "client/app_sdl/audio.hpp"

#include "client/app/sound_synth.hpp"

#include <SDL2/SDL.h>
#include <SDL2/SDL_mixer.h>

#include <algorithm>

namespace skirmish::app {
namespace {

// Other players' shots are quieter than ours; the rest play at full chunk volume.
int chunk_volume(Sound sound) { return sound == Sound::OtherShot ? MIX_MAX_VOLUME / 3 : MIX_MAX_VOLUME; }

} // namespace

Audio::Audio(const util::Logger& log) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        log.warn("no audio device ({}): playing without sound", SDL_GetError());
        return;
    }
    if (Mix_OpenAudio(kSoundRate, AUDIO_S16SYS, 2, 1024) != 0) {
        log.warn("no audio device ({}): playing without sound", Mix_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return;
    }
    open_ = true;
    const char* driver = SDL_GetCurrentAudioDriver();
    driver_ = driver ? driver : "";
    Mix_AllocateChannels(16);
    int rate = kSoundRate, channels = 2;
    Uint16 format = AUDIO_S16SYS;
    Mix_QuerySpec(&rate, &format, &channels);
    for (std::size_t i = 0; i < kSoundCount; ++i) {
        const std::vector<std::int16_t> mono = synthesise(static_cast<Sound>(i), rate);
        // The device was asked for S16 stereo; SDL_mixer converts if it got something else only
        // for loaded files, so raw chunks are made in the format it reports.
        if (format != AUDIO_S16SYS || channels < 1) continue;
        auto& pcm = pcm_[i];
        pcm.reserve(mono.size() * static_cast<std::size_t>(channels));
        for (std::int16_t s : mono) pcm.insert(pcm.end(), static_cast<std::size_t>(channels), s);
        chunks_[i] = Mix_QuickLoad_RAW(reinterpret_cast<Uint8*>(pcm.data()),
                                       static_cast<Uint32>(pcm.size() * sizeof(std::int16_t)));
        if (chunks_[i]) Mix_VolumeChunk(chunks_[i], chunk_volume(static_cast<Sound>(i)));
    }
    log.info("audio: {} at {} Hz, {} channels", driver_, rate, channels);
}

Audio::~Audio() {
    if (!open_) return;
    Mix_HaltChannel(-1);
    for (Mix_Chunk*& chunk : chunks_) {
        if (chunk) Mix_FreeChunk(chunk);
        chunk = nullptr;
    }
    Mix_CloseAudio();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void Audio::set_volume(int volume_pct, bool muted) {
    muted_ = muted;
    if (!open_) return;
    Mix_MasterVolume(std::clamp(volume_pct, 0, 100) * MIX_MAX_VOLUME / 100);
}

void Audio::play(Sound sound) {
    ++requested_;
    if (!open_ || muted_) return;
    if (Mix_Chunk* chunk = chunks_[static_cast<std::size_t>(sound)]) Mix_PlayChannel(-1, chunk, 0);
}

} // namespace skirmish::app
