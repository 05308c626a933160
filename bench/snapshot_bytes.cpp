// bench/snapshot_bytes.cpp: what a snapshot and an input packet cost on the
// wire, and where every byte goes. Plays matches of bots (the same Brain the
// load-test bots use) in the simulation alone, and encodes every player's
// snapshots as the server would: delta against the previous snapshot (the
// client acks each one on a quick link) and full, with and without ENet's
// range coder; and each bot's inputs as its client would send them, for a few
// numbers of unacknowledged inputs per packet (2 on loopback, about 11 at
// 150 ms) and packet rates (--input-rate).
//
//   build/release/bench/skirmish-snapshot-bytes [--players 8] [--seconds 60] [--seed 1]
#include "client/bots/brain.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/sim/step.hpp"
#include "skirmish/version.hpp"

#include <CLI/CLI.hpp>
#include <enet/enet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <memory>
#include <string_view>

using namespace skirmish;

namespace {

// ENet's unreliable-sequenced command header in front of every snapshot.
constexpr std::size_t kEnetCommandBytes = 8;
// Peer id + flags (no sent time on unreliable-only datagrams) and the 32-bit
// checksum field, which carries the datagram's MAC (docs/PROTOCOL.md).
constexpr std::size_t kEnetPacketHeaderBytes = 2 + 4;

struct Tally {
    double bytes = 0;
    double coded = 0; // after ENet's range coder (what it would send: never larger)
    std::uint64_t count = 0;
    void add(std::size_t raw, std::size_t compressed) {
        bytes += static_cast<double>(raw);
        coded += static_cast<double>(compressed);
        ++count;
    }
    double mean() const { return count ? bytes / static_cast<double>(count) : 0; }
    double mean_coded() const { return count ? coded / static_cast<double>(count) : 0; }
};

std::size_t range_coded(void* coder, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> datagram(kEnetCommandBytes, 0x5a); // stand-in for the command header
    datagram.insert(datagram.end(), payload.begin(), payload.end());
    ENetBuffer in{datagram.data(), datagram.size()};
    std::vector<std::uint8_t> out(datagram.size());
    const std::size_t n = enet_range_coder_compress(coder, &in, 1, datagram.size(), out.data(), out.size());
    // ENet keeps the uncompressed form when compression does not help.
    return (n > 0 && n < datagram.size()) ? n - kEnetCommandBytes : payload.size();
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"skirmish-snapshot-bytes: snapshot sizes and where the bits go, from bot matches in the simulation"};
    app.set_version_flag("--version", std::string("skirmish-snapshot-bytes ") + kVersion);
    int players = 8;
    int seconds = 60;
    std::uint64_t seed = 1;
    std::string map_path = std::string(kSourceDir) + "/assets/maps/arena.json";
    app.add_option("--players", players, "Players in the match")->check(CLI::Range(2, 16))->capture_default_str();
    app.add_option("--seconds", seconds, "Match length")->check(CLI::Range(1, 3600))->capture_default_str();
    app.add_option("--seed", seed, "Bot seed")->capture_default_str();
    app.add_option("--map", map_path, "Map file")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    sim::Rules rules;
    rules.frag_limit = 0;
    rules.time_limit_s = 0;
    auto map = protocol::load_map_file(map_path, rules.player_radius);
    if (!map) {
        fmt::print(stderr, "{}\n", map.error());
        return 2;
    }
    auto shared_map = std::make_shared<const sim::Map>(*map);
    sim::World world = sim::make_world(shared_map);
    sim::PositionHistory history;
    std::vector<bots::Brain> brains;
    for (int i = 0; i < players; ++i) {
        sim::add_player(world, sim::PlayerId{static_cast<std::uint32_t>(1000 + i * 7)}, rules);
        brains.emplace_back(seed * 1000 + static_cast<std::uint64_t>(i));
    }
    void* coder = enet_range_coder_create();
    const int interval = 2;
    Tally delta, full;
    // Input packets: each bot's recent inputs, newest first, as a client keeps them.
    constexpr std::array<std::size_t, 5> kInputsPerPacket = {1, 2, 3, 11, 12};
    std::vector<std::deque<protocol::TickInput>> recent(static_cast<std::size_t>(players));
    std::array<Tally, kInputsPerPacket.size()> input_packets{};
    protocol::StreamStats stats;
    std::optional<protocol::SnapshotState> previous;
    std::vector<sim::PlayerInput> inputs;
    const double dt = 1.0 / rules.tick_rate_hz;
    for (int t = 0; t < seconds * rules.tick_rate_hz; ++t) {
        inputs.clear();
        for (int i = 0; i < players; ++i) {
            client::ClientView view;
            view.map = shared_map;
            view.rules = rules;
            for (const auto& p : world.players) {
                client::ViewPlayer vp;
                vp.id = p.id;
                vp.local = p.id == world.players[static_cast<std::size_t>(i)].id;
                vp.state = p;
                view.players.push_back(vp);
            }
            const client::InputIntent intent = brains[static_cast<std::size_t>(i)].think(view, dt);
            sim::PlayerInput in{world.players[static_cast<std::size_t>(i)].id};
            in.move_x = intent.move_x;
            in.move_y = intent.move_y;
            in.aim = intent.aim;
            in.buttons = static_cast<std::uint8_t>((intent.fire ? sim::buttons::kFire : 0) | (intent.dash ? sim::buttons::kDash : 0));
            // About what an interpolating client sees: 6 ticks back, its view
            // clock drifting 3/256 of a tick a tick against the input clock.
            in.view_tick = world.tick > 6 ? world.tick - 6 : 0;
            in.view_fraction = static_cast<std::uint8_t>((t * 3) % 256);
            inputs.push_back(in);
            auto& mine = recent[static_cast<std::size_t>(i)];
            mine.push_front({world.tick, in});
            if (mine.size() > protocol::kMaxInputsPerPacket) mine.pop_back();
            for (std::size_t k = 0; k < kInputsPerPacket.size(); ++k) {
                if (mine.size() < kInputsPerPacket[k]) continue;
                protocol::InputPacket packet{world.tick > 8 ? world.tick - 8 : 0, {}};
                packet.inputs.assign(mine.begin(), mine.begin() + static_cast<std::ptrdiff_t>(kInputsPerPacket[k]));
                input_packets[k].add(protocol::encode_input_packet(packet).size(), 0);
            }
        }
        sim::step(world, inputs, rules, &history);
        if (world.tick % interval != 0) continue;
        const protocol::SnapshotState now = protocol::capture_snapshot(world);
        protocol::SnapshotHeader header{now.tick, previous ? previous->tick : 0, now.tick - 1, 3, now.tick + 2};
        const auto d = protocol::wrap_snapshot(header, protocol::encode_entity_stream(now, previous ? &*previous : nullptr,
                                                                                       rules.tick_rate_hz, &stats));
        header.baseline_tick = 0;
        const auto f = protocol::encode_snapshot(header, now, nullptr, rules.tick_rate_hz);
        // Every player gets the same bytes apart from the small header; count one per player.
        for (int i = 0; i < players; ++i) {
            delta.add(d.size(), range_coded(coder, d));
            full.add(f.size(), range_coded(coder, f));
        }
        previous = now;
    }
    enet_range_coder_destroy(coder);

