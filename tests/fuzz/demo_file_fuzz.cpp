// tests/fuzz/demo_file_fuzz.cpp: a match demo (.skdemo) as skirmish-replay
// reads one: the container (prefix, zstd frames, records), the header, every
// event through DemoCodec, then a re-simulation of what decoded (at most
// kMaxSteps steps, so one input stays quick). zstd's own checks stop most
// mutations of compressed bytes, so in mode 1 the harness compresses the
// input's record stream into a valid container itself and the mutations
// reach the records.
//
//   input: u8 mode (% 3) | mode 0: the file's bytes as they are
//                        | mode 1: the decompressed records (u8 type, u32 LE length, payload)...
//                        | mode 2: the same, in a container of format 1 (docs/DEMO.md, "Format 1")
//
// Round trip: the header and every event the reader hands out, encoded in
// order by a fresh codec, decode with another and encode again to the same bytes.
#include "fuzz_support.hpp"

#include "shared/demo/demo_reader.hpp"
#include "shared/demo/replay.hpp"

#include <zstd.h>

#include <algorithm>
#include <vector>

using namespace skirmish;

namespace {

constexpr std::uint64_t kMaxSteps = 2000;

std::vector<std::uint8_t> contain(fuzz::Bytes records, std::uint16_t format) {
    std::vector<std::uint8_t> file(demo::kDemoMagic.begin(), demo::kDemoMagic.end());
    file.push_back(static_cast<std::uint8_t>(format));
    file.push_back(static_cast<std::uint8_t>(format >> 8));
    const std::size_t prefix = file.size();
    file.resize(prefix + ZSTD_compressBound(records.size()));
    const std::size_t n = ZSTD_compress(file.data() + prefix, file.size() - prefix, records.data(), records.size(), 1);
    SKIRMISH_FUZZ_CHECK(!ZSTD_isError(n));
    file.resize(prefix + n);
    return file;
}

// The event as `writer` encodes it must decode with `reader` and encode with
// `again` (a third codec, kept in step) to the same type and bytes.
void check_round_trip(const demo::DemoEvent& event, demo::DemoCodec& writer, demo::DemoCodec& reader,
                      demo::DemoCodec& again) {
    demo::ByteWriter first, second;
    const demo::DemoRecordType type = writer.encode(event, first);
    auto decoded = reader.decode(static_cast<std::uint8_t>(type), first.bytes());
    SKIRMISH_FUZZ_CHECK(decoded.has_value());
    SKIRMISH_FUZZ_CHECK(again.encode(*decoded, second) == type);
    SKIRMISH_FUZZ_CHECK(second.bytes() == first.bytes());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const fuzz::Bytes rest(data + 1, size - 1);
    const int mode = data[0] % 3;
    std::vector<std::uint8_t> file = mode == 0 ? std::vector<std::uint8_t>(rest.begin(), rest.end())
                                               : contain(rest, mode == 1 ? demo::kDemoFormatVersion : 1);
    auto reader = demo::DemoReader::from_bytes(std::move(file));
    if (!reader) {
        SKIRMISH_FUZZ_CHECK(!reader.error().empty());
        return 0;
    }

    const demo::DemoHeader& header = reader->header();
    const std::vector<std::uint8_t> header_bytes = demo::encode_header(header);
    auto header_again = demo::decode_header(header_bytes);
    SKIRMISH_FUZZ_CHECK(header_again.has_value());
    SKIRMISH_FUZZ_CHECK(demo::encode_header(*header_again) == header_bytes);

    demo::Replay replay(header);
    demo::DemoCodec writer, decoder, again;
    bool scoreboard = false;
    while (auto event = reader->next()) {
        SKIRMISH_FUZZ_CHECK(!scoreboard); // the scoreboard is the last event
        scoreboard = std::holds_alternative<demo::Scoreboard>(*event);
        check_round_trip(*event, writer, decoder, again);
        if (replay.steps() < kMaxSteps) (void)replay.apply(*event);
    }
    (void)replay.unresolved();
    SKIRMISH_FUZZ_CHECK(!reader->ending_text().empty());
    if (reader->ending() == demo::Ending::Complete) SKIRMISH_FUZZ_CHECK(scoreboard);
    SKIRMISH_FUZZ_CHECK(!reader->next().has_value()); // the end stays the end
    return 0;
}
