// shared/sim/hash.cpp
#include "shared/sim/hash.hpp"

#include "shared/sim/quantise.hpp"

namespace skirmish::sim {
namespace {

// FNV-1a, fed integer fields one at a time so padding never reaches the hash.
class Fnv1a {
public:
    void add(std::uint64_t value) noexcept {
        for (int i = 0; i < 8; ++i) {
            hash_ ^= (value >> (8 * i)) & 0xffu;
            hash_ *= 0x100000001b3ULL;
        }
    }
    void add_signed(std::int64_t value) noexcept { add(static_cast<std::uint64_t>(value)); }
    std::uint64_t value() const noexcept { return hash_; }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

} // namespace

std::uint64_t state_hash(const World& world) noexcept {
    Fnv1a h;
    h.add(world.tick);
    h.add(static_cast<std::uint64_t>(world.phase));
    h.add(world.players.size());
    for (const Player& p : world.players) {
        h.add(to_int(p.id));
        h.add_signed(to_fixed(p.position.x, kPositionScale));
        h.add_signed(to_fixed(p.position.y, kPositionScale));
        h.add_signed(to_fixed(p.velocity.x, kVelocityScale));
        h.add_signed(to_fixed(p.velocity.y, kVelocityScale));
        h.add(p.aim);
        h.add_signed(p.health);
        h.add(p.alive ? 1 : 0);
        h.add(p.respawn_tick);
        h.add(p.next_fire_tick);
        h.add(p.next_dash_tick);
        h.add(p.dash_end_tick);
        h.add(p.protected_until_tick);
        h.add_signed(p.frags);
        h.add_signed(p.deaths);
        h.add_signed(p.hits);
    }
    return h.value();
}

} // namespace skirmish::sim
