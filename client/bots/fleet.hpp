// client/bots/fleet.hpp
//
// A fleet of bots against one server: started at a ramp, shared over
// `threads` threads (bot i on thread i mod threads, each thread with its own
// asio::io_context and its bots' ENet hosts), with a live line every second
// and a Report at the end, merged from every bot's histograms. With
// conditioner settings, every bot's game traffic goes through the fleet's one
// ConditionedRoute: one in-process relay per game endpoint, shared by all
// bots, each bot its own link seeded from the fleet's seed, so each bot gets
// the conditions independently. A conditions schedule changes the relay's
// conditions while the fleet runs (the steps counted from the fleet's start).
//
// IMPORTANT: run() is blocking: the calling thread prints the live line and
// follows the schedule while the bot threads run; `stop` may be set from
// another thread (a signal handler's watcher) to end early. A bot is only ever
// touched by its own thread until the threads have joined.
#pragma once

#include "client/bots/bot.hpp"
#include "client/bots/report.hpp"
#include "client/core/conditioned_route.hpp"
#include "shared/net/conditions_schedule.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

namespace skirmish::bots {

struct FleetOptions {
    std::string server_host = "127.0.0.1";
    std::uint16_t server_port = 7777;
    int bots = 8;
    double duration_s = 30;
    double ramp_per_s = 50;   // bots started per second; 0: all at once
    int room_size = 8;
    std::uint64_t seed = 1;
    std::string name_prefix = "bot"; // bots are named <prefix>-0001, <prefix>-0002, ...
    std::string password;            // the server's, if it has one
    net::ConditionerConfig conditions;
    bool conditioned = false; // route game traffic through the relay
    // Conditions that change while running (needs `conditioned`); the seed,
    // queue limits and outages stay those of `conditions`.
    std::optional<net::ConditionsSchedule> schedule;
    client::ClientOptions client;
    // --record-view-dir: view recordings of record_view_sample bots, spread
    // evenly over the fleet (bot 1 always among them).
    std::string record_view_dir;
    int record_view_sample = 1;
    std::FILE* live = stdout; // where the live line goes; nullptr: silent
    int threads = 1;          // threads the bots are shared over (at most one per bot)
    // Frames a second each bot runs (network, inputs, view), as a display's
    // refresh rate paces a person's client; 0: as fast as the loop goes (up
    // to 500). A bigger share of bots on a thread than it can run at this
    // rate runs slower by itself.
    double frame_rate_hz = 120;
};

// The cores this process may run on (at least 1): --threads' default.
int available_cores();

class Fleet {
public:
    Fleet(const net::EnetLibrary& enet, FleetOptions options, util::Logger log);
    ~Fleet();

    Report run(const std::atomic<bool>& stop);
    // The conditioner route every bot's game traffic takes; null unless conditioned.
    const client::ConditionedRoute* route() const noexcept { return route_.get(); }

private:
    struct Shard;
    using Clock = std::chrono::steady_clock;

    bool records_view(int index) const;
    // Bot threads' loop: start the shard's bots as the ramp makes them due,
    // drive them until `stop` or `end`, then say goodbye.
    void run_shard(Shard& shard, Clock::time_point start, Clock::time_point end, const std::atomic<bool>& stop);
    // Takes every shard's live figures since the last call.
    LiveWindow collect(std::size_t& connected, std::size_t& in_match);
    void print_live(const LiveWindow& window, std::size_t connected, std::size_t in_match, double elapsed_s,
                    bool final_line);
    // Puts the schedule's step in force at `elapsed` on the route, if it changed.
    void follow_schedule(util::Duration elapsed);

    const net::EnetLibrary& enet_;
    FleetOptions options_;
    util::Logger log_;
    std::vector<std::unique_ptr<Shard>> shards_;
    std::vector<std::unique_ptr<Bot>> bots_; // in start order; bot i lives on shards_[i % shards_.size()]
    std::shared_ptr<client::ConditionedRoute> route_; // null unless conditioned
    bool live_is_tty_ = false;
    std::optional<std::size_t> schedule_step_; // the step on the route now
    std::uint64_t schedule_changes_ = 0;
    std::atomic<bool> abandon_{false}; // run() is leaving by an exception: the bot threads end too
};

} // namespace skirmish::bots
