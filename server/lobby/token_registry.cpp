// server/lobby/token_registry.cpp
#include "server/lobby/token_registry.hpp"

namespace skirmish::server {

void TokenRegistry::issue(sim::PlayerId player_id, std::uint64_t token_id) {
    const std::scoped_lock lock(mutex_);
    live_[player_id] = token_id;
}

void TokenRegistry::revoke(sim::PlayerId player_id) {
    const std::scoped_lock lock(mutex_);
    live_.erase(player_id);
}

bool TokenRegistry::is_live(sim::PlayerId player_id, std::uint64_t token_id) const {
    const std::scoped_lock lock(mutex_);
    const auto it = live_.find(player_id);
    return it != live_.end() && it->second == token_id;
}

std::size_t TokenRegistry::size() const {
    const std::scoped_lock lock(mutex_);
    return live_.size();
}

} // namespace skirmish::server
