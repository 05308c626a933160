// tools/replay/verify.cpp: skirmish-replay verify.
#include "shared/demo/replay.hpp"
#include "tools/replay/commands.hpp"
#include "tools/replay/text.hpp"

namespace skirmish::replay {

int run_verify(const std::filesystem::path& file, bool any_rules, std::FILE* out) {
    auto reader = open_demo(file);
    if (!reader) return kExitUnreadable;
    const demo::DemoHeader& h = reader->header();
    const int rate = h.rules.tick_rate_hz;
    fmt::print(out, "{}: match {} on {}, {} Hz, rules version {}\n", file.string(), h.match_id, h.map.name, rate,
               h.rules_version);
    if (const std::string other = demo::rules_difference(h); !other.empty()) {
        if (!any_rules) {
            fmt::print(out, "NOT VERIFIED: {}, or pass --any-rules to re-simulate it anyway.\n", other);
            return kExitOtherRules;
        }
        fmt::print(out, "note: {}. Re-simulating anyway (--any-rules).\n", other);
    }

    const demo::VerifyReport report = demo::verify(*reader);
    const sim::Tick steps = static_cast<sim::Tick>(report.steps);
    fmt::print(out, "re-simulated {} ticks ({}), compared {} step hashes and {} full states or ends\n", steps,
               match_time(report.last_tick, rate), report.steps, report.checks);
    if (report.first) {
        const demo::Mismatch& m = *report.first;
        fmt::print(out, "DESYNC: first difference at tick {} ({}); full state compared at tick {}, last agreed at "
                        "tick {}\n{}\n",
                   m.tick, match_time(m.tick, rate), m.state_tick, m.last_agreed_tick, m.text);
        fmt::print(out, "{} of {} full checks differ\n", report.mismatches, report.checks);
    } else {
        fmt::print(out, "every check agrees: this build re-simulates the match bit for bit\n");
    }
    switch (report.ending) {
    case demo::Ending::Complete: fmt::print(out, "the demo is {}\n", report.ending_text); break;
    case demo::Ending::Truncated:
        fmt::print(out, "the demo is cut off: verified up to tick {} ({}), where it ends: {}\n", report.last_tick,
                   match_time(report.last_tick, rate), report.ending_text);
        break;
    case demo::Ending::Corrupt:
        fmt::print(out, "the demo is DAMAGED: verified up to tick {} ({}), where the damage starts: {}\n",
                   report.last_tick, match_time(report.last_tick, rate), report.ending_text);
        break;
    }
    if (report.first) return kExitMismatch;
    return report.ending == demo::Ending::Corrupt ? kExitDamaged : kExitOk;
}

} // namespace skirmish::replay
