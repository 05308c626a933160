// shared/protocol/discovery_codec.cpp
#include "shared/protocol/discovery_codec.hpp"

#include "shared/protocol/detail/common_fb.hpp"
#include "shared/protocol/text_rules.hpp"
#include "shared/sim/rules.hpp"

#include "schemas/discovery_generated.h"

#include <algorithm>
#include <cstddef>
#include <string>

namespace skirmish::protocol::discovery {

namespace fb = Skirmish::Discovery;

namespace {

constexpr std::size_t kMaxPagePlayers = 64; // players tried in one reply before trimming

using Bytes = std::vector<std::uint8_t>;

template <typename T>
Bytes finish(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::Offset<T> root, std::string_view identifier) {
    fbb.Finish(root, identifier.data());
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

flatbuffers::Offset<fb::ServerInfo> write_info(flatbuffers::FlatBufferBuilder& fbb, const ServerInfo& info,
                                               std::size_t maps) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> names;
    for (std::size_t i = 0; i < std::min(maps, info.maps.size()); ++i) names.push_back(fbb.CreateString(info.maps[i]));
    const auto name = fbb.CreateString(info.name);
    const auto address = fbb.CreateString(info.address);
    const auto map_vector = fbb.CreateVector(names);
    return fb::CreateServerInfo(fbb, name, address, info.port, info.protocol_version, map_vector, info.map_count,
                                info.players, info.max_players, info.rooms, info.matches, info.tick_rate_hz,
                                info.password);
}

bool read_text(const flatbuffers::String* s, const TextRule& rule, std::string& out) {
    out = detail::read_string(s);
    return is_valid_text(out, rule);
}

bool read_info(const fb::ServerInfo* in, ServerInfo& out) {
    if (!in) return false;
    if (!read_text(in->name(), free_text(kMaxServerNameBytes), out.name)) return false;
    if (!read_text(in->address(), free_text(kMaxAddressBytes), out.address)) return false;
    out.port = in->port();
    out.protocol_version = in->protocol_version();
    out.map_count = in->map_count();
    if (out.map_count > kMaxMaps) return false;
    if (const auto* maps = in->maps()) {
        if (maps->size() > out.map_count) return false;
        for (const auto* m : *maps) {
            std::string name;
            if (!read_text(m, kMapNameText, name)) return false;
            out.maps.push_back(std::move(name));
        }
    }
    out.players = in->players();
    out.max_players = in->max_players();
    out.rooms = in->rooms();
    out.matches = in->matches();
    out.tick_rate_hz = in->tick_rate_hz();
    if (out.tick_rate_hz < sim::kMinTickRateHz || out.tick_rate_hz > sim::kMaxTickRateHz) return false;
    out.password = in->password();
    return true;
}

// FlatBuffers reads its fields in place, aligned: bytes that start at an odd
// address (a query reply's body follows a 5-byte header) are copied first.
class Aligned {
public:
    explicit Aligned(std::span<const std::uint8_t> bytes) : bytes_(bytes) {
        if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(std::max_align_t) != 0) {
            copy_.assign(bytes.begin(), bytes.end());
            bytes_ = copy_;
        }
    }
    std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }

private:
    std::span<const std::uint8_t> bytes_;
    std::vector<std::uint8_t> copy_;
};

template <typename T>
const T* open(std::span<const std::uint8_t> bytes, std::string_view identifier, std::size_t min_bytes,
              std::size_t max_bytes, DecodeError& error) {
    if (bytes.size() < min_bytes) {
        error = DecodeError::TooShort;
        return nullptr;
    }
    if (bytes.size() > max_bytes) {
        error = DecodeError::TooLong;
        return nullptr;
    }
    flatbuffers::Verifier verifier(bytes.data(), bytes.size(), kVerifierMaxDepth, kVerifierMaxTables);
    if (!verifier.VerifyBuffer<T>(identifier.data())) {
        error = DecodeError::NotVerified;
        return nullptr;
    }
    return flatbuffers::GetRoot<T>(bytes.data());
}

// The largest n in 0..most whose build(n) fits in `limit`, built: a binary
// search (a buffer only grows with n), so at most 8 builds for 64 entries.
// Empty if not even build(0) fits.
template <typename Build>
Bytes largest_fitting(std::size_t most, std::size_t limit, Build&& build, std::size_t* chosen = nullptr) {
    Bytes best;
    std::size_t low = 0, high = most + 1; // build(low - 1) fits (or low == 0); build(high) does not
    for (int step = 0; step < 16 && low < high; ++step) {
        const std::size_t mid = low + (high - low) / 2;
        Bytes out = build(mid);
        if (out.size() <= limit) {
            best = std::move(out);
            if (chosen) *chosen = mid;
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    return best;
}

Bytes build_probe(const Probe& probe, std::size_t padding) {
    flatbuffers::FlatBufferBuilder fbb(kMaxProbeBytes);
    const std::vector<std::uint8_t> zeros(padding, 0);
    const auto pad = fbb.CreateVector(zeros);
    return finish(fbb, fb::CreateProbe(fbb, probe.protocol_version, probe.nonce, pad), kProbeIdentifier);
}

} // namespace

std::string check_info(const ServerInfo& info) {
    if (!is_valid_text(info.name, free_text(kMaxServerNameBytes))) return "the server name breaks the text rules";
    if (!is_valid_text(info.address, free_text(kMaxAddressBytes))) return "the address breaks the text rules";
    if (info.maps.size() > kMaxMaps || info.map_count > kMaxMaps || info.maps.size() > info.map_count)
        return "too many maps";
    for (const auto& m : info.maps) {
        if (!is_valid_text(m, kMapNameText)) return "a map name breaks the text rules";
    }
    if (info.tick_rate_hz < sim::kMinTickRateHz || info.tick_rate_hz > sim::kMaxTickRateHz)
        return "the tick rate is out of range";
    return {};
}

Bytes encode_probe(const Probe& probe, std::size_t size) {
    // The buffer grows with the padding byte for byte once past alignment:
    // measure once, then aim; a few tries settle any rounding.
    std::size_t padding = 0;
    Bytes out = build_probe(probe, padding);
    for (int attempt = 0; attempt < 4 && out.size() != size; ++attempt) {
        const auto diff = static_cast<std::ptrdiff_t>(size) - static_cast<std::ptrdiff_t>(out.size());
        padding = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, static_cast<std::ptrdiff_t>(padding) + diff));
        out = build_probe(probe, padding);
    }
    return out;
}

