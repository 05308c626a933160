// client/app/host_port.cpp
#include "client/app/host_port.hpp"

#include "shared/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace skirmish::app {
namespace {


bool parse_port(std::string_view text, std::uint16_t& port) {
    if (text.empty() || text.size() > 5) return false;
    unsigned value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value < 1 || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

bool valid_host(std::string_view host) {
    return !host.empty() && host.size() <= 253 && std::none_of(host.begin(), host.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20 || c == '/' ||
               c == '[' || c == ']';
    });
}

} // namespace

util::Result<Endpoint, std::string> parse_endpoint(std::string_view raw, std::uint16_t default_port) {
    const std::string_view text = util::trim_space(raw);
    if (text.empty()) return util::fail(std::string("type a server address, e.g. 127.0.0.1:7777"));
    Endpoint out;
    out.port = default_port;
    std::string_view port_text;
    bool has_port = false;
    if (text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos)
            return util::fail(fmt::format("'{}' opens '[' without ']': write IPv6 as [::1]:7777", text));
        out.host = std::string(text.substr(1, close - 1));
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return util::fail(fmt::format("'{}': expected ':PORT' after ']'", text));
            port_text = rest.substr(1);
            has_port = true;
        }
    } else {
        const auto colon = text.rfind(':');
        if (colon != std::string_view::npos && text.find(':') != colon)
            return util::fail(fmt::format("'{}' looks like an IPv6 address: write it as [{}]:7777", text, text));
        if (colon == std::string_view::npos) {
            out.host = std::string(text);
        } else {
            out.host = std::string(text.substr(0, colon));
            port_text = text.substr(colon + 1);
            has_port = true;
        }
    }
    if (!valid_host(out.host))
        return util::fail(fmt::format("'{}' has no usable host name: write HOST:PORT, e.g. 127.0.0.1:7777", text));
    if (has_port && !parse_port(port_text, out.port))
        return util::fail(fmt::format("'{}' is not a port: use a number from 1 to 65535 (the server prints it)",
                                      port_text));
    return out;
}

std::string to_text(const Endpoint& endpoint) {
    if (endpoint.host.find(':') != std::string::npos) return fmt::format("[{}]:{}", endpoint.host, endpoint.port);
    return fmt::format("{}:{}", endpoint.host, endpoint.port);
}

} // namespace skirmish::app
