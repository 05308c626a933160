// server/metrics/metrics_endpoint.cpp
#include "server/metrics/metrics_endpoint.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace skirmish::server {

namespace {

// httplib's own ThreadPool queues without bound; this one makes the accept
// loop wait when kMaxWaitingConnections are already waiting for a worker.
class BoundedTaskQueue final : public httplib::TaskQueue {
public:
    BoundedTaskQueue(int workers, std::size_t max_waiting) : max_waiting_(max_waiting) {
        for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
    }
    ~BoundedTaskQueue() override = default;

    void enqueue(std::function<void()> job) override {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return jobs_.size() < max_waiting_ || shutdown_; });
        jobs_.push_back(std::move(job));
        lock.unlock();
        ready_.notify_one();
    }

    void shutdown() override {
        {
            const std::lock_guard lock(mutex_);
            shutdown_ = true;
        }
        ready_.notify_all();
        space_.notify_all();
        for (auto& t : workers_) t.join();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
                if (jobs_.empty()) return; // shutting down with nothing left
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            space_.notify_one();
            job(); // serves one connection and closes it
        }
    }

    std::size_t max_waiting_;
    std::mutex mutex_;
    std::condition_variable ready_, space_;
    std::deque<std::function<void()>> jobs_;
    bool shutdown_ = false;
    std::vector<std::thread> workers_;
};

bool parse_port(std::string_view text, std::uint16_t& out) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return false;
    out = static_cast<std::uint16_t>(value);
    return true;
}

} // namespace

util::Result<MetricsAddress, std::string> parse_metrics_address(const std::string& text) {
    const auto bad = [&] {
        return util::fail(fmt::format("'{}' is not HOST:PORT (e.g. 127.0.0.1:9100, [::1]:9100 or :9100)", text));
    };
    MetricsAddress out;
    std::string_view port = text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return bad();
        out.host = text.substr(1, close - 1);
        port = std::string_view(text).substr(close + 2);
    } else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
        if (text.find(':') != colon) return bad(); // a bare IPv6 address needs brackets
        if (colon > 0) out.host = text.substr(0, colon);
        port = std::string_view(text).substr(colon + 1);
    }
    if (out.host.empty() || !parse_port(port, out.port)) return bad();
    return out;
}

util::Result<std::unique_ptr<MetricsEndpoint>, std::string> MetricsEndpoint::start(const MetricsAddress& address,
                                                                                 Handlers handlers, util::Logger log) {
    std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
    auto http = std::make_unique<httplib::Server>();
    http->new_task_queue = [] { return new BoundedTaskQueue(kWorkers, kMaxWaitingConnections); };
    http->set_read_timeout(2, 0);
    http->set_write_timeout(2, 0);
    http->set_keep_alive_max_count(10);
    http->set_keep_alive_timeout(2);
    http->set_payload_max_length(1024); // GETs carry no body; one that does is not read past this
    // httplib's default also sets SO_REUSEPORT, which would let a second
    // server bind the same address and take half the scrapes: only SO_REUSEADDR.
    http->set_socket_options([](socket_t sock) {
        const int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http->Get("/metrics", [metrics = handlers.metrics](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics(), "text/plain; version=0.0.4; charset=utf-8");
    });
    http->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok: skirmish-server is running\n", "text/plain; charset=utf-8");
    });
    http->Get("/readyz", [readiness = handlers.readiness](const httplib::Request&, httplib::Response& res) {
        const Readiness r = readiness();
        res.status = r.ready ? 200 : 503;
        res.set_content(r.text + "\n", "text/plain; charset=utf-8");
    });
    http->set_exception_handler([log](const httplib::Request& req, httplib::Response& res, std::exception_ptr e) {
        try {
            if (e) std::rethrow_exception(e);
        } catch (const std::exception& x) {
            log.error("metrics endpoint: {} {} failed: {}", req.method, req.path, x.what());
        } catch (...) {
            log.error("metrics endpoint: {} {} failed", req.method, req.path);
        }
        res.status = 500;
        res.set_content("internal error\n", "text/plain");
    });

    int port = address.port;
    if (address.port == 0) {
        port = http->bind_to_any_port(address.host);
        if (port <= 0) port = -1;
    } else if (!http->bind_to_port(address.host, address.port)) {
        port = -1;
    }
    if (port < 0)
        return util::fail(fmt::format("cannot listen for metrics on {}:{}: is the port in use, or the address not "
                                      "one of this machine's? Pick another with --metrics-address",
                                      address.host, address.port));
    endpoint->host_ = address.host;
    endpoint->port_ = static_cast<std::uint16_t>(port);
    httplib::Server* server = http.get();
    endpoint->http_ = std::move(http);
    endpoint->thread_ = std::thread([server] { server->listen_after_bind(); });
    // httplib 0.11's stop() does nothing until the accept loop is running, and
    // it says so through is_running() only: wait (bounded) for it, so that a
    // stop() right after start() cannot miss it and hang the join.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server->is_running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!server->is_running()) {
        endpoint->thread_.detach();
        endpoint->http_.release(); // still in use by the detached thread
        return util::fail(fmt::format("the metrics endpoint on {}:{} did not start", address.host, port));
    }
    const bool v6 = address.host.find(':') != std::string::npos;
    log.info("metrics on http://{}{}{}:{}/metrics (and /healthz, /readyz)", v6 ? "[" : "", address.host,
             v6 ? "]" : "", port);
    return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() { stop(); }

void MetricsEndpoint::stop() {
    if (!thread_.joinable()) return;
    http_->stop();
    thread_.join();
}

} // namespace skirmish::server
