// shared/demo/record_file.cpp
#include "shared/demo/record_file.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace skirmish::demo {
namespace {

// Level 3 with a 64 KiB window and small match tables: about 0.6 MiB per
// recording (a server records every match at once; zstd's defaults take
// 3.5 MiB) for the same size of demo: what changes from tick to tick is
// close by, and higher levels gain under 5 % (docs/DEMO.md, "Size").
constexpr int kLevel = 3;
constexpr int kWindowLog = 16;
constexpr int kHashLog = 14;
constexpr int kChainLog = 14;
constexpr std::size_t kRecordHeaderBytes = 5;
// Decompressed bytes are produced in steps of this size.
constexpr std::size_t kOutChunk = 64 * 1024;

} // namespace

void RecordWriter::CContextDeleter::operator()(ZSTD_CCtx_s* context) const noexcept { ZSTD_freeCCtx(context); }
void RecordReader::DContextDeleter::operator()(ZSTD_DCtx_s* context) const noexcept { ZSTD_freeDCtx(context); }

std::string_view name(Ending ending) {
    switch (ending) {
    case Ending::Complete: return "complete";
    case Ending::Truncated: return "truncated";
    case Ending::Corrupt: return "corrupt";
    }
    return "unknown";
}

// --- writing ------------------------------------------------------------------------

util::Result<std::unique_ptr<RecordWriter>, std::string> RecordWriter::create(const std::filesystem::path& path,
                                                                            std::string_view magic,
                                                                            std::uint16_t version) {
    std::unique_ptr<RecordWriter> writer(new RecordWriter());
    writer->path_ = path;
    // "x": never replace a file that is already there.
    writer->file_ = std::fopen(path.c_str(), "wbx");
    if (!writer->file_)
        return util::fail(fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
    writer->context_.reset(ZSTD_createCCtx());
    if (!writer->context_) return util::fail(std::string("zstd could not allocate a compression context"));
    ZSTD_CCtx_setParameter(writer->context_.get(), ZSTD_c_compressionLevel, kLevel);
    ZSTD_CCtx_setParameter(writer->context_.get(), ZSTD_c_windowLog, kWindowLog);
    ZSTD_CCtx_setParameter(writer->context_.get(), ZSTD_c_hashLog, kHashLog);
    ZSTD_CCtx_setParameter(writer->context_.get(), ZSTD_c_chainLog, kChainLog);
    ZSTD_CCtx_setParameter(writer->context_.get(), ZSTD_c_checksumFlag, 1);
    writer->out_.resize(ZSTD_CStreamOutSize());

    std::uint8_t prefix[kPrefixBytes] = {};
    std::memcpy(prefix, magic.data(), std::min(magic.size(), kMagicBytes));
    prefix[6] = static_cast<std::uint8_t>(version & 0xff);
    prefix[7] = static_cast<std::uint8_t>(version >> 8);
    if (std::fwrite(prefix, 1, kPrefixBytes, writer->file_) != kPrefixBytes || std::fflush(writer->file_) != 0)
        return util::fail(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    writer->bytes_written_ = kPrefixBytes;
    return writer;
}

RecordWriter::~RecordWriter() { close(); }

void RecordWriter::fail(std::string what) {
    if (error_.empty()) error_ = fmt::format("{}: {}", path_.string(), what);
}

bool RecordWriter::compress(std::span<const std::uint8_t> input, int directive) {
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    const auto mode = static_cast<ZSTD_EndDirective>(directive);
    for (int rounds = 0; rounds < 1'000'000; ++rounds) {
        ZSTD_outBuffer out{out_.data(), out_.size(), 0};
        const std::size_t left = ZSTD_compressStream2(context_.get(), &out, &in, mode);
        if (ZSTD_isError(left)) {
            fail(fmt::format("zstd: {}", ZSTD_getErrorName(left)));
            return false;
        }
        if (out.pos > 0 && std::fwrite(out_.data(), 1, out.pos, file_) != out.pos) {
            fail(std::strerror(errno));
            return false;
        }
        bytes_written_ += out.pos;
        // continue: done when the input is taken; flush/end: when zstd has nothing left.
        if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0) return true;
    }
    fail("zstd made no progress");
    return false;
}

void RecordWriter::append(std::uint8_t type, std::span<const std::uint8_t> payload) {
    if (failed() || !file_) return;
    if (payload.size() > kMaxRecordBytes) {
        fail(fmt::format("a record of {} bytes is over the limit of {}", payload.size(), kMaxRecordBytes));
        return;
    }
    record_.clear();
    record_.push_back(type);
    const auto n = static_cast<std::uint32_t>(payload.size());
    for (int i = 0; i < 4; ++i) record_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    record_.insert(record_.end(), payload.begin(), payload.end());
    compress(record_, ZSTD_e_continue);
}

bool RecordWriter::flush() {
    if (failed() || !file_) return false;
    if (!compress({}, ZSTD_e_flush)) return false;
    if (std::fflush(file_) != 0) {
        fail(std::strerror(errno));
        return false;
    }
    return true;
}

bool RecordWriter::close() {
    if (!file_) return !failed();
    if (!failed()) compress({}, ZSTD_e_end);
    if (std::fclose(file_) != 0) fail(std::strerror(errno));
    file_ = nullptr;
    context_.reset();
    return !failed();
}

// --- reading ------------------------------------------------------------------------

util::Result<RecordReader, std::string> RecordReader::open(const std::filesystem::path& path, std::string_view magic,
                                                           std::uint16_t newest_version) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return util::fail(fmt::format("cannot open {}: {}", path.string(), ec.message()));
    if (size > kMaxFileBytes)
        return util::fail(fmt::format("{} is {} bytes, more than the {} a recording may have", path.string(), size,
                                      kMaxFileBytes));
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes(size);
    if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        return util::fail(fmt::format("cannot read {}", path.string()));
    auto reader = from_bytes(std::move(bytes), magic, newest_version);
    if (!reader) return util::fail(fmt::format("{}: {}", path.string(), reader.error()));
    return reader;
}

