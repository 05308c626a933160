// client/app/sound_synth.hpp
//
// The game's sounds, synthesised at start-up from a few sine sweeps, tones
// and seeded noise: nothing is downloaded or shipped, so there is no licence
// to track (docs/CLIENT.md, "Sound"). 16-bit signed mono PCM.
//
// IMPORTANT: pure and deterministic (the noise is a fixed-seed xorshift):
// the same sound and rate give the same samples on every run. Peaks stay
// below half of full scale so several sounds can mix without clipping.
#pragma once

#include "client/app/sound_cues.hpp"

#include <cstdint>
#include <vector>

namespace skirmish::app {

inline constexpr int kSoundRate = 44100;
inline constexpr std::int16_t kSoundPeak = 16384;

std::vector<std::int16_t> synthesise(Sound sound, int sample_rate = kSoundRate);

} // namespace skirmish::app