util::Result<Probe, DecodeError> decode_probe(std::span<const std::uint8_t> bytes) {
    DecodeError error{};
    const Aligned aligned(bytes);
    const auto* p = open<fb::Probe>(aligned.bytes(), kProbeIdentifier, kMinProbeBytes, kMaxProbeBytes, error);
    if (!p) return util::fail(error);
    if (const auto* pad = p->padding()) {
        if (!std::all_of(pad->begin(), pad->end(), [](std::uint8_t b) { return b == 0; }))
            return util::fail(DecodeError::BadField);
    }
    return Probe{p->protocol_version(), p->nonce()};
}

Bytes encode_answer(const Answer& answer, std::size_t limit) {
    return largest_fitting(answer.info.maps.size(), limit, [&](std::size_t maps) {
        flatbuffers::FlatBufferBuilder fbb(1024);
        const auto info = write_info(fbb, answer.info, maps);
        return finish(fbb, fb::CreateAnswer(fbb, answer.nonce, info, answer.instance), kAnswerIdentifier);
    });
}

util::Result<Answer, DecodeError> decode_answer(std::span<const std::uint8_t> bytes) {
    DecodeError error{};
    const Aligned aligned(bytes);
    const auto* a = open<fb::Answer>(aligned.bytes(), kAnswerIdentifier, 12, kMaxProbeBytes, error);
    if (!a) return util::fail(error);
    Answer out;
    out.nonce = a->nonce();
    out.instance = a->instance();
    if (!read_info(a->info(), out.info)) return util::fail(DecodeError::BadField);
    return out;
}

Bytes encode_query_reply(const QueryReply& reply, std::size_t limit, std::size_t* sent) {
    if (const auto* info = std::get_if<ServerInfo>(&reply.body)) {
        return largest_fitting(info->maps.size(), limit, [&](std::size_t maps) {
            flatbuffers::FlatBufferBuilder fbb(1024);
            const auto body = write_info(fbb, *info, maps);
            return finish(fbb, fb::CreateQueryReply(fbb, reply.nonce, fb::QueryBody::ServerInfo, body.Union()),
                          kQueryReplyIdentifier);
        });
    }
    const auto& list = std::get<PlayerList>(reply.body);
    std::size_t count = 0;
    Bytes out = largest_fitting(std::min(list.players.size(), kMaxPagePlayers), limit, [&](std::size_t n) {
        flatbuffers::FlatBufferBuilder fbb(1024);
        std::vector<flatbuffers::Offset<fb::QueryPlayer>> players;
        for (std::size_t i = 0; i < n; ++i) {
            const QueryPlayer& p = list.players[i];
            players.push_back(fb::CreateQueryPlayer(fbb, fbb.CreateString(p.name), p.frags, p.deaths, p.time_s,
                                                    p.ping_ms, p.match_id));
        }
        const auto vec = fbb.CreateVector(players);
        const auto body = fb::CreatePlayerList(fbb, list.total, list.first, vec);
        return finish(fbb, fb::CreateQueryReply(fbb, reply.nonce, fb::QueryBody::PlayerList, body.Union()),
                      kQueryReplyIdentifier);
    }, &count);
    if (sent && !out.empty()) *sent = count;
    return out;
}

util::Result<QueryReply, DecodeError> decode_query_reply(std::span<const std::uint8_t> bytes) {
    DecodeError error{};
    const Aligned aligned(bytes);
    const auto* r = open<fb::QueryReply>(aligned.bytes(), kQueryReplyIdentifier, 12, kMaxQueryReplyBytes, error);
    if (!r) return util::fail(error);
    QueryReply out;
    out.nonce = r->nonce();
    switch (r->body_type()) {
    case fb::QueryBody::ServerInfo: {
        ServerInfo info;
        if (!read_info(r->body_as_ServerInfo(), info)) return util::fail(DecodeError::BadField);
        out.body = std::move(info);
        return out;
    }
    case fb::QueryBody::PlayerList: {
        const auto* in = r->body_as_PlayerList();
        if (!in) return util::fail(DecodeError::BadField); // the tag without its table
        PlayerList list;
        list.total = in->total();
        list.first = in->first();
        if (list.first > list.total) return util::fail(DecodeError::BadField);
        if (const auto* players = in->players()) {
            if (players->size() > kMaxPagePlayers || list.first + players->size() > list.total)
                return util::fail(DecodeError::BadField);
            for (const auto* p : *players) {
                if (!p) return util::fail(DecodeError::BadField);
                QueryPlayer q;
                if (!read_text(p->name(), kPlayerNameText, q.name)) return util::fail(DecodeError::BadField);
                q.frags = p->frags();
                q.deaths = p->deaths();
                q.time_s = p->time_s();
                q.ping_ms = p->ping_ms();
                q.match_id = p->match_id();
                list.players.push_back(std::move(q));
            }
        }
        out.body = std::move(list);
        return out;
    }
    default: return util::fail(DecodeError::UnknownMessage);
    }
}

} // namespace skirmish::protocol::discovery
