// tests/fuzz/make_corpus.cpp: skirmish-fuzz-corpus OUTDIR [MAPS_DIR] writes the
// seed corpora (OUTDIR/<harness>/<seed>) with the project's own encoders: every
// message kind, a simulated match's snapshots, sealed tokens, maps, a match
// demo and a view recording. Run once when the wire or a file format changes;
// the small files it writes are committed in tests/fuzz/corpus/. Seeds are deterministic but for the random nonces
// inside sealed tokens.
#include "shared/demo/demo_reader.hpp"
#include "shared/demo/demo_recorder.hpp"
#include "shared/demo/view_format.hpp"
#include "../support/enet_wire.hpp"
#include "shared/net/challenge.hpp"
#include "shared/net/connect_token.hpp"
#include "shared/net/enet_datagram.hpp"
#include "shared/net/game_query.hpp"
#include "shared/net/lobby_framing.hpp"
#include "shared/protocol/control_codec.hpp"
#include "shared/protocol/discovery_codec.hpp"
#include "shared/protocol/input_codec.hpp"
#include "shared/protocol/lobby_codec.hpp"
#include "shared/protocol/map_codec.hpp"
#include "shared/protocol/snapshot_codec.hpp"
#include "shared/protocol/version.hpp"
#include "shared/sim/hash.hpp"
#include "shared/sim/history.hpp"
#include "shared/sim/quantise.hpp"
#include "shared/sim/rules.hpp"
#include "shared/sim/step.hpp"
#include "shared/sim/world.hpp"

#include <cstdio>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace skirmish;
namespace pl = protocol::lobby;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::filesystem::path g_out;
int g_written = 0;

void write_seed(const std::string& harness, const std::string& name, const Bytes& bytes) {
    const auto dir = g_out / harness;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                      static_cast<std::streamsize>(bytes.size()));
    ++g_written;
}

