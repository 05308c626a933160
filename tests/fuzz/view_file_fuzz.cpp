// tests/fuzz/view_file_fuzz.cpp: a view recording (.skview, what skirmish-bots
// --record-view-dir writes) as ViewReader reads one: the container, the
// header, every snapshot, input, frame and end record. As for demos
// (demo_file_fuzz.cpp), mode 1 compresses the input's record stream into a
// valid container so the mutations reach the records.
//
//   input: u8 mode (% 3) | mode 0: the file's bytes as they are
//                        | mode 1: the decompressed records (u8 type, u32 LE length, payload)...
//                        | mode 2: the same, in a container of format 1 (docs/DEMO.md, "Format 1")
//
// Round trip: the header and every event the reader hands out encode to bytes
// that decode and encode again to the same bytes.
#include "fuzz_support.hpp"

#include "shared/demo/view_format.hpp"

#include <zstd.h>

#include <vector>

using namespace skirmish;

namespace {

std::vector<std::uint8_t> contain(fuzz::Bytes records, std::uint16_t format) {
    std::vector<std::uint8_t> file(demo::kViewMagic.begin(), demo::kViewMagic.end());
    file.push_back(static_cast<std::uint8_t>(format));
    file.push_back(static_cast<std::uint8_t>(format >> 8));
    const std::size_t prefix = file.size();
    file.resize(prefix + ZSTD_compressBound(records.size()));
    const std::size_t n = ZSTD_compress(file.data() + prefix, file.size() - prefix, records.data(), records.size(), 1);
    SKIRMISH_FUZZ_CHECK(!ZSTD_isError(n));
    file.resize(prefix + n);
    return file;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const fuzz::Bytes rest(data + 1, size - 1);
    const int mode = data[0] % 3;
    std::vector<std::uint8_t> file = mode == 0 ? std::vector<std::uint8_t>(rest.begin(), rest.end())
                                               : contain(rest, mode == 1 ? demo::kViewFormatVersion : 1);
    auto reader = demo::ViewReader::from_bytes(std::move(file));
    if (!reader) {
        SKIRMISH_FUZZ_CHECK(!reader.error().empty());
        return 0;
    }
    const std::vector<std::uint8_t> header_bytes = demo::encode_view_header(reader->header());
    auto header_again = demo::decode_view_header(header_bytes);
    SKIRMISH_FUZZ_CHECK(header_again.has_value());
    SKIRMISH_FUZZ_CHECK(demo::encode_view_header(*header_again) == header_bytes);

    demo::ByteWriter first, second;
    while (auto event = reader->next()) {
        const demo::ViewRecordType type = demo::encode_view_event(*event, first);
        auto decoded = demo::decode_view_event(static_cast<std::uint8_t>(type), first.bytes());
        SKIRMISH_FUZZ_CHECK(decoded.has_value());
        SKIRMISH_FUZZ_CHECK(demo::encode_view_event(*decoded, second) == type);
        SKIRMISH_FUZZ_CHECK(second.bytes() == first.bytes());
    }
    SKIRMISH_FUZZ_CHECK(!reader->ending_text().empty()); // how it ended, for a person
    SKIRMISH_FUZZ_CHECK(!reader->next().has_value());
    return 0;
}
