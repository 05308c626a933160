// shared/demo/byte_io.hpp
//
// Little-endian fixed-width fields for the records of demo and view files
// (docs/DEMO.md, "Conventions"): integers in two's complement, floats as
// their IEEE-754 binary32 bits, strings as a u8 length and that many bytes;
// and LEB128 varints (7 bits a byte, low first) with zigzag for signed ones.
//
// IMPORTANT: ByteReader reads untrusted bytes. Reading past the end sets
// failed() and returns zeros; it never reads out of bounds, throws or asserts.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace skirmish::demo {

class ByteWriter {
public:
    void u8(std::uint8_t v) { bytes_.push_back(v); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void i8(std::int8_t v) { u8(static_cast<std::uint8_t>(v)); }
    void i16(std::int16_t v) { u16(static_cast<std::uint16_t>(v)); }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void f32(float v) { u32(std::bit_cast<std::uint32_t>(v)); }
    void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            u8(static_cast<std::uint8_t>(v | 0x80));
            v >>= 7;
        }
        u8(static_cast<std::uint8_t>(v));
    }
    void signed_varint(std::int64_t v) { varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
    // At most 255 bytes: longer text is cut (names and map names are far shorter).
    void str(std::string_view s) {
        const std::size_t n = s.size() < 255 ? s.size() : 255;
        u8(static_cast<std::uint8_t>(n));
        bytes_.insert(bytes_.end(), s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n));
    }

    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }
    void clear() noexcept { bytes_.clear(); }

private:
    void put(std::uint64_t v, int n) {
        for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    std::vector<std::uint8_t> bytes_;
};

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(get(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
    std::uint64_t u64() { return get(8); }
    std::int8_t i8() { return static_cast<std::int8_t>(u8()); }
    std::int16_t i16() { return static_cast<std::int16_t>(u16()); }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    float f32() { return std::bit_cast<float>(u32()); }
    double f64() { return std::bit_cast<double>(u64()); }
    // At most 10 bytes; more, or a value past 64 bits, sets failed().
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const std::uint64_t byte = u8();
            if (failed_) return 0;
            if (shift == 63 && byte > 1) break;
            v |= (byte & 0x7f) << shift;
            if (!(byte & 0x80)) return v;
        }
        failed_ = true;
        return 0;
    }
    std::int64_t signed_varint() {
        const std::uint64_t v = varint();
        return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
    }
    std::string str() {
        const std::size_t n = u8();
        if (failed_ || bytes_.size() - at_ < n) {
            failed_ = true;
            return {};
        }
        std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
        at_ += n;
        return s;
    }

    bool failed() const noexcept { return failed_; }
    std::size_t remaining() const noexcept { return bytes_.size() - at_; }
    // Every byte read, none left over, nothing read past the end.
    bool done() const noexcept { return !failed_ && at_ == bytes_.size(); }

private:
    std::uint64_t get(int n) {
        if (failed_ || bytes_.size() - at_ < static_cast<std::size_t>(n)) {
            failed_ = true;
            return 0;
        }
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(bytes_[at_ + static_cast<std::size_t>(i)]) << (8 * i);
        at_ += static_cast<std::size_t>(n);
        return v;
    }
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
    bool failed_ = false;
};

} // namespace skirmish::demo
