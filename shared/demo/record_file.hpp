// shared/demo/record_file.hpp
//
// The container of demo (.skdemo) and view (.skview) files: an 8-byte plain
// prefix, then zstd frames whose content is a sequence of typed records.
// Full layout: docs/DEMO.md, "The container".
//
//   prefix   6 bytes magic ("SKDEMO" or "SKVIEW"), u16 LE format version
//   zstd     one or more frames (RFC 8878), concatenated; decompressed:
//   record   u8 type, u32 LE payload length (at most kMaxRecordBytes), payload
//
// The writer compresses as records come and pushes everything to the kernel
// on flush(), so a process that dies loses only what came after the last
// flush; a reader of the cut file gets every record before it.
//
// IMPORTANT: RecordReader reads untrusted bytes: sizes checked, memory capped
// (kMaxRecordBytes, zstd window 2^kMaxWindowLog), never throws or asserts.
// IMPORTANT: RecordWriter does blocking file I/O: append() rarely, flush() once a second.
#pragma once

#include "shared/util/result.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct ZSTD_CCtx_s; // zstd's contexts, kept out of this header
struct ZSTD_DCtx_s;

namespace skirmish::demo {

inline constexpr std::size_t kMagicBytes = 6;
inline constexpr std::size_t kPrefixBytes = 8;
inline constexpr std::size_t kMaxRecordBytes = 1u << 20;
inline constexpr int kMaxWindowLog = 24;                       // what a reader accepts
inline constexpr std::uint64_t kMaxFileBytes = 1ull << 30;    // what a reader opens
inline constexpr std::string_view kDemoMagic = "SKDEMO";
inline constexpr std::string_view kViewMagic = "SKVIEW";

class RecordWriter {
public:
    // Creates `path` (never overwrites: an existing file is an error) and writes the prefix.
    static util::Result<std::unique_ptr<RecordWriter>, std::string> create(const std::filesystem::path& path,
                                                                         std::string_view magic,
                                                                         std::uint16_t version);
    ~RecordWriter(); // close()s
    RecordWriter(const RecordWriter&) = delete;
    RecordWriter& operator=(const RecordWriter&) = delete;

    // Compresses one record (payload at most kMaxRecordBytes). Ignored once failed().
    void append(std::uint8_t type, std::span<const std::uint8_t> payload);
    // Ends the current zstd block and hands every byte so far to the kernel.
    bool flush();
    // Ends the zstd frame and closes the file. Further calls do nothing.
    bool close();

    bool failed() const noexcept { return !error_.empty(); }
    const std::string& error() const noexcept { return error_; }
    std::uint64_t bytes_written() const noexcept { return bytes_written_; }
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    RecordWriter() = default;
    bool compress(std::span<const std::uint8_t> input, int directive);
    void fail(std::string what);

    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    struct CContextDeleter {
        void operator()(ZSTD_CCtx_s* context) const noexcept;
    };
    std::unique_ptr<ZSTD_CCtx_s, CContextDeleter> context_;
    std::vector<std::uint8_t> record_;
    std::vector<std::uint8_t> out_;
    std::uint64_t bytes_written_ = 0;
    std::string error_;
};

struct Record {
    std::uint8_t type = 0;
    std::vector<std::uint8_t> payload;
};

// How a stream of records ended.
enum class Ending : std::uint8_t {
    Complete,  // every zstd frame whole, no bytes left over
    Truncated, // the file stops inside a frame or a record: the writer was cut off
    Corrupt,   // zstd refused the bytes, or a record is longer than allowed
};
std::string_view name(Ending ending);

class RecordReader {
public:
    // Reads the whole file (at most kMaxFileBytes) and checks its prefix:
    // the magic, and a version from 1 to newest_version.
    static util::Result<RecordReader, std::string> open(const std::filesystem::path& path, std::string_view magic,
                                                        std::uint16_t newest_version);
    static util::Result<RecordReader, std::string> from_bytes(std::vector<std::uint8_t> bytes, std::string_view magic,
                                                              std::uint16_t newest_version);

    RecordReader(RecordReader&&) noexcept = default;
    RecordReader& operator=(RecordReader&&) noexcept = default;
    ~RecordReader() = default;

    std::uint16_t version() const noexcept { return version_; }
    // The next record; nullopt once there are no more (then ending() says why).
    std::optional<Record> next();
    Ending ending() const noexcept { return ending_; }
    // For a person: how the stream ended, with the record count.
    const std::string& ending_text() const noexcept { return ending_text_; }
    std::uint64_t records_read() const noexcept { return records_; }
    std::uint64_t file_bytes() const noexcept { return input_.size(); }

private:
    RecordReader() = default;
    // Decompresses until `need` bytes are buffered. False at the end or on an error.
    bool fill(std::size_t need);
    void finish(Ending ending, std::string text);

    struct DContextDeleter {
        void operator()(ZSTD_DCtx_s* context) const noexcept;
    };
    std::unique_ptr<ZSTD_DCtx_s, DContextDeleter> context_;
    std::vector<std::uint8_t> input_;
    std::size_t in_at_ = kPrefixBytes;
    std::vector<std::uint8_t> out_;
    std::size_t out_at_ = 0;
    std::size_t frame_left_ = 0; // zstd's hint: 0 when the last frame is complete
    bool output_pending_ = false;
    std::uint16_t version_ = 0;
    std::uint64_t records_ = 0;
    bool done_ = false;
    Ending ending_ = Ending::Complete;
    std::string ending_text_;
};

} // namespace skirmish::demo
