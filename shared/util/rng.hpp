// shared/util/rng.hpp
//
// A small seeded pseudo-random generator (xoshiro128** seeded by splitmix64).
// Everything random below the app layer takes an Rng& so a run with the same
// seed repeats exactly: the conditioner, the bots, the tests.
//
// IMPORTANT: not for cryptography; tokens use libsodium.
#pragma once

#include <cstdint>

namespace skirmish::util {

class Rng {
public:
    explicit Rng(std::uint64_t seed) noexcept {
        for (auto& word : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = static_cast<std::uint32_t>((z ^ (z >> 31)) >> 16);
        }
        if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
    }

    std::uint32_t next_u32() noexcept {
        const std::uint32_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint32_t t = state_[1] << 9;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 11);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() noexcept { return (next_u32() >> 8) * (1.0 / 16777216.0); }

    // Uniform in [lo, hi).
    double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [0, bound) without modulo bias (Lemire's method).
    std::uint32_t below(std::uint32_t bound) noexcept {
        if (bound == 0) return 0;
        std::uint64_t m = std::uint64_t{next_u32()} * bound;
        auto low = static_cast<std::uint32_t>(m);
        if (low < bound) {
            const std::uint32_t threshold = (0u - bound) % bound;
            while (low < threshold) {
                m = std::uint64_t{next_u32()} * bound;
                low = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<std::uint32_t>(m >> 32);
    }

    // True with probability p (0..1).
    bool chance(double p) noexcept { return uniform() < p; }

private:
    static std::uint32_t rotl(std::uint32_t x, int k) noexcept { return (x << k) | (x >> (32 - k)); }
    std::uint32_t state_[4]{};
};

} // namespace skirmish::util
