// client/app/sound_synth.cpp
#include "client/app/sound_synth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace skirmish::app {
namespace {

// Seeded xorshift noise in [-1, 1].
class Noise {
public:
    float next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 17;
        state_ ^= state_ << 5;
        return static_cast<float>(state_ & 0xffff) / 32767.5f - 1.0f;
    }

private:
    std::uint32_t state_ = 0x9e3779b9u;
};

// A mono buffer being written, as floats in [-1, 1].
class Voice {
public:
    Voice(int rate, double seconds) : rate_(rate), samples_(static_cast<std::size_t>(rate * seconds), 0.0f) {}

    // A sine sweeping from f0 to f1 Hz over [start, start + length) seconds,
    // with a 3 ms attack and an exponential decay of `decay` per second.
    void tone(double start, double length, double f0, double f1, float gain, double decay, bool square = false) {
        const auto first = static_cast<std::size_t>(start * rate_);
        const auto count = static_cast<std::size_t>(length * rate_);
        double phase = 0;
        for (std::size_t i = 0; i < count && first + i < samples_.size(); ++i) {
            const double t = static_cast<double>(i) / rate_;
            const double f = f0 + (f1 - f0) * (t / length);
            phase += 2 * std::numbers::pi * f / rate_;
            double wave = std::sin(phase);
            if (square) wave = wave >= 0 ? 0.6 : -0.6;
            samples_[first + i] += static_cast<float>(wave * envelope(t, length, decay)) * gain;
        }
    }
    // Noise through a one-pole low-pass (`brightness` 0..1), same envelope.
    void noise(double start, double length, float gain, double decay, float brightness) {
        const auto first = static_cast<std::size_t>(start * rate_);
        const auto count = static_cast<std::size_t>(length * rate_);
        float low = 0;
        for (std::size_t i = 0; i < count && first + i < samples_.size(); ++i) {
            const double t = static_cast<double>(i) / rate_;
            low += (noise_.next() - low) * brightness;
            samples_[first + i] += low * static_cast<float>(envelope(t, length, decay)) * gain;
        }
    }

    std::vector<std::int16_t> pcm() const {
        float peak = 0;
        for (float s : samples_) peak = std::max(peak, std::abs(s));
        // Every sound is normalised to the same peak; how loud each plays is the mixer's chunk volume.
        const float scale = peak > 0 ? static_cast<float>(kSoundPeak - 1) / peak : 0;
        std::vector<std::int16_t> out(samples_.size());
        for (std::size_t i = 0; i < samples_.size(); ++i)
            out[i] = static_cast<std::int16_t>(std::lround(std::clamp(samples_[i] * scale, -32767.0f, 32767.0f)));
        return out;
    }

private:
    static double envelope(double t, double length, double decay) {
        const double attack = std::min(1.0, t / 0.003);
        const double release = std::min(1.0, (length - t) / 0.005); // no click at the end
        return attack * std::max(0.0, release) * std::exp(-decay * t);
    }

    int rate_;
    std::vector<float> samples_;
    Noise noise_;
};

} // namespace

std::vector<std::int16_t> synthesise(Sound sound, int rate) {
    switch (sound) {
    case Sound::Shot: {
        Voice v(rate, 0.16);
        v.noise(0, 0.16, 0.9f, 28, 0.55f);
        v.tone(0, 0.12, 160, 60, 0.8f, 30);
        return v.pcm();
    }
    case Sound::OtherShot: {
        Voice v(rate, 0.14);
        v.noise(0, 0.14, 0.45f, 32, 0.25f);
        v.tone(0, 0.1, 130, 60, 0.35f, 35);
        return v.pcm();
    }
    case Sound::Hit: {
        Voice v(rate, 0.08);
        v.tone(0, 0.08, 1900, 1700, 0.9f, 40);
        return v.pcm();
    }
    case Sound::Hurt: {
        Voice v(rate, 0.2);
        v.tone(0, 0.2, 190, 120, 0.8f, 14, true);
        v.noise(0, 0.08, 0.4f, 40, 0.3f);
        return v.pcm();
    }
    case Sound::Kill: {
        Voice v(rate, 0.32);
        v.tone(0, 0.12, 660, 660, 0.7f, 10);
        v.tone(0.1, 0.22, 990, 990, 0.7f, 9);
        return v.pcm();
    }
    case Sound::Death: {
        Voice v(rate, 0.55);
        v.tone(0, 0.55, 420, 80, 0.9f, 4, true);
        return v.pcm();
    }
    case Sound::Respawn: {
        Voice v(rate, 0.32);
        v.tone(0, 0.32, 300, 900, 0.8f, 5);
        return v.pcm();
    }
    case Sound::MatchStart: {
        Voice v(rate, 0.5);
        v.tone(0.0, 0.14, 523, 523, 0.7f, 8);
        v.tone(0.14, 0.14, 659, 659, 0.7f, 8);
        v.tone(0.28, 0.22, 784, 784, 0.7f, 6);
        return v.pcm();
    }
    case Sound::MatchEnd: {
        Voice v(rate, 0.75);
        v.tone(0.0, 0.2, 784, 784, 0.7f, 6);
        v.tone(0.2, 0.2, 659, 659, 0.7f, 6);
        v.tone(0.4, 0.35, 523, 523, 0.7f, 4);
        return v.pcm();
    }
    case Sound::Chat: {
        Voice v(rate, 0.16);
        v.tone(0, 0.07, 880, 880, 0.5f, 20);
        v.tone(0.07, 0.09, 1320, 1320, 0.5f, 20);
        return v.pcm();
    }
    }
    return {};
}

} // namespace skirmish::app