    const double rate = static_cast<double>(rules.tick_rate_hz) / interval;
    const auto per_s = [&](double bytes) { return (bytes + kEnetCommandBytes + kEnetPacketHeaderBytes) * rate; };
    fmt::print("{} players, {} s at {} Hz, a snapshot every {} ticks ({:.0f} Hz), arena {}\n\n", players, seconds,
               rules.tick_rate_hz, interval, rate, map->name);
    fmt::print("{:<34}{:>12}{:>16}{:>20}\n", "", "bytes", "range-coded", "B/s per client*");
    fmt::print("{:<34}{:>12.1f}{:>16.1f}{:>11.0f} / {:.0f}\n", "delta snapshot (frame)", delta.mean(),
               delta.mean_coded(), per_s(delta.mean()), per_s(delta.mean_coded()));
    fmt::print("{:<34}{:>12.1f}{:>16.1f}{:>11.0f} / {:.0f}\n", "full snapshot (frame)", full.mean(),
               full.mean_coded(), per_s(full.mean()), per_s(full.mean_coded()));
    fmt::print("{:<34}{:>12.2f}\n\n", "full / delta", full.mean() / delta.mean());
    fmt::print("* snapshots only, with ENet's {} + {} header bytes, plain / range-coded\n\n", kEnetPacketHeaderBytes,
               kEnetCommandBytes);
    fmt::print("entity stream of the delta snapshots: {:.1f} bytes on average, {:.1f} entities written\n",
               static_cast<double>(stats.total_bits) / 8.0 / static_cast<double>(stats.streams),
               static_cast<double>(stats.entities_written) / static_cast<double>(stats.streams));
    fmt::print("{:<18}{:>14}{:>16}{:>18}\n", "field", "changes/snap", "bits/change", "bits/snapshot");
    for (std::size_t f = 0; f < protocol::StreamStats::kFields; ++f) {
        const double changes = static_cast<double>(stats.field_changes[f]) / static_cast<double>(stats.streams);
        fmt::print("{:<18}{:>14.2f}{:>16.1f}{:>18.1f}\n", protocol::field_name(f), changes,
                   stats.field_changes[f] ? static_cast<double>(stats.field_bits[f]) / static_cast<double>(stats.field_changes[f]) : 0.0,
                   static_cast<double>(stats.field_bits[f]) / static_cast<double>(stats.streams));
    }
    fmt::print("{:<18}{:>48.1f}\n\n", "overhead", static_cast<double>(stats.overhead_bits) / static_cast<double>(stats.streams));

