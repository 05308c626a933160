// shared/net/latency_profiles.cpp
#include "shared/net/latency_profiles.hpp"

#include <algorithm>
#include <cctype>

namespace skirmish::net {

const LatencyProfile* find_latency_profile(std::string_view name) noexcept {
    const auto same = [name](const LatencyProfile& p) {
        return p.name.size() == name.size() &&
               std::equal(p.name.begin(), p.name.end(), name.begin(), [](char a, char b) {
                   return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
               });
    };
    const auto it = std::find_if(kLatencyProfiles.begin(), kLatencyProfiles.end(), same);
    return it == kLatencyProfiles.end() ? nullptr : &*it;
}

std::string latency_profile_names() {
    std::string names;
    for (const LatencyProfile& p : kLatencyProfiles) {
        if (!names.empty()) names += ", ";
        names += p.name;
    }
    return names;
}

ConditionerConfig conditions_of(const LatencyProfile& profile) {
    LinkConditions link;
    link.latency_ms = std::max(0.0, profile.rtt_ms / 2.0 - profile.jitter_ms / 2.0);
    link.jitter_ms = profile.jitter_ms;
    link.loss_pct = profile.loss_pct;
    link.dup_pct = profile.dup_pct;
    link.reorder_pct = profile.reorder_pct;
    ConditionerConfig config;
    config.up = config.down = link;
    config.seed = profile.seed;
    config.profile = std::string(profile.name);
    return config;
}

bool follows_profile(const ConditionerConfig& config) {
    const LatencyProfile* profile = find_latency_profile(config.profile);
    if (!profile) return false;
    const ConditionerConfig defined = conditions_of(*profile);
    return config.up == defined.up && config.down == defined.down && !config.outages.enabled();
}

} // namespace skirmish::net
