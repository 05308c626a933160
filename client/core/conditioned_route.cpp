// client/core/conditioned_route.cpp
#include "client/core/conditioned_route.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::client {

ConditionedRoute::ConditionedRoute(net::ConditionerConfig conditions, util::Logger log, std::size_t max_endpoints)
    : conditions_(conditions), log_(std::move(log)), max_endpoints_(std::max<std::size_t>(1, max_endpoints)) {}

ConditionedRoute::~ConditionedRoute() = default;

RoutedTicket ConditionedRoute::route(MatchTicket ticket) {
    const std::string endpoint = fmt::format("{}:{}", ticket.address, ticket.port);
    const std::lock_guard lock(mutex_);
    auto it = std::find_if(relays_.begin(), relays_.end(), [&](const Relay& r) { return r.endpoint == endpoint; });
    if (it != relays_.end()) {
        // Most recently used goes last.
        std::rotate(it, it + 1, relays_.end());
    } else {
        net::RelayConfig config;
        config.forward_host = ticket.address;
        config.forward_port = ticket.port;
        config.conditions = conditions_;
        config.logger = &log_;
        auto relay = net::UdpRelay::start(config);
        if (!relay) {
            return {std::move(ticket),
                    fmt::format("the network conditioner could not start ({}); playing without it", relay.error())};
        }
        log_.info("game traffic through the conditioner: {}", (*relay)->describe_route());
        if (relays_.size() >= max_endpoints_) relays_.erase(relays_.begin());
        relays_.push_back({endpoint, std::move(relay).value()});
    }
    ticket.address = "127.0.0.1";
    ticket.port = relays_.back().relay->port();
    return {std::move(ticket), {}};
}

util::Result<util::Ok, std::string> ConditionedRoute::set_conditions(const net::ConditionerConfig& conditions) {
    if (auto valid = net::validate(conditions); !valid) return valid;
    const std::lock_guard lock(mutex_);
    conditions_ = conditions;
    for (auto& r : relays_) {
        if (auto set = r.relay->set_conditions(conditions); !set) return set;
    }
    return util::Ok{};
}

net::ConditionerConfig ConditionedRoute::conditions() const {
    const std::lock_guard lock(mutex_);
    return conditions_;
}

std::size_t ConditionedRoute::relays() const {
    const std::lock_guard lock(mutex_);
    return relays_.size();
}

std::optional<net::RelayStats> ConditionedRoute::stats() const {
    const std::lock_guard lock(mutex_);
    if (relays_.empty()) return std::nullopt;
    return relays_.back().relay->stats();
}

util::Duration ConditionedRoute::goodbye_time() const {
    const std::lock_guard lock(mutex_);
    if (relays_.empty()) return util::Duration::zero();
    const net::LinkConditions& up = conditions_.up;
    return std::chrono::duration_cast<util::Duration>(
        std::chrono::duration<double, std::milli>(std::min(2000.0, up.latency_ms + up.jitter_ms)));
}

} // namespace skirmish::client
