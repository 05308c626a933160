// client/app/lan_browser.hpp
//
// The connect screen's LAN list: a discovery round (client/core/lan_discovery)
// when the screen opens and on Refresh, its answers gathered each frame with
// the servers' ping. Probes go where default_lan_targets() says (every
// interface's broadcast address and IPv6 multicast, or SKIRMISH_LAN_ADDRESS)
// on the discovery port, unless the app was given addresses (--lan-address).
//
// IMPORTANT: one thread (the app's); nothing blocks: the socket is
// non-blocking and update() reads only what is waiting.
#pragma once

#include "client/core/lan_discovery.hpp"
#include "shared/util/clock.hpp"

#include <optional>
#include <string>
#include <vector>

namespace skirmish::app {

class LanBrowser {
public:
    // `addresses`: where probes go ("" entries ignored); empty: the default targets.
    explicit LanBrowser(std::uint16_t port = client::kDiscoveryPort, std::vector<std::string> addresses = {});

    // A new round now: earlier answers are forgotten.
    void refresh(util::TimePoint now);
    // Reads the answers waiting.
    void update(util::TimePoint now);

    const std::vector<client::LanServer>& servers() const;
    // Still within the second in which answers are expected.
    bool listening(util::TimePoint now) const;
    bool probed() const noexcept { return probed_; }
    // Why no probe went out ("" if it did).
    const std::string& problem() const noexcept { return problem_; }

private:
    std::uint16_t port_;
    std::vector<std::string> addresses_;
    std::optional<client::LanDiscovery> discovery_;
    bool probed_ = false;
    std::string problem_;
};

// "12 ms · 3/1000 players · 2 rooms · needs a password", for a row.
std::string summary(const client::LanServer& server);

} // namespace skirmish::app
