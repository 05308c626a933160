// tests/fuzz/lobby_framing_fuzz.cpp: net::FrameDecoder fed a byte stream cut at
// points taken from the input itself, against a one-pass reading of the whole
// stream; the frames it yields, framed again, give back the stream's bytes.
//
//   input: u8 cut count (≤ 32) | u16 LE cut offsets | u8 cap (0: 64 KiB, else ×16) | stream
#include "fuzz_support.hpp"

#include "shared/net/lobby_framing.hpp"

#include <algorithm>
#include <optional>
#include <vector>

using namespace skirmish;

namespace {

struct Reading {
    std::vector<std::vector<std::uint8_t>> frames;
    std::optional<net::FrameError> error;
    std::size_t consumed = 0;
};

// The whole stream at once, written straight from docs/PROTOCOL.md "Lobby framing".
Reading read_whole(const std::vector<std::uint8_t>& s, std::size_t cap) {
    Reading r;
    std::size_t at = 0;
    while (s.size() - at >= 4) {
        const std::uint32_t n = s[at] | (s[at + 1] << 8) | (s[at + 2] << 16) | (std::uint32_t{s[at + 3]} << 24);
        if (n == 0) r.error = net::FrameError::ZeroLength;
        else if (n > cap) r.error = net::FrameError::TooLong;
        if (r.error || s.size() - at - 4 < n) break;
        r.frames.emplace_back(s.begin() + static_cast<std::ptrdiff_t>(at + 4),
                              s.begin() + static_cast<std::ptrdiff_t>(at + 4 + n));
        at += 4 + n;
    }
    r.consumed = at;
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t cut_count = std::min<std::size_t>(data[0], 32);
    std::size_t at = 1;
    if (size < at + 2 * cut_count + 1) return 0;
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0; i < cut_count; ++i, at += 2) cuts.push_back(data[at] | (data[at + 1] << 8));
    const std::size_t cap = data[at] == 0 ? net::kMaxLobbyFrameBytes : std::size_t{data[at]} * 16;
    ++at;
    const std::vector<std::uint8_t> stream(data + at, data + size);
    for (auto& c : cuts) c = std::min(c, stream.size());
    cuts.push_back(stream.size());
    std::sort(cuts.begin(), cuts.end());

    net::FrameDecoder decoder(cap);
    Reading got;
    std::size_t from = 0;
    for (const std::size_t to : cuts) {
        decoder.feed(std::span(stream.data() + from, to - from));
        from = to;
        for (int guard = 0; guard <= 65536; ++guard) {
            auto next = decoder.next();
            if (!next) {
                got.error = next.error();
                break;
            }
            if (!*next) break;
            got.frames.emplace_back(next->value().begin(), next->value().end());
            SKIRMISH_FUZZ_CHECK(!got.frames.back().empty() && got.frames.back().size() <= cap);
        }
        if (got.error) break;
        // Between reads the decoder holds less than one frame.
        SKIRMISH_FUZZ_CHECK(decoder.buffered_bytes() < net::kLobbyFrameHeaderBytes + cap);
    }

    const Reading want = read_whole(stream, cap);
    SKIRMISH_FUZZ_CHECK(got.frames == want.frames);
    SKIRMISH_FUZZ_CHECK(got.error == want.error);
    SKIRMISH_FUZZ_CHECK(decoder.failed() == want.error.has_value());
    if (want.error) {
        // A failed decoder stays failed.
        decoder.feed(stream);
        auto again = decoder.next();
        SKIRMISH_FUZZ_CHECK(!again && again.error() == *want.error);
    } else {
        SKIRMISH_FUZZ_CHECK(decoder.buffered_bytes() == stream.size() - want.consumed);
        SKIRMISH_FUZZ_CHECK(decoder.mid_frame() == (want.consumed < stream.size()));
    }

    // Framing the payloads again gives back the bytes they came from.
    std::vector<std::uint8_t> reframed;
    for (const auto& frame : got.frames) SKIRMISH_FUZZ_CHECK(net::append_frame(reframed, frame, cap).has_value());
    SKIRMISH_FUZZ_CHECK(std::equal(reframed.begin(), reframed.end(), stream.begin(),
                                   stream.begin() + static_cast<std::ptrdiff_t>(want.consumed)) &&
                        reframed.size() == want.consumed);
    return 0;
}