    // Where a delta snapshot datagram's bytes go.
    const double stream_bytes = static_cast<double>(stats.total_bits) / 8.0 / static_cast<double>(stats.streams);
    const double field_bytes = static_cast<double>(stats.total_bits - stats.overhead_bits) / 8.0 /
                               static_cast<double>(stats.streams);
    const double header_bytes = delta.mean() - static_cast<double>(protocol::kSnapshotFrameHeaderBytes) - stream_bytes;
    const double datagram = delta.mean() + kEnetCommandBytes + kEnetPacketHeaderBytes;
    fmt::print("where a delta snapshot datagram's bytes go (mean, plain){:>20}{:>12}\n", "bytes", "B/s");
    const auto row = [&](std::string_view what, double bytes) {
        fmt::print("  {:<68}{:>8.1f}{:>12.0f}\n", what, bytes, bytes * rate);
    };
    row("ENet header: peer id and flags 2, checksum field (the MAC) 4", static_cast<double>(kEnetPacketHeaderBytes));
    row("ENet send-unreliable command: header 4, sequence 2, length 2", static_cast<double>(kEnetCommandBytes));
    row("frame: kind byte, server_tick", static_cast<double>(protocol::kSnapshotFrameHeaderBytes));
    row("snapshot header: baseline age, input tick, lead, held (+ padding)", header_bytes);
    row("entity stream: field values", field_bytes);
    row("entity stream: phase, counts, skips, ids, change bits", stream_bytes - field_bytes);
    row("total", datagram);
    fmt::print("  (control messages on channel 1 come on top: kill feed, ServerStats once a second, ping acks)\n\n");

    // Input packets: bytes per frame and what a client sends a second at each packet rate.
    fmt::print("input packets (frame bytes; B/s with ENet's {} bytes, at 60 and 30 packets/s)\n", kEnetCommandBytes +
               kEnetPacketHeaderBytes);
    const auto enet_bytes = static_cast<double>(kEnetCommandBytes + kEnetPacketHeaderBytes);
    const auto wire = [&](std::size_t n) {
        const auto k = static_cast<std::size_t>(std::find(kInputsPerPacket.begin(), kInputsPerPacket.end(), n) -
                                                kInputsPerPacket.begin());
        return input_packets[k].mean() + enet_bytes;
    };
    fmt::print("  {:<40}{:>16}{:>16}\n", "", "60 packets/s", "30 packets/s");
    struct Case {
        std::string_view what;
        std::size_t inputs; // in a packet at 60/s; one more at 30/s (the tick in between)
    };
    for (const Case c : {Case{"no repeats", 1}, Case{"loopback (1 repeat at 60/s)", 2}, Case{"150 ms RTT (10 repeats)", 11}}) {
        fmt::print("  {:<40}{:>6.1f} B {:>5.0f} B/s{:>6.1f} B {:>5.0f} B/s\n", c.what, wire(c.inputs) - enet_bytes,
                   wire(c.inputs) * 60, wire(c.inputs + 1) - enet_bytes, wire(c.inputs + 1) * 30);
    }
    fmt::print("  (frame bytes, then per second with ENet's {:.0f} bytes; at 30 packets/s a packet carries one input more)\n",
               enet_bytes);
    return 0;
}
