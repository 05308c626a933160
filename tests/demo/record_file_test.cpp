// The container of demo and view files: records in, the same records out;
// a file cut anywhere gives every whole record before the cut and says it
// was cut; damaged bytes and foreign files are refused with a reason.
#include "shared/demo/record_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>

using namespace skirmish::demo;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("skirmish-record-file-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::remove(dir / name);
    return dir / name;
}

std::vector<std::uint8_t> read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> payload(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(seed + i * 7);
    return p;
}

// 50 records of growing size, flushed every 10.
fs::path write_sample(const std::string& name) {
    const fs::path path = temp_file(name);
    auto writer = RecordWriter::create(path, kDemoMagic, 1).value();
    for (int i = 0; i < 50; ++i) {
        writer->append(static_cast<std::uint8_t>(i), payload(static_cast<std::size_t>(i * 13), static_cast<std::uint8_t>(i)));
        if (i % 10 == 9) {
            EXPECT_TRUE(writer->flush());
        }
    }
    EXPECT_TRUE(writer->close());
    return path;
}

} // namespace

TEST(RecordFile, RecordsComeBackInOrder) {
    const fs::path path = write_sample("round-trip.skdemo");
    auto reader = RecordReader::open(path, kDemoMagic, 1).value();
    EXPECT_EQ(reader.version(), 1);
    for (int i = 0; i < 50; ++i) {
        auto record = reader.next();
        ASSERT_TRUE(record) << i << ": " << reader.ending_text();
        EXPECT_EQ(record->type, i);
        EXPECT_EQ(record->payload, payload(static_cast<std::size_t>(i * 13), static_cast<std::uint8_t>(i)));
    }
    EXPECT_FALSE(reader.next());
    EXPECT_EQ(reader.ending(), Ending::Complete) << reader.ending_text();
}

TEST(RecordFile, NeverOverwritesAFile) {
    const fs::path path = write_sample("exists.skdemo");
    auto again = RecordWriter::create(path, kDemoMagic, 1);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().find("cannot create"), std::string::npos) << again.error();
}

TEST(RecordFile, AFileCutAnywhereGivesTheRecordsBeforeTheCut) {
    const fs::path path = write_sample("cut.skdemo");
    const std::vector<std::uint8_t> whole = read_all(path);
    std::size_t previous = 0;
    for (std::size_t cut = kPrefixBytes; cut < whole.size(); ++cut) {
        auto reader = RecordReader::from_bytes({whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut)},
                                               kDemoMagic, 1)
                          .value();
        std::size_t n = 0;
        while (auto record = reader.next()) {
            ASSERT_EQ(record->type, n) << "cut at " << cut;
            ASSERT_EQ(record->payload, payload(n * 13, static_cast<std::uint8_t>(n)));
            ++n;
        }
        EXPECT_EQ(reader.ending(), Ending::Truncated) << "cut at " << cut << ": " << reader.ending_text();
        EXPECT_NE(reader.ending_text().find("cut off"), std::string::npos) << reader.ending_text();
        EXPECT_GE(n, previous) << "a longer file never gives fewer records";
        previous = n;
    }
    // Each flush made every record before it readable from the file alone.
    EXPECT_GE(previous, 40u);
}

TEST(RecordFile, DamagedBytesStopTheReaderWithAReason) {
    const fs::path path = write_sample("damaged.skdemo");
    std::vector<std::uint8_t> bytes = read_all(path);
    for (std::size_t at = kPrefixBytes + 20; at < bytes.size(); at += 37) bytes[at] ^= 0x5a;
    auto reader = RecordReader::from_bytes(bytes, kDemoMagic, 1).value();
    int n = 0;
    while (reader.next() && n < 100) ++n;
    EXPECT_NE(reader.ending(), Ending::Complete);
    EXPECT_FALSE(reader.ending_text().empty());
}

TEST(RecordFile, ForeignFilesAndNewerVersionsAreRefused) {
    auto not_demo = RecordReader::from_bytes({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'}, kDemoMagic, 1);
    ASSERT_FALSE(not_demo);
    EXPECT_NE(not_demo.error().find("not a Skirmish demo"), std::string::npos) << not_demo.error();
    auto view_as_demo = RecordReader::from_bytes({'S', 'K', 'V', 'I', 'E', 'W', 1, 0}, kDemoMagic, 1);
    EXPECT_FALSE(view_as_demo);
    auto newer = RecordReader::from_bytes({'S', 'K', 'D', 'E', 'M', 'O', 9, 0}, kDemoMagic, 1);
    ASSERT_FALSE(newer);
    EXPECT_NE(newer.error().find("format version 9"), std::string::npos) << newer.error();
    auto missing = RecordReader::open(temp_file("missing.skdemo"), kDemoMagic, 1);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("cannot open"), std::string::npos) << missing.error();
}

TEST(RecordFile, AnOversizedRecordLengthIsRefused) {
    // A record header that claims 2 MiB, compressed by hand.
    const std::uint8_t raw[] = {7, 0, 0, 0x20, 0, 1, 2, 3};
    std::vector<std::uint8_t> bytes{'S', 'K', 'D', 'E', 'M', 'O', 1, 0};
    std::vector<std::uint8_t> frame(ZSTD_compressBound(sizeof raw));
    const std::size_t n = ZSTD_compress(frame.data(), frame.size(), raw, sizeof raw, 1);
    ASSERT_FALSE(ZSTD_isError(n));
    bytes.insert(bytes.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
    auto reader = RecordReader::from_bytes(bytes, kDemoMagic, 1).value();
    EXPECT_FALSE(reader.next());
    EXPECT_EQ(reader.ending(), Ending::Corrupt);
    EXPECT_NE(reader.ending_text().find("more than the limit"), std::string::npos) << reader.ending_text();
}