util::Result<RecordReader, std::string> RecordReader::from_bytes(std::vector<std::uint8_t> bytes,
                                                                 std::string_view magic,
                                                                 std::uint16_t newest_version) {
    if (bytes.size() < kPrefixBytes || std::memcmp(bytes.data(), magic.data(), kMagicBytes) != 0)
        return util::fail(fmt::format("not a Skirmish {} file (it does not start with \"{}\")",
                                      magic == kDemoMagic ? "demo" : "view", magic));
    RecordReader reader;
    reader.version_ = static_cast<std::uint16_t>(bytes[6] | (bytes[7] << 8));
    if (reader.version_ == 0 || reader.version_ > newest_version)
        return util::fail(fmt::format("format version {} is not one this build reads (1 to {}): use the "
                                      "skirmish-replay of a build that wrote it, or a newer one",
                                      reader.version_, newest_version));
    reader.context_.reset(ZSTD_createDCtx());
    if (!reader.context_) return util::fail(std::string("zstd could not allocate a decompression context"));
    ZSTD_DCtx_setParameter(reader.context_.get(), ZSTD_d_windowLogMax, kMaxWindowLog);
    reader.input_ = std::move(bytes);
    return reader;
}

void RecordReader::finish(Ending ending, std::string text) {
    done_ = true;
    ending_ = ending;
    ending_text_ = std::move(text);
}

bool RecordReader::fill(std::size_t need) {
    while (out_.size() - out_at_ < need) {
        if (done_) return false;
        if (in_at_ >= input_.size() && !output_pending_) return false;
        // Drop what has been read, then decompress one more step.
        if (out_at_ > 0) {
            out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(out_at_));
            out_at_ = 0;
        }
        const std::size_t had = out_.size();
        out_.resize(had + kOutChunk);
        ZSTD_inBuffer in{input_.data(), input_.size(), in_at_};
        ZSTD_outBuffer out{out_.data() + had, kOutChunk, 0};
        const std::size_t hint = ZSTD_decompressStream(context_.get(), &out, &in);
        out_.resize(had + out.pos);
        if (ZSTD_isError(hint)) {
            finish(Ending::Corrupt, fmt::format("the compressed data is damaged at byte {} of the file ({}) after "
                                                "{} records",
                                                in_at_, ZSTD_getErrorName(hint), records_));
            return false;
        }
        in_at_ = in.pos;
        frame_left_ = hint;
        output_pending_ = out.pos == kOutChunk; // zstd may hold more: ask again even without input
    }
    return true;
}

std::optional<Record> RecordReader::next() {
    if (done_) return std::nullopt;
    if (!fill(kRecordHeaderBytes)) {
        if (done_) return std::nullopt; // corrupt
        const std::size_t left = out_.size() - out_at_;
        if (left == 0 && frame_left_ == 0 && in_at_ > kPrefixBytes)
            finish(Ending::Complete, fmt::format("complete: {} records", records_));
        else
            finish(Ending::Truncated, fmt::format("the file is cut off after {} whole records ({}): the recorder "
                                                  "stopped without closing it (a crash, or it is still writing)",
                                                  records_,
                                                  left ? "part of a record follows" : "inside a compressed frame"));
        return std::nullopt;
    }
    Record record;
    record.type = out_[out_at_];
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length |= static_cast<std::uint32_t>(out_[out_at_ + 1 + static_cast<std::size_t>(i)]) << (8 * i);
    if (length > kMaxRecordBytes) {
        finish(Ending::Corrupt, fmt::format("record {} claims {} bytes, more than the limit of {}", records_ + 1,
                                            length, kMaxRecordBytes));
        return std::nullopt;
    }
    if (!fill(kRecordHeaderBytes + length)) {
        if (!done_)
            finish(Ending::Truncated, fmt::format("the file is cut off inside record {} (after {} whole records): the "
                                                  "recorder stopped without closing it (a crash, or it is still "
                                                  "writing)",
                                                  records_ + 1, records_));
        return std::nullopt;
    }
    const auto begin = out_.begin() + static_cast<std::ptrdiff_t>(out_at_ + kRecordHeaderBytes);
    record.payload.assign(begin, begin + length);
    out_at_ += kRecordHeaderBytes + length;
    ++records_;
    return record;
}

} // namespace skirmish::demo