void put_u16(Bytes& out, std::size_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

template <typename T>
void put_le(Bytes& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

sim::Map small_map() {
    sim::Map m;
    m.name = "small";
    m.width = 512;
    m.height = 512;
    m.walls = {{100, 100, 50, 50}, {300, 200, 20, 200}};
    m.spawns = {{30, 30}, {480, 480}, {30, 480}, {480, 30}};
    return m;
}

protocol::MatchResults results() {
    protocol::MatchResults r;
    r.match_id = 12;
    r.room_id = 3;
    r.reason = protocol::MatchEndReason::FragLimit;
    r.duration_s = 181.5f;
    r.scores = {{1, "alice", 20, 3}, {2, "Zoë ✓", 4, 11}, {5, "bot-5", 0, 0}};
    return r;
}

protocol::MatchSettings settings() {
    protocol::MatchSettings s;
    s.map = "courtyard";
    s.max_players = 6;
    s.frag_limit = 15;
    s.time_limit_s = 600;
    s.join_in_progress = false;
    return s;
}

// --- lobby -------------------------------------------------------------------------

std::map<std::string, pl::ClientMessage> client_messages() {
    return {{"hello", pl::Hello{protocol::kProtocolVersion, "alice"}},
            {"hello_password", pl::Hello{protocol::kProtocolVersion, "alice", "friday night"}},
            {"hello_reconnect", pl::Hello{protocol::kProtocolVersion, "alice", "", 12, Bytes(pl::kReconnectSecretBytes, 0x5C)}},
            {"list_rooms", pl::ListRooms{}},
            {"create_room", pl::CreateRoom{"Friday night", settings()}},
            {"create_room_defaults", pl::CreateRoom{"r", protocol::MatchSettings{}}},
            {"join_room", pl::JoinRoom{42}},
            {"join_room_spectator", pl::JoinRoom{42, true}},
            {"leave_room", pl::LeaveRoom{}},
            {"quick_play", pl::QuickPlay{4}},
            {"chat", pl::Chat{"hello, world ✓"}},
            {"chat_controls", pl::Chat{"tab\there"}},
            {"set_ready", pl::SetReady{true}},
            {"start_match", pl::StartMatch{}},
            {"ping", pl::Ping{0xFEDCBA9876543210ULL}},
            {"get_stats", pl::GetStats{0, 10, ""}},
            {"get_stats_name", pl::GetStats{0, 1, "alice"}},
            {"get_recent_matches", pl::GetRecentMatches{20, 5}},
            {"admin_command", pl::AdminCommand{"correct horse", "ban griefer 30m spamming"}},
            {"admin_command_authenticated", pl::AdminCommand{"", "players"}}};
}

std::map<std::string, pl::ServerMessage> server_messages() {
    pl::RoomState room{7, "room", settings(), 1, pl::RoomPhase::InMatch,
                       {{1, "alice", true, true}, {2, "bob", false, false}, {3, "friend", false, true, true}},
                       results()};
    pl::RoomState fresh = room;
    fresh.last_results.reset();
    fresh.phase = pl::RoomPhase::Waiting;
    return {{"welcome", pl::Welcome{9, "LAN party", protocol::kProtocolVersion, {"arena", "courtyard"}, 60, 30, 60}},
            {"welcome_motd", pl::Welcome{9, "LAN party", protocol::kProtocolVersion, {"arena"}, 60, 30, 60,
                                         {"Welcome to the Friday LAN!", "", "Be nice."}}},
            {"error", pl::Error{pl::ErrorCode::RoomFull, "room 7 is full: pick another", pl::MessageKind::JoinRoom}},
            {"room_list", pl::RoomList{{{7, "room", settings(), 2, pl::RoomPhase::Waiting},
                                        {8, "other", protocol::MatchSettings{}, 16, pl::RoomPhase::InMatch, 3}},
                                       2}},
            {"room_state", room},
            {"room_state_fresh", fresh},
            {"left_room", pl::LeftRoom{7}},
            {"chat_message", pl::ChatMessage{7, 1, "alice", "gg"}},
            {"chat_message_server", pl::ChatMessage{7, 0, "", "the match starts in 5 s"}},
            {"match_start", pl::MatchStart{"", 7777, Bytes(net::kConnectTokenBytes, 0xAB), 12, 7, settings(), true}},
            {"match_start_reconnect", pl::MatchStart{"", 7777, Bytes(net::kConnectTokenBytes, 0xAB), 12, 7, settings(),
                                                     false, Bytes(pl::kReconnectSecretBytes, 0x5C)}},
            {"match_start_spectator",
             pl::MatchStart{"", 7777, Bytes(net::kConnectTokenBytes, 0xAB), 12, 7, settings(), true, {}, true}},
            {"error_reconnect_expired", pl::Error{pl::ErrorCode::ReconnectExpired,
                                                  "match 12 is over (or its room is gone): connect without rejoining "
                                                  "and join a room",
                                                  pl::MessageKind::Hello}},
            {"match_ended", pl::MatchEnded{results()}},
            {"pong", pl::Pong{5}},
            {"stats", pl::Stats{true, {{"alice", 1, 12, 7, 140, 60, 900, 410}, {"bob", 2, 9, 2, 75, 98, 1200, 300}}, 14}},
            {"stats_unavailable", pl::Stats{}},
            {"admin_reply", pl::AdminReply{true, "2 players: id, name, address, room, match\n1 alice 10.0.0.2 7 3"}},
            {"admin_reply_refused", pl::AdminReply{false, "wrong admin password"}},
            {"recent_matches",
             pl::RecentMatches{true,
                               {{42, "arena", protocol::MatchEndReason::FragLimit, 1764633600, 95.5f,
                                 {{"alice", 10, 2, 31, 12, true}, {"bob", 2, 10, 40, 6, false}}},
                                {41, "courtyard", protocol::MatchEndReason::ServerShutdown, 1764633000, 12.0f, {}}},
                               57}}};
}

// lobby_framing input: u8 cut count | u16 cuts | u8 cap | stream.
Bytes framing_seed(const std::vector<std::size_t>& cuts, std::uint8_t cap, const Bytes& stream) {
    Bytes out{static_cast<std::uint8_t>(cuts.size())};
    for (auto c : cuts) put_u16(out, c);
    out.push_back(cap);
    out.insert(out.end(), stream.begin(), stream.end());
    return out;
}

void write_lobby() {
    Bytes stream;
    for (const auto& [name, m] : client_messages()) {
        const auto payload = pl::encode_client_message(m);
        write_seed("lobby_client_message", name, payload);
        (void)net::append_frame(stream, payload);
    }
    for (const auto& [name, m] : server_messages()) write_seed("lobby_server_message", name, pl::encode_server_message(m));

    write_seed("lobby_framing", "one_piece", framing_seed({}, 0, stream));
    write_seed("lobby_framing", "cut_in_headers", framing_seed({1, 3, 5, 30, 31, 200}, 0, stream));
    write_seed("lobby_framing", "byte_by_byte", framing_seed({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 0,
                                                             Bytes(stream.begin(), stream.begin() + 64)));
    Bytes partial = stream;
    partial.resize(partial.size() - 5); // ends mid-frame
    write_seed("lobby_framing", "ends_mid_frame", framing_seed({17, 90}, 0, partial));
    write_seed("lobby_framing", "small_cap", framing_seed({40}, 4, stream)); // cap 64: some frames too long
    Bytes zero = stream;
    zero.resize(40);
    zero.insert(zero.end(), {0, 0, 0, 0, 1, 2, 3});
    write_seed("lobby_framing", "zero_length", framing_seed({2}, 0, zero));
    Bytes huge{0xff, 0xff, 0xff, 0x7f, 1, 2, 3};
    write_seed("lobby_framing", "too_long", framing_seed({}, 0, huge));
}

// --- game port ---------------------------------------------------------------------

void write_control() {
    net::TokenClaims claims{1, 2, 3, "alice", 1'700'000'010'000, 99};
    const net::TokenKey key{};
    write_seed("control_client", "connect",
               protocol::encode_control(protocol::ClientControl{
                   protocol::ConnectRequest{protocol::kProtocolVersion,
                                            net::seal_token(claims, key, protocol::kProtocolVersion)}}));
    write_seed("control_client", "leave", protocol::encode_control(protocol::ClientControl{protocol::LeaveRequest{}}));

    protocol::Accepted accepted;
    accepted.player_id = 7;
    accepted.match_id = 3;
    accepted.server_tick = 999;
    accepted.tick_rate_hz = 60;
    accepted.snapshot_rate_hz = 30;
    accepted.settings = settings();
    accepted.map = small_map();
    const std::map<std::string, protocol::ServerControl> messages = {
        {"accepted", accepted},
        {"rejected", protocol::Rejected{protocol::RejectReason::TokenReused, "that token was already used"}},
        {"player_joined", protocol::PlayerJoined{5, "bot-5"}},
        {"player_joined_spectator", protocol::PlayerJoined{6, "friend", true}},
        {"player_left", protocol::PlayerLeft{5, protocol::LeaveReason::TimedOut}},
        {"kill", protocol::KillFeed{100, 1, 2}},
        {"match_over", protocol::MatchOver{5000, results()}},
        {"server_stats", protocol::ServerStats{60, 0.1f, 0.4f, 1.5f, 2, 256, 32, 0.12f, 0.5f, 2.5f, 3600,
                                               {{7, 42}, {9, 65535}}, {3540, 2, 12, 1, 0, 900}}},
        {"server_shutdown", protocol::ServerShutdown{"server is shutting down"}},
        {"shot_judged", protocol::ShotJudged{100, 2, {250.5f, 130.0f}, 6, true}}};
    for (const auto& [name, m] : messages) write_seed("control_server", name, protocol::encode_control(m));
    accepted.spectator = true;
    write_seed("control_server", "accepted_spectator", protocol::encode_control(protocol::ServerControl{accepted}));
}

void write_inputs() {
    protocol::InputPacket one{0, {{5, sim::PlayerInput{{}, 127, -127, 4095, sim::buttons::kAll, 3, 200}}}};
    write_seed("input_packet", "one", protocol::encode_input_packet(one));
    protocol::InputPacket full{1234, {}};
    for (std::uint32_t i = 0; i < protocol::kMaxInputsPerPacket; ++i) {
        const std::uint32_t tick = 2000 - i;
        full.inputs.push_back({tick, sim::PlayerInput{{}, static_cast<std::int8_t>(i * 8), -3,
                                                      static_cast<std::uint16_t>(i * 250), sim::buttons::kFire,
                                                      tick - 6, static_cast<std::uint8_t>(i * 16)}});
    }
    write_seed("input_packet", "sixteen", protocol::encode_input_packet(full));
    write_seed("input_packet", "ack_only", protocol::encode_input_packet(protocol::InputPacket{1234, {}}));
}

// A match of four players running, turning, firing and dashing, so snapshots
// carry every kind of field change, deaths and respawns.
std::vector<protocol::SnapshotState> play_match(int ticks) {
    sim::Rules rules;
    sim::World world = sim::make_world(std::make_shared<const sim::Map>(small_map()));
    for (std::uint32_t id : {1u, 2u, 5u, 9u}) sim::add_player(world, sim::PlayerId{id}, rules);
    std::vector<protocol::SnapshotState> states;
    for (int t = 0; t < ticks; ++t) {
        std::vector<sim::PlayerInput> inputs;
        for (const auto& p : world.players) {
            const auto i = sim::to_int(p.id);
            sim::PlayerInput in;
            in.player = p.id;
            in.move_x = static_cast<std::int8_t>((t * 13 + i * 40) % 255 - 127);
            in.move_y = static_cast<std::int8_t>((t * 7 + i * 90) % 255 - 127);
            in.aim = static_cast<std::uint16_t>((t * 97 + i * 1000) % sim::kAimSteps);
            in.buttons = static_cast<std::uint8_t>((t + i) % 3 == 0 ? sim::buttons::kFire : 0) |
                         static_cast<std::uint8_t>((t + i) % 29 == 0 ? sim::buttons::kDash : 0);
            in.view_tick = world.tick;
            inputs.push_back(in);
        }
        sim::step(world, inputs, rules);
        if (t == ticks / 2) sim::add_player(world, sim::PlayerId{14}, rules);
        if (t == ticks * 3 / 4) sim::remove_player(world, sim::PlayerId{2});
        states.push_back(protocol::capture_snapshot(world));
    }
    return states;
}

// snapshot input: u8 tick rate | u16 length of the first | first (full) | second (delta or full).
void write_snapshot_pair(const std::string& name, const protocol::SnapshotState& base,
                         const protocol::SnapshotState& now, bool delta) {
    const int rate = 60;
    protocol::SnapshotHeader h{base.tick, 0, base.tick - 2, 2, base.tick + 3};
    const Bytes first = protocol::encode_snapshot(h, base, nullptr, rate);
    protocol::SnapshotHeader d{now.tick, delta ? base.tick : 0, now.tick - 1, -1, now.tick};
    const Bytes second = protocol::encode_snapshot(d, now, delta ? &base : nullptr, rate);
    Bytes out{static_cast<std::uint8_t>(rate - 10)};
    put_u16(out, first.size());
    out.insert(out.end(), first.begin(), first.end());
    out.insert(out.end(), second.begin(), second.end());
    write_seed("snapshot", name, out);
}

void write_snapshots() {
    const auto states = play_match(120);
    write_snapshot_pair("delta_1_tick", states[10], states[11], true);
    write_snapshot_pair("delta_6_ticks", states[30], states[36], true);
    write_snapshot_pair("delta_join", states[55], states[65], true);
    write_snapshot_pair("delta_leave", states[85], states[95], true);
    write_snapshot_pair("delta_long", states[0], states[119], true);
    write_snapshot_pair("two_full", states[40], states[41], false);
    protocol::SnapshotState over = states[119];
    over.phase = sim::MatchPhase::Over;
    write_snapshot_pair("delta_over", states[118], over, true);
    protocol::SnapshotState empty;
    empty.tick = 7;
    write_snapshot_pair("empty_then_players", empty, states[5], false);
    // Ticks near 2^32, where inputs_held_through once wrapped (issue 10 item 11).
    protocol::SnapshotState late_base = states[100];
    protocol::SnapshotState late_now = states[101];
    late_base.tick = 0xFFFFFFF0u;
    late_now.tick = 0xFFFFFFF1u;
    for (auto& p : late_base.players) p.respawn_tick = p.next_fire_tick = p.next_dash_tick = p.dash_end_tick = 0;
    for (auto& p : late_now.players) p.respawn_tick = p.next_fire_tick = p.next_dash_tick = p.dash_end_tick = 0;
    write_snapshot_pair("ticks_near_2_32", late_base, late_now, true);
}

void write_tokens() {
    // mode 1: format version | nonce | plaintext | now, sealed by the harness.
    const auto plaintext = [](std::uint64_t id, std::uint64_t expires, const std::string& name) {
        Bytes p;
        put_le(p, id);
        put_le(p, expires);
        put_le(p, std::uint32_t{4});
        put_le(p, std::uint32_t{7});
        put_le(p, std::uint32_t{12});
        p.push_back(static_cast<std::uint8_t>(name.size()));
        p.insert(p.end(), name.begin(), name.end());
        p.resize(net::kTokenPlaintextBytes, 0);
        return p;
    };
    const auto sealed = [&](std::uint64_t id, std::uint64_t expires, const std::string& name, std::uint64_t now) {
        Bytes out{1, net::kTokenFormatVersion};
        for (std::size_t i = 0; i < net::kTokenNonceBytes; ++i) out.push_back(static_cast<std::uint8_t>(i * 11));
        const Bytes p = plaintext(id, expires, name);
        out.insert(out.end(), p.begin(), p.end());
        put_le(out, now);
        return out;
    };
    write_seed("connect_token", "sealed_alice", sealed(99, 2'000, "alice", 1'000));
    write_seed("connect_token", "sealed_long_name", sealed(5, 2'000, "Zoë ✓ twenty-four b", 1'000));
    write_seed("connect_token", "sealed_expired", sealed(5, 2'000, "bob", 2'000));
    // mode 0: a real token under another key (the harness's key does not open it).
    net::TokenClaims claims{1, 2, 3, "alice", 1'700'000'010'000, 99};
    Bytes raw{0};
    const auto token = net::seal_token(claims, net::TokenKey{}, protocol::kProtocolVersion);
    raw.insert(raw.end(), token.begin(), token.end());
    write_seed("connect_token", "raw", raw);
    // mode 2: --token-key text.
    const std::string hex = net::token_key_hex(net::TokenKey{1, 2, 3, 0xab, 0xcd, 0xef});
    Bytes key_text{2};
    key_text.insert(key_text.end(), hex.begin(), hex.end());
    write_seed("connect_token", "key_hex", key_text);
}

void write_maps(const std::filesystem::path& maps_dir) {
    write_seed("map_binary", "small", protocol::encode_map(small_map()));
    sim::Map bare = small_map();
    bare.walls.clear();
    write_seed("map_binary", "no_walls", protocol::encode_map(bare));
    const std::string tiny = R"({ "name": "tiny", "width": 512, "height": 512,
  "walls": [ { "x": 200, "y": 200, "w": 100, "h": 20 } ],
  "spawns": [ { "x": 50, "y": 50 }, { "x": 450, "y": 450 } ] })";
    write_seed("map_json", "tiny", Bytes(tiny.begin(), tiny.end()));
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(maps_dir, ec)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const Bytes text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        write_seed("map_json", entry.path().stem().string(), text);
        auto map = protocol::parse_map_json(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                                            entry.path().string(), sim::Rules{}.player_radius);
        if (map) write_seed("map_binary", entry.path().stem().string(), protocol::encode_map(*map));
    }
}

