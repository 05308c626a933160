// client/bots/fleet.cpp
#include "client/bots/fleet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <unistd.h>

namespace skirmish::bots {

Fleet::Fleet(const net::EnetLibrary& enet, FleetOptions options, util::Logger log)
    : enet_(enet), options_(std::move(options)), log_(std::move(log)) {
    live_is_tty_ = options_.live && isatty(fileno(options_.live));
    if (options_.conditioned) route_ = std::make_shared<client::ConditionedRoute>(options_.conditions, log_);
}

Fleet::~Fleet() = default;

bool Fleet::records_view(int index) const {
    if (options_.record_view_dir.empty() || options_.record_view_sample <= 0) return false;
    const long long n = std::min(options_.record_view_sample, options_.bots);
    // Bot i is sampled when it is the first of its share of the fleet.
    const auto share = [&](long long i) { return i * n / options_.bots; };
    return index == 0 || share(index) != share(index - 1);
}

void Fleet::print_live(const LiveWindow& w, double elapsed_s, bool final_line) {
    if (!options_.live) return;
    std::size_t connected = 0, in_match = 0;
    for (const auto& b : bots_) {
        connected += b->connected() ? 1 : 0;
        in_match += b->state() == BotState::Match ? 1 : 0;
    }
    const double per_bot = w.in_match_s > 0 ? 1.0 / w.in_match_s : 0.0;
    const std::string line = fmt::format(
        "[{:5.0f} s] connected {}/{} (in match {})  rtt p50 {:.1f} p99 {:.1f} ms  snapshots {:.1f}/s  "
        "down {:.2f} up {:.2f} kB/s per bot  corrections {:.1f}/min  server tick p99 {}",
        elapsed_s, connected, options_.bots, in_match, w.rtt_ms.percentile(50), w.rtt_ms.percentile(99),
        static_cast<double>(w.snapshots) * per_bot, static_cast<double>(w.bytes_down) * per_bot / 1000.0,
        static_cast<double>(w.bytes_up) * per_bot / 1000.0, static_cast<double>(w.corrections) * per_bot * 60.0,
        w.server ? fmt::format("{:.2f} ms", w.server->tick_ms_p99) : std::string("-"));
    if (live_is_tty_) fmt::print(options_.live, "\r\033[K{}{}", line, final_line ? "\n" : "");
    else fmt::print(options_.live, "{}\n", line);
    std::fflush(options_.live);
}

void Fleet::follow_schedule(util::Duration elapsed) {
    if (!route_ || !options_.schedule) return;
    const std::size_t step = options_.schedule->step_at(elapsed);
    if (schedule_step_ == step) return;
    const net::ConditionerConfig config = options_.schedule->apply(step, options_.conditions);
    if (auto set = route_->set_conditions(config); !set) {
        log_.error("conditions schedule step {} (line {}): {}", step + 1, options_.schedule->steps()[step].line,
                   set.error());
        return;
    }
    schedule_step_ = step;
    ++schedule_changes_;
    if (options_.live) {
        fmt::print(options_.live, "{}conditions: step {}/{}: up {}; down {}\n", live_is_tty_ ? "\r\033[K" : "",
                   step + 1, options_.schedule->steps().size(), net::describe(config.up), net::describe(config.down));
        std::fflush(options_.live);
    }
}

Report Fleet::run(const std::atomic<bool>& stop) {
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(options_.duration_s));
    for (int i = 0; i < options_.bots; ++i) {
        BotOptions b;
        b.server_host = options_.server_host;
        b.password = options_.password;
        b.server_port = options_.server_port;
        b.name = fmt::format("{}-{:04}", options_.name_prefix, i + 1);
        b.room_size = static_cast<std::uint8_t>(options_.room_size);
        b.seed = options_.seed * 1000003ULL + static_cast<std::uint64_t>(i);
        b.client = options_.client;
        b.route = route_;
        if (records_view(i)) b.record_view_dir = options_.record_view_dir;
        bots_.push_back(std::make_unique<Bot>(enet_, io_, std::move(b), log_.child(fmt::format("{}-{:04}", options_.name_prefix, i + 1))));
    }
    std::size_t started = 0;
    LiveWindow window;
    auto next_line = start + std::chrono::seconds(1);
    while (!stop.load() && std::chrono::steady_clock::now() < end) {
        const auto frame = std::chrono::steady_clock::now();
        const double elapsed = std::chrono::duration<double>(frame - start).count();
        follow_schedule(frame - start);
        const std::size_t due = options_.ramp_per_s <= 0
                                    ? bots_.size()
                                    : std::min(bots_.size(), static_cast<std::size_t>(1 + elapsed * options_.ramp_per_s));
        for (; started < due; ++started) bots_[started]->start();
        io_.poll();
        for (std::size_t i = 0; i < started; ++i) bots_[i]->update(frame, window);
        if (frame >= next_line) {
            print_live(window, elapsed, false);
            window = LiveWindow{};
            next_line += std::chrono::seconds(1);
        }
        // Pace the loop at ~500 Hz when it is cheap (a few bots); a big fleet
        // is slower than that by itself.
        std::this_thread::sleep_until(frame + std::chrono::milliseconds(2));
    }
    const double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    print_live(window, duration, true);

    // Who is still connected, before saying goodbye (a goodbye is not a drop).
    std::size_t connected = 0;
    for (const auto& b : bots_) connected += b->connected() ? 1 : 0;
    for (auto& b : bots_) b->stop();
    std::vector<const BotMetrics*> metrics;
    for (const auto& b : bots_) metrics.push_back(&b->metrics());
    Report report = aggregate(metrics, connected, duration);
    report.server_address = fmt::format("{}:{}", options_.server_host, options_.server_port);
    report.room_size = options_.room_size;
    report.conditions = options_.conditions;
    report.schedule_steps = options_.schedule ? options_.schedule->steps().size() : 0;
    report.schedule_changes = schedule_changes_;
    if (route_) report.relay = route_->stats();
    // Let the goodbyes (ENet disconnects, TCP closes) leave.
    const auto goodbye = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    while (std::chrono::steady_clock::now() < goodbye) {
        io_.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return report;
}

} // namespace skirmish::bots
