// client/app/host_port.hpp
//
// "HOST:PORT" as a person types it on the connect screen or after --connect:
// a host name or address, an optional port (the default when missing), and
// "[v6]:port" for IPv6. Pure: no sockets, no name resolution.
//
// IMPORTANT: the text is untrusted (typed, or from the settings file); every
// rejection is an error text that says what is wrong and what to type instead.
#pragma once

#include "shared/util/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace skirmish::app {

inline constexpr std::uint16_t kDefaultPort = 7777;

struct Endpoint {
    std::string host;
    std::uint16_t port = kDefaultPort;
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

util::Result<Endpoint, std::string> parse_endpoint(std::string_view text, std::uint16_t default_port = kDefaultPort);
// The canonical text of an endpoint: "host:port", "[v6]:port".
std::string to_text(const Endpoint& endpoint);

} // namespace skirmish::app