// --- demos and view recordings ------------------------------------------------------

// A recording's record stream as its file holds it decompressed: u8 type, u32 LE length, payload.
Bytes record_stream(const std::filesystem::path& file, std::string_view magic, std::uint16_t version) {
    std::ifstream in(file, std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto reader = demo::RecordReader::from_bytes(bytes, magic, version);
    Bytes out;
    if (!reader) return out;
    while (auto record = reader->next()) {
        out.push_back(record->type);
        put_le(out, static_cast<std::uint32_t>(record->payload.size()));
        out.insert(out.end(), record->payload.begin(), record->payload.end());
    }
    return out;
}

Bytes with_mode(std::uint8_t mode, const Bytes& bytes) {
    Bytes out{mode};
    out.insert(out.end(), bytes.begin(), bytes.end());
    return out;
}

Bytes file_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A match of four recorded by DemoRecorder as a server's Match would: joins,
// inputs of every source, a leave and a rejoin, a State every 20 ticks, the
// end and the scoreboard. Seeds: the file (mode 0) and its records (mode 1).
void write_demo(const std::filesystem::path& tmp) {
    demo::DemoHeader header;
    header.protocol_version = protocol::kProtocolVersion;
    header.rules_version = 1;
    header.server_version = "0.1.0";
    header.match_id = 12;
    header.room_id = 3;
    header.started_unix_ms = 1'700'000'000'000;
    header.snapshot_rate_hz = 30;
    header.settings = settings();
    header.history_ticks = 64;
    header.state_interval_ticks = 20;
    header.map = small_map();
    const auto path = tmp / "match.skdemo";
    auto recorder = demo::DemoRecorder::create(path, header);
    if (!recorder) return;
    sim::World world = sim::make_world(std::make_shared<const sim::Map>(small_map()));
    sim::PositionHistory history(header.history_ticks);
    const auto join = [&](std::uint32_t id, const std::string& name) {
        sim::add_player(world, sim::PlayerId{id}, header.rules);
        (*recorder)->joined({world.tick, id, name, 0, 0});
    };
    for (std::uint32_t id : {1u, 2u, 5u, 9u}) join(id, "p" + std::to_string(id));
    std::vector<demo::RecordedInput> recorded;
    std::vector<sim::PlayerInput> inputs;
    for (int t = 0; t < 90; ++t) {
        if (t == 40) {
            sim::remove_player(world, sim::PlayerId{2});
            (*recorder)->left(world.tick, 2);
        }
        if (t == 60) join(14, "p2");
        recorded.clear();
        inputs.clear();
        for (const auto& p : world.players) {
            const auto i = sim::to_int(p.id);
            demo::RecordedInput r;
            r.input.player = p.id;
            r.source = i == 9 ? demo::InputSource::Missing
                              : (t % 7 == 3 ? demo::InputSource::Repeated : demo::InputSource::Applied);
            if (r.source != demo::InputSource::Missing) {
                r.input.move_x = static_cast<std::int8_t>((t * 13 + i * 40) % 255 - 127);
                r.input.move_y = static_cast<std::int8_t>((t * 7 + i * 90) % 255 - 127);
                r.input.aim = static_cast<std::uint16_t>((t * 97 + i * 1000) % sim::kAimSteps);
                r.input.buttons = (t + i) % 3 == 0 ? sim::buttons::kFire : 0;
                r.input.view_tick = world.tick > 4 ? world.tick - 4 : 0;
                r.input.view_fraction = static_cast<std::uint8_t>(t * 37);
            }
            recorded.push_back(r);
            inputs.push_back(r.input);
        }
        const sim::Tick tick = world.tick;
        sim::step(world, inputs, header.rules, &history);
        (*recorder)->stepped(tick, recorded, world);
    }
    world.phase = sim::MatchPhase::Over;
    (*recorder)->ended(world, protocol::MatchEndReason::ServerShutdown, false);
    protocol::MatchResults r = results();
    r.reason = protocol::MatchEndReason::ServerShutdown;
    (*recorder)->finish(r, world.tick);
    recorder->reset();

    const Bytes file = file_bytes(path);
    const Bytes records = record_stream(path, demo::kDemoMagic, demo::kDemoFormatVersion);
    write_seed("demo_file", "match_file", with_mode(0, file));
    write_seed("demo_file", "match_file_cut", with_mode(0, Bytes(file.begin(), file.begin() + file.size() * 2 / 3)));
    write_seed("demo_file", "match_records", with_mode(1, records));
    write_seed("demo_file", "match_records_cut",
               with_mode(1, Bytes(records.begin(), records.begin() + records.size() / 2)));
}

// What a client saw of the match above: snapshots, inputs with predictions
// and a shot, frames, the end.
void write_view(const std::filesystem::path& tmp) {
    demo::ViewHeader header{protocol::kProtocolVersion, 1, "0.1.0", 12, 5, "p5", 60, 30, "small", 1'700'000'000'000};
    const auto path = tmp / "view.skview";
    auto recorder = demo::ViewRecorder::create(path, header);
    if (!recorder) return;
    const auto states = play_match(40);
    for (std::size_t i = 0; i < states.size(); i += 2) {
        const std::uint64_t us = 16'667 * i;
        protocol::SnapshotHeader h{states[i].tick, i > 2 ? states[i - 2].tick : 0, states[i].tick - 2, 2,
                                   states[i].tick + 1};
        (*recorder)->record(demo::ViewSnapshot{us, h, states[i]});
        demo::ViewInput input;
        input.time_us = us + 100;
        input.tick = states[i].tick + 3;
        input.input = sim::PlayerInput{sim::PlayerId{5}, 127, -40, static_cast<std::uint16_t>(i * 50),
                                       sim::buttons::kFire, states[i].tick - 4, static_cast<std::uint8_t>(i * 9)};
        input.predicted = states[i].players.front();
        input.shot = i % 8 == 0;
        if (input.shot) input.targets = {{1, {10.5f, 20.25f}, true}, {9, {400, 300}, false}};
        (*recorder)->record(input);
        demo::ViewFrame frame{us + 200, states[i].tick + 0.5, states[i].tick - 3.25, {}};
        for (const auto& p : states[i].players) frame.players.push_back({sim::to_int(p.id), p.position, p.alive, sim::to_int(p.id) == 5});
        (*recorder)->record(frame);
    }
    (*recorder)->finish(demo::ViewEnd{1'000'000, protocol::MatchEndReason::TimeLimit, "the match is over"});
    recorder->reset();
    const Bytes file = file_bytes(path);
    write_seed("view_file", "view_file", with_mode(0, file));
    write_seed("view_file", "view_file_cut", with_mode(0, Bytes(file.begin(), file.begin() + file.size() / 2)));
    write_seed("view_file", "view_records", with_mode(1, record_stream(path, demo::kViewMagic, demo::kViewFormatVersion)));
}

void write_recordings() {
    const auto tmp = std::filesystem::temp_directory_path() / ("skirmish-fuzz-corpus-" + std::to_string(::getpid()));
    std::filesystem::remove_all(tmp);
    std::filesystem::create_directories(tmp);
    write_demo(tmp);
    write_view(tmp);
    std::filesystem::remove_all(tmp);
}

// admission input: u8 peer flags (bit 0 admitted) | u16 LE incoming reliable of
// channels 0 and 1 | a datagram as it reaches the game port.
void write_admission() {
    using test::EnetDatagram;
    const auto seed = [](const std::string& name, bool admitted, std::uint16_t channel1, const Bytes& datagram) {
        Bytes out{static_cast<std::uint8_t>(admitted ? 1 : 0), 0, 0};
        put_u16(out, channel1);
        out.insert(out.end(), datagram.begin(), datagram.end());
        write_seed("admission", name, out);
    };
    net::Hello hello{protocol::kProtocolVersion, {1, 2, 3, 4, 5, 6, 7, 8}};
    const auto h = net::encode_hello(hello);
    seed("hello", false, 0, Bytes(h.begin(), h.end()));
    net::Challenge challenge{hello.nonce, 0xa1b2c3d4, {}, 30};
    const auto c = net::encode_challenge(challenge);
    seed("challenge", false, 0, Bytes(c.begin(), c.end()));
    net::SessionKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
    EnetDatagram::Connect connect;
    connect.connect_id = 0x01020304;
    connect.data = 0xa1b2c3d4;
    seed("connect", false, 0, EnetDatagram(net::kNoPeerId).connect(1, connect).sealed(0, net::SessionKey{}));
    seed("connect_and_ping", false, 0,
         EnetDatagram(net::kNoPeerId).connect(1, connect).ping(2).sealed(0, net::SessionKey{}));
    protocol::InputPacket input;
    input.ack_snapshot_tick = 9;
    input.inputs.push_back({});
    seed("input", true, 1,
         EnetDatagram(3, 1).send_unreliable(0, 0, 17, protocol::encode_input_packet(input)).sealed(7, key));
    const Bytes token(94, 0x33);
    seed("connect_message", false, 0,
         EnetDatagram(3, 1)
             .send_reliable(1, 1, protocol::encode_control(protocol::ClientControl{
                                      protocol::ConnectRequest{protocol::kProtocolVersion, token}}))
             .sealed(7, key));
    EnetDatagram::Fragment fragment;
    fragment.start_sequence = 2;
    fragment.count = 3;
    fragment.number = 1;
    fragment.total_length = 1200;
    fragment.offset = 500;
    const Bytes chunk(500, 0x44);
    seed("fragment", true, 1, EnetDatagram(3, 1).send_fragment(1, 3, fragment, chunk).sealed(7, key));
    seed("fragment_before_token", false, 1, EnetDatagram(3, 1).send_fragment(1, 3, fragment, chunk).sealed(7, key));
    fragment.count = 1'000'000;
    seed("fragment_million", true, 1, EnetDatagram(3, 1).send_fragment(1, 3, fragment, Bytes(16, 0)).sealed(7, key));
    seed("bandwidth_throttle", true, 1,
         EnetDatagram(3, 1).bandwidth_limit(4, 1, 1).throttle_configure(5, 5000, 32, 32).sealed(7, key));
    seed("acks_ping_disconnect", true, 1,
         EnetDatagram(3, 1, std::nullopt).ack(1, 4, 0x1234).ping(6).disconnect(7, 0).sealed(7, key));
    Bytes compressed = EnetDatagram(3, 1).ping(6).sealed(7, key);
    compressed[0] |= 0x40;
    seed("compressed", true, 1, compressed);
}

// LAN discovery and the game port's query: probes (as the discovery port
// reads them), answers and query replies (as a client reads them), queries
// (as the game port reads them).
void write_discovery() {
    namespace pd = protocol::discovery;
    const pd::Probe probe{protocol::kProtocolVersion, 0x0102030405060708ull};
    write_seed("discovery_probe", "probe_1200", pd::encode_probe(probe));
    write_seed("discovery_probe", "probe_512", pd::encode_probe(probe, pd::kMinProbeBytes));
    Bytes dirty = pd::encode_probe(probe, pd::kMinProbeBytes);
    dirty[dirty.size() / 2] = 1; // a padding byte that is not zero
    write_seed("discovery_probe", "probe_dirty_padding", dirty);

    pd::ServerInfo info;
    info.name = "Friday LAN";
    info.port = 7777;
    info.protocol_version = protocol::kProtocolVersion;
    info.maps = {"arena", "courtyard"};
    info.map_count = 2;
    info.players = 5;
    info.max_players = 1000;
    info.rooms = 2;
    info.matches = 1;
    info.tick_rate_hz = 60;
    info.password = true;
    write_seed("discovery_reply", "answer", pd::encode_answer({probe.nonce, info, 0x1122334455667788ull}, 1200));
    pd::ServerInfo crowded = info;
    crowded.address = "192.168.1.20";
    crowded.maps.clear();
    for (int i = 0; i < 64; ++i) crowded.maps.push_back("map-number-" + std::to_string(i) + "-with-a-long-name");
    crowded.map_count = 64;
    write_seed("discovery_reply", "answer_maps_cut", pd::encode_answer({1, crowded, 2}, pd::kMinProbeBytes));
    write_seed("discovery_reply", "query_info", net::frame_query_reply(pd::encode_query_reply({3, info}, 1200)));
    pd::PlayerList list;
    list.total = 3;
    list.first = 1;
    list.players = {{"alice", 5, 2, 130, 24, 7}, {"Zoë ✓", -1, 9, 61, 140, 7}};
    write_seed("discovery_reply", "query_players", net::frame_query_reply(pd::encode_query_reply({4, list}, 1200)));
    write_seed("discovery_reply", "query_players_body", pd::encode_query_reply({4, list}, 1200));

    const net::ClientNonce nonce{1, 2, 3, 4, 5, 6, 7, 8};
    const auto q = net::encode_query({protocol::kProtocolVersion, nonce, 0xa1b2c3d4, net::QueryWhat::Info, 0});
    write_seed("game_query", "info", Bytes(q.begin(), q.end()));
    const auto p = net::encode_query({protocol::kProtocolVersion, nonce, 0xa1b2c3d4, net::QueryWhat::Players, 20});
    write_seed("game_query", "players_from_20", Bytes(p.begin(), p.end()));
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: skirmish-fuzz-corpus OUTDIR [MAPS_DIR]\n"
                             "writes seed inputs for every harness in tests/fuzz to OUTDIR/<harness>/\n");
        return 2;
    }
    g_out = argv[1];
    write_lobby();
    write_control();
    write_inputs();
    write_snapshots();
    write_tokens();
    write_admission();
    write_discovery();
    write_maps(argc > 2 ? argv[2] : "assets/maps");
    write_recordings();
    std::printf("wrote %d seed files under %s\n", g_written, g_out.string().c_str());
    return 0;
}
