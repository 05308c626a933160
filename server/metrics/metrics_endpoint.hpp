// server/metrics/metrics_endpoint.hpp
//
// The HTTP endpoint of --metrics-address (cpp-httplib): GET /metrics (the
// Prometheus text format), GET /healthz (the process answers: 200) and GET
// /readyz (200 when the ports are open and the tick loop keeps its schedule,
// else 503 with why). Anything else is 404.
//
// IMPORTANT: bounded, because whoever reaches the address can talk to it: two
// worker threads, at most 16 accepted connections waiting for one (then the
// accept loop waits and the kernel's backlog holds the rest), 2 s read and
// write timeouts per socket operation, at most 10 requests per connection,
// 8 KiB of request line and headers (httplib's caps), 1 KiB of body. It
// binds to 127.0.0.1 unless told another host: a trickling client can still
// hold a worker for a while, so it belongs on loopback or a monitoring network.
// IMPORTANT: the handlers run on the endpoint's threads: they must be
// thread-safe and quick (they copy published figures; they never wait for the
// tick thread).
#pragma once

#include "shared/util/log.hpp"
#include "shared/util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace skirmish::server {

struct Readiness {
    bool ready = false;
    std::string text; // for a person: what is up, or what is not
};

struct MetricsAddress {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
};
// "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" (host 127.0.0.1). The error is a
// line for a person.
util::Result<MetricsAddress, std::string> parse_metrics_address(const std::string& text);

class MetricsEndpoint {
public:
    struct Handlers {
        std::function<std::string()> metrics;  // the /metrics body
        std::function<Readiness()> readiness;  // /readyz
    };
    static constexpr int kWorkers = 2;
    static constexpr std::size_t kMaxWaitingConnections = 16;

    // Binds (port 0: any free one) and starts serving on a thread of its own.
    static util::Result<std::unique_ptr<MetricsEndpoint>, std::string> start(const MetricsAddress& address,
                                                                           Handlers handlers, util::Logger log);
    ~MetricsEndpoint();
    MetricsEndpoint(const MetricsEndpoint&) = delete;
    MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    const std::string& host() const noexcept { return host_; }
    // Stops accepting, finishes the requests in hand, joins. Idempotent.
    void stop();

private:
    MetricsEndpoint() = default;

    std::unique_ptr<httplib::Server> http_;
    std::thread thread_;
    std::string host_;
    std::uint16_t port_ = 0;
};

} // namespace skirmish::server
