// client/bots/fleet.cpp
#include "client/bots/fleet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <thread>

#include <sched.h>
#include <sys/epoll.h>
#include <unistd.h>

namespace skirmish::bots {

// One thread's share of the fleet. Its thread alone touches its io_context
// and its bots while running; what the live line needs it publishes under
// the mutex.
struct Fleet::Shard {
    std::size_t index = 0;
    asio::io_context io;
    std::vector<Bot*> bots; // bots index, index + threads, ... in start order
    std::mutex mutex;       // guards the four below
    LiveWindow window;      // since the live line last took it
    std::size_t connected = 0, in_match = 0;
    std::size_t connected_at_end = 0; // before the goodbyes; read after join
    std::thread thread;
};

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

void Fleet::print_live(const LiveWindow& w, std::size_t connected, std::size_t in_match, double elapsed_s,
                       bool final_line) {
    if (!options_.live) return;
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

int available_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

namespace {
// The live figures a bot thread gathers locally and hands over this often
// (a window holds a 10 KB histogram: merging it every frame would cost more than it tells).
constexpr auto kPublishEvery = std::chrono::milliseconds(100);
constexpr double kFastestFrameRate = 500; // --frame-rate 0: a few bots on a thread run this fast

void merge(LiveWindow& into, const LiveWindow& from) {
    into.rtt_ms.merge(from.rtt_ms);
    into.snapshots += from.snapshots;
    into.in_match_s += from.in_match_s;
    into.bytes_down += from.bytes_down;
    into.bytes_up += from.bytes_up;
    into.corrections += from.corrections;
    if (from.server) into.server = from.server;
}
} // namespace

// Which of a shard's bots have something to read on their game socket: one
// epoll_wait a frame instead of a read that finds nothing on every bot's
// socket (that empty read was the biggest single cost of a big fleet). A
// bot not watched (no game, or epoll failed) is simply read every frame.
class ReadinessPoll {
public:
    explicit ReadinessPoll(std::size_t bots)
        : fd_(epoll_create1(EPOLL_CLOEXEC)), watched_(bots, {-1, 0}), ready_(bots, 0), events_(bots) {}
    ~ReadinessPoll() {
        if (fd_ >= 0) close(fd_);
    }
    ReadinessPoll(const ReadinessPoll&) = delete;
    ReadinessPoll& operator=(const ReadinessPoll&) = delete;

    // Keeps bot i's current game socket watched (a closed socket leaves the
    // epoll set by itself; its number may come back for another game).
    void watch(std::size_t i, int socket, std::uint64_t game) {
        if (fd_ < 0 || (watched_[i].first == socket && watched_[i].second == game)) return;
        watched_[i] = {-1, game};
        if (socket < 0) return;
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.u64 = i;
        if (epoll_ctl(fd_, EPOLL_CTL_ADD, socket, &e) == 0 || errno == EEXIST) watched_[i].first = socket;
    }
    // Asks the kernel once which watched sockets are readable now.
    void poll() {
        std::fill(ready_.begin(), ready_.end(), 0);
        if (fd_ < 0 || events_.empty()) return;
        const int n = epoll_wait(fd_, events_.data(), static_cast<int>(events_.size()), 0);
        for (int k = 0; k < n; ++k) ready_[static_cast<std::size_t>(events_[static_cast<std::size_t>(k)].data.u64)] = 1;
    }
    // Bot i's socket is watched and had nothing to read at the last poll().
    bool quiet(std::size_t i) const { return watched_[i].first >= 0 && !ready_[i]; }

private:
    int fd_;
    std::vector<std::pair<int, std::uint64_t>> watched_; // socket and game serial per bot
    std::vector<char> ready_;
    std::vector<epoll_event> events_;
};

void Fleet::run_shard(Shard& shard, Clock::time_point start, Clock::time_point end, const std::atomic<bool>& stop) {
    const std::size_t threads = shards_.size();
    ReadinessPoll readiness(shard.bots.size());
    std::size_t started = 0;
    LiveWindow local;
    auto next_publish = start + kPublishEvery;
    const auto frame_period = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / (options_.frame_rate_hz > 0 ? options_.frame_rate_hz : kFastestFrameRate)));
    while (!stop.load() && !abandon_.load() && Clock::now() < end) {
        const auto frame = Clock::now();
        const double elapsed = std::chrono::duration<double>(frame - start).count();
        // The ramp counts bots over the whole fleet; this shard's are every threads-th.
        const auto ramped = static_cast<std::size_t>(1 + elapsed * options_.ramp_per_s);
        const std::size_t due_fleet = options_.ramp_per_s <= 0 ? bots_.size() : std::min(bots_.size(), ramped);
        const std::size_t due = due_fleet > shard.index ? (due_fleet - shard.index + threads - 1) / threads : 0;
        for (; started < due; ++started) shard.bots[started]->start();
        // A poll with nothing to do stops an io_context (a shard before its
        // first bot is due, or between connections): let it run again.
        if (shard.io.stopped()) shard.io.restart();
        shard.io.poll();
        readiness.poll();
        std::size_t connected = 0, in_match = 0;
        for (std::size_t i = 0; i < started; ++i) {
            Bot& bot = *shard.bots[i];
            bot.update(frame, local, readiness.quiet(i));
            readiness.watch(i, bot.game_socket(), bot.game_serial());
            connected += bot.connected() ? 1 : 0;
            in_match += bot.state() == BotState::Match ? 1 : 0;
        }
        if (frame >= next_publish) {
            next_publish = frame + kPublishEvery;
            const std::lock_guard lock(shard.mutex);
            merge(shard.window, local);
            shard.connected = connected;
            shard.in_match = in_match;
            local = LiveWindow{};
        }
        std::this_thread::sleep_until(frame + frame_period);
    }
    {
        const std::lock_guard lock(shard.mutex);
        merge(shard.window, local);
    }
    // Who is still connected, before saying goodbye (a goodbye is not a drop).
    std::size_t connected = 0;
    for (const Bot* b : shard.bots) connected += b->connected() ? 1 : 0;
    shard.connected_at_end = connected;
    for (Bot* b : shard.bots) b->stop();
    // Let the goodbyes (ENet disconnects, TCP closes) leave.
    const auto goodbye = Clock::now() + std::chrono::milliseconds(200);
    while (Clock::now() < goodbye) {
        if (shard.io.stopped()) shard.io.restart();
        shard.io.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

LiveWindow Fleet::collect(std::size_t& connected, std::size_t& in_match) {
    LiveWindow window;
    connected = in_match = 0;
    for (auto& shard : shards_) {
        const std::lock_guard lock(shard->mutex);
        merge(window, shard->window);
        shard->window = LiveWindow{};
        connected += shard->connected;
        in_match += shard->in_match;
    }
    return window;
}

Report Fleet::run(const std::atomic<bool>& stop) {
    const auto threads = static_cast<std::size_t>(std::clamp(options_.threads, 1, std::max(1, options_.bots)));
    for (std::size_t t = 0; t < threads; ++t) {
        shards_.push_back(std::make_unique<Shard>());
        shards_.back()->index = t;
    }
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
        Shard& shard = *shards_[static_cast<std::size_t>(i) % threads];
        auto log = log_.child(b.name);
        bots_.push_back(std::make_unique<Bot>(enet_, shard.io, std::move(b), std::move(log)));
        shard.bots.push_back(bots_.back().get());
    }
    // The clock starts once the bots exist: 2,000 take a few hundred
    // milliseconds to make, and a ramp timed from before would start that
    // many seconds' worth of bots at once (more than the lobby lets one
    // address hold before Hello).
    const auto start = Clock::now();
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.duration_s));
    for (auto& shard : shards_) {
        shard->thread = std::thread([this, &own = *shard, start, end, &stop] { run_shard(own, start, end, stop); });
    }
    // Should this thread leave by an exception, the bot threads end and join
    // first (a joinable std::thread destroyed would end the process).
    struct JoinOnUnwind {
        Fleet& fleet;
        ~JoinOnUnwind() {
            fleet.abandon_ = true;
            for (auto& shard : fleet.shards_)
                if (shard->thread.joinable()) shard->thread.join();
        }
    } join_on_unwind{*this};
    // This thread: the live line once a second and the conditions schedule.
    auto next_line = start + std::chrono::seconds(1);
    std::size_t connected = 0, in_match = 0;
    while (!stop.load() && Clock::now() < end) {
        const auto now = Clock::now();
        follow_schedule(now - start);
        if (now >= next_line) {
            const LiveWindow window = collect(connected, in_match);
            print_live(window, connected, in_match, std::chrono::duration<double>(now - start).count(), false);
            next_line += std::chrono::seconds(1);
        }
        std::this_thread::sleep_until(std::min({next_line, end, now + std::chrono::milliseconds(50)}));
    }
    const double duration = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& shard : shards_) shard->thread.join();
    const LiveWindow last = collect(connected, in_match);
    print_live(last, connected, in_match, duration, true);

    std::size_t connected_at_end = 0;
    for (const auto& shard : shards_) connected_at_end += shard->connected_at_end;
    std::vector<const BotMetrics*> metrics;
    for (const auto& b : bots_) metrics.push_back(&b->metrics());
    Report report = aggregate(metrics, connected_at_end, duration);
    report.server_address = fmt::format("{}:{}", options_.server_host, options_.server_port);
    report.room_size = options_.room_size;
    report.threads = static_cast<int>(threads);
    report.conditions = options_.conditions;
    report.schedule_steps = options_.schedule ? options_.schedule->steps().size() : 0;
    report.schedule_changes = schedule_changes_;
    if (route_) report.relay = route_->stats();
    return report;
}

} // namespace skirmish::bots
