// server/metrics/prometheus_text.cpp
#include "server/metrics/prometheus_text.hpp"

#include "server/game/match_events.hpp"
#include "skirmish/version.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace skirmish::server {

namespace {

class Writer {
public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    }
    void value(std::string_view name, double v, std::string_view labels = {}) {
        if (labels.empty()) fmt::format_to(std::back_inserter(out_), "{} {}\n", name, v);
        else fmt::format_to(std::back_inserter(out_), "{}{{{}}} {}\n", name, labels, v);
    }
    void value(std::string_view name, std::uint64_t v, std::string_view labels = {}) {
        if (labels.empty()) fmt::format_to(std::back_inserter(out_), "{} {}\n", name, v);
        else fmt::format_to(std::back_inserter(out_), "{}{{{}}} {}\n", name, labels, v);
    }
    void gauge(std::string_view name, std::string_view help, std::uint64_t v) {
        family(name, "gauge", help);
        value(name, v);
    }
    void counter(std::string_view name, std::string_view help, std::uint64_t v) {
        family(name, "counter", help);
        value(name, v);
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// A label value as the format wants it: backslash, quote and newline escaped.
std::string label_value(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::vector<std::pair<std::string_view, std::uint64_t>> rejections(const MetricsSample& s) {
    std::vector<std::pair<std::string_view, std::uint64_t>> out;
    // The game port's Rejected, by its reason.
    for (std::size_t i = 0; i < s.game.rejected_by_reason.size(); ++i)
        out.emplace_back(reject_label(static_cast<protocol::RejectReason>(i)), s.game.rejected_by_reason[i]);
    // What the game port's admission dropped before ENet (docs/OPERATIONS.md, "Security: the game port").
    const auto& a = s.game.admission;
    std::uint64_t by_rules = 0;
    for (const auto n : a.dropped) by_rules += n;
    out.emplace_back("hello_rate_limited", a.hellos_rate_limited);
    out.emplace_back("hello_malformed", a.hellos_malformed);
    out.emplace_back("hello_wrong_version", a.hellos_wrong_version);
    out.emplace_back("connect_bad_cookie", a.connects_bad_cookie);
    out.emplace_back("connect_refused", a.connects_refused);
    out.emplace_back("datagram_bad_mac", a.bad_mac);
    out.emplace_back("datagram_rules", by_rules);
    // Admitted peers' packets dropped, and peers kicked.
    out.emplace_back("bad_packet", s.game.bad_packets);
    out.emplace_back("input_flood", s.game.flood_dropped);
    out.emplace_back("spectator_input", s.game.spectator_inputs);
    out.emplace_back("kicked", s.game.kicked);
    // The lobby's refusals and closes.
    const auto& l = s.lobby;
    out.emplace_back("lobby_server_full", l.refused_server_full);
    out.emplace_back("lobby_too_many_connections", l.refused_per_address);
    out.emplace_back("lobby_handshake_evicted", l.handshakes_evicted);
    out.emplace_back("lobby_bad_frame", l.bad_frames);
    out.emplace_back("lobby_timeout", l.timeouts);
    out.emplace_back("lobby_slow_reader", l.slow_readers);
    out.emplace_back("lobby_rate_limited", l.rate_limited);
    out.emplace_back("lobby_wrong_password", l.wrong_passwords);
    return out;
}

} // namespace

std::string render_prometheus(const MetricsSample& s) {
    Writer w;
    w.family("skirmish_build_info", "gauge", "The server's version, as a label; always 1.");
    w.value("skirmish_build_info", std::uint64_t{1}, fmt::format("version=\"{}\"", label_value(kVersion)));
    w.family("skirmish_uptime_seconds", "gauge", "Seconds since the server started.");
    w.value("skirmish_uptime_seconds", s.uptime_seconds);
    w.gauge("skirmish_tick_rate_hz", "Simulation ticks per second the game loop runs at.",
            static_cast<std::uint64_t>(s.tick_rate_hz));

    w.gauge("skirmish_players", "Players in a match on the game port now.", s.game.players);
    w.gauge("skirmish_spectators", "Spectators watching a match on the game port now.", s.game.spectators);
    w.gauge("skirmish_matches", "Matches on the game port now (running, or showing their scoreboard).",
            s.game.matches);
    w.gauge("skirmish_lobby_connections", "Open TCP connections to the lobby now (welcomed or not).",
            s.lobby.connections_open);
    w.gauge("skirmish_lobby_players", "Players welcomed by the lobby now.", s.lobby.players);
    w.gauge("skirmish_rooms", "Lobby rooms now.", s.lobby.rooms);
    w.counter("skirmish_matches_started_total", "Matches the lobby has started.", s.lobby.matches_started);
    w.counter("skirmish_lobby_connections_accepted_total", "TCP connections the lobby has accepted.",
              s.lobby.connections_accepted);

    const TickHistogram& h = s.game.tick_duration;
    w.family("skirmish_tick_duration_seconds", "histogram",
             "Work time of each tick of the game loop (network, step, snapshots, flush), since the server started.");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kTickDurationBucketsSeconds.size(); ++i) {
        cumulative += h.counts[i];
        w.value("skirmish_tick_duration_seconds_bucket", cumulative,
                fmt::format("le=\"{}\"", kTickDurationBucketsSeconds[i]));
    }
    cumulative += h.counts.back();
    w.value("skirmish_tick_duration_seconds_bucket", cumulative, "le=\"+Inf\"");
    w.value("skirmish_tick_duration_seconds_sum", h.sum_seconds);
    w.value("skirmish_tick_duration_seconds_count", h.count);
    w.counter("skirmish_tick_overruns_total", "Ticks whose work took longer than the tick period.", h.overruns);

    w.counter("skirmish_bytes_sent_total", "Bytes the game port sent (UDP payloads, ENet headers included).",
              s.game.host.bytes_sent);
    w.counter("skirmish_bytes_received_total", "Bytes the game port received (UDP payloads, ENet headers included).",
              s.game.host.bytes_received);
    w.counter("skirmish_packets_sent_total", "Datagrams the game port sent.", s.game.host.packets_sent);
    w.counter("skirmish_packets_received_total", "Datagrams the game port received.", s.game.host.packets_received);

    w.family("skirmish_rejections_total", "counter",
             "What the server refused or dropped, by reason (docs/OPERATIONS.md lists the reasons).");
    for (const auto& [reason, n] : rejections(s))
        w.value("skirmish_rejections_total", n, fmt::format("reason=\"{}\"", label_value(reason)));

    if (s.events) {
        w.counter("skirmish_event_log_lines_total", "Lines written to the event log.", s.events->written);
        w.counter("skirmish_event_log_dropped_total",
                  "Events dropped because the event log's queue was full (the disk was slower than the events).",
                  s.events->dropped);
        w.counter("skirmish_event_log_write_errors_total", "Failed writes to the event log.", s.events->write_errors);
    }
    if (s.results) {
        w.counter("skirmish_results_stored_total", "Finished matches stored in the results database.",
                  s.results->written);
        w.counter("skirmish_results_dropped_total",
                  "Finished matches not stored because too many were waiting for the disk.", s.results->dropped);
        w.counter("skirmish_results_errors_total", "Finished matches whose insert into the results database failed.",
                  s.results->errors);
    }
    return w.take();
}

} // namespace skirmish::server
