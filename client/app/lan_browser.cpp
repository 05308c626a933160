// client/app/lan_browser.cpp
#include "client/app/lan_browser.hpp"

#include <fmt/format.h>

namespace skirmish::app {

namespace {

constexpr auto kAnswerWindow = std::chrono::seconds(1);
const std::vector<client::LanServer> kNone;

} // namespace

LanBrowser::LanBrowser(std::uint16_t port, std::vector<std::string> addresses)
    : port_(port), addresses_(std::move(addresses)) {}

void LanBrowser::refresh(util::TimePoint now) {
    probed_ = true;
    problem_.clear();
    if (!discovery_) {
        auto opened = client::LanDiscovery::open();
        if (!opened) {
            problem_ = opened.error();
            return;
        }
        discovery_.emplace(std::move(opened).value());
    }
    std::vector<net::Endpoint> targets;
    if (addresses_.empty()) {
        auto found = client::default_lan_targets(port_);
        if (!found) {
            problem_ = found.error();
            return;
        }
        targets = std::move(found).value();
    } else {
        for (const auto& a : addresses_) {
            auto target = client::lan_probe_target(a, port_);
            if (!target) {
                problem_ = "--lan-address " + target.error();
                return;
            }
            targets.push_back(*target);
        }
    }
    if (discovery_->probe(targets, now) == 0)
        problem_ = "could not send a LAN probe: is a network interface up?";
}

void LanBrowser::update(util::TimePoint now) {
    if (discovery_) discovery_->receive(now);
}

const std::vector<client::LanServer>& LanBrowser::servers() const { return discovery_ ? discovery_->servers() : kNone; }

bool LanBrowser::listening(util::TimePoint now) const {
    return discovery_ && discovery_->probed_at() && now - *discovery_->probed_at() < kAnswerWindow;
}

std::string summary(const client::LanServer& s) {
    std::string out = fmt::format("{:.0f} ms \xc2\xb7 {}/{} players \xc2\xb7 {} room{}", s.ping_ms, s.info.players,
                                  s.info.max_players, s.info.rooms, s.info.rooms == 1 ? "" : "s");
    if (s.info.password) out += " \xc2\xb7 needs a password";
    if (!s.compatible()) out += fmt::format(" \xc2\xb7 other version (protocol {})", s.info.protocol_version);
    return out;
}

} // namespace skirmish::app
