// shared/net/conditioner_cli.hpp
//
// The conditioner's command-line flags, the same in every binary that has them
// (skirmish-netsim, skirmish-bots, skirmish-client):
//   --profile P0..P4                                              a named profile (latency_profiles.hpp)
//   --latency-ms --jitter-ms --loss-pct --dup-pct --reorder-pct   both directions
//   --up-latency-ms ... --up-reorder-pct                          client → server only
//   --down-latency-ms ... --down-reorder-pct                      server → client only
//   --outage-ms --outage-every-s                                  periodic outages, both directions
//   --seed
// A per-direction flag wins over the both-directions one, and any flag wins
// over --profile (and --seed over the profile's seed), in any order on the
// command line. Meaning of each: docs/NETCODE.md, "The network conditioner".
//
// IMPORTANT: header-only and for binaries only (it includes CLI11, which
// throws); shared/* libraries take a ConditionerConfig, never a CLI::App.
// IMPORTANT: `config` is written while app.parse() runs, so it must outlive it;
// values already in it are the defaults.
#pragma once

#include "shared/net/conditioner.hpp"
#include "shared/net/latency_profiles.hpp"

#include <CLI/CLI.hpp>

#include <array>
#include <string>

namespace skirmish::net {

// "a named latency profile: P0 (loopback), P1 (50 ms RTT, ...), ...".
inline std::string profile_help() {
    std::string help = "a named latency profile, both directions, with its seed:";
    for (const LatencyProfile& p : kLatencyProfiles) {
        help += " ";
        help += p.name;
        help += " (";
        help += p.summary;
        help += ")";
    }
    return help + " (docs/NETCODE.md); the flags below change it";
}

inline void add_conditioner_options(CLI::App& app, ConditionerConfig& config) {
    struct Setting {
        const char* flag;         // e.g. "latency-ms"
        double LinkConditions::*field;
        double high;
        const char* help;
    };
    static constexpr std::array<Setting, 5> kSettings{{
        {"latency-ms", &LinkConditions::latency_ms, kMaxDelayMs, "added one-way delay in ms"},
        {"jitter-ms", &LinkConditions::jitter_ms, kMaxDelayMs,
         "extra delay in ms, uniform in [0, jitter); never reorders by itself"},
        {"loss-pct", &LinkConditions::loss_pct, 100.0, "chance in % that a packet is lost"},
        {"dup-pct", &LinkConditions::dup_pct, 100.0, "chance in % that a packet is delivered twice"},
        {"reorder-pct", &LinkConditions::reorder_pct, 100.0,
         "chance in % that a packet is held back until the next one overtakes it"},
    }};
    const std::string group = "Network conditioner (per direction: --up-* client→server, --down-* server→client)";

    // CLI11 runs option callbacks in the order the options were added, so the
    // settings, added after --profile, override the profile's, and the
    // per-direction flags, added after, override the both-directions ones.
    app.add_option_function<std::string>(
           "--profile",
           [&config](const std::string& name) {
               const LatencyProfile* profile = find_latency_profile(name);
               if (!profile) return; // the check below has refused it already
               const ConditionerConfig named = conditions_of(*profile);
               config.up = named.up;
               config.down = named.down;
               config.seed = named.seed;
               config.profile = named.profile;
           },
           profile_help())
        ->check([](const std::string& name) {
            return find_latency_profile(name) ? std::string()
                                              : "unknown profile '" + name + "': choose one of " + latency_profile_names();
        })
        ->group(group);
    for (const Setting& s : kSettings) {
        app.add_option_function<double>(
               std::string("--") + s.flag,
               [&config, field = s.field](double value) {
                   config.up.*field = value;
                   config.down.*field = value;
               },
               std::string(s.help) + ", both directions")
            ->check(CLI::Range(0.0, s.high))
            ->group(group);
    }
    for (const Setting& s : kSettings) {
        app.add_option(std::string("--up-") + s.flag, config.up.*(s.field),
                       std::string(s.help) + ", client → server only")
            ->check(CLI::Range(0.0, s.high))
            ->group(group);
        app.add_option(std::string("--down-") + s.flag, config.down.*(s.field),
                       std::string(s.help) + ", server → client only")
            ->check(CLI::Range(0.0, s.high))
            ->group(group);
    }
    app.add_option("--outage-ms", config.outages.length_ms,
                   "cut the link both ways for this many ms, every --outage-every-s seconds")
        ->check(CLI::Range(0.0, kMaxOutageMs))
        ->group(group);
    app.add_option("--outage-every-s", config.outages.every_s,
                   "period of the outages in s (they fall on the same moments for every link on the machine)")
        ->check(CLI::Range(0.0, kMaxOutageEveryS))
        ->group(group);
    app.add_option("--seed", config.seed, "seed of the conditioner's random choices (same seed, same run)")
        ->capture_default_str()
        ->group(group);
}

} // namespace skirmish::net
