// shared/protocol/bitstream.hpp
//
// Bit-level writer and reader for the snapshot entity stream
// (docs/PROTOCOL.md, "Snapshot delta"). Bits are packed least-significant
// first into bytes; the stream is padded with zero bits to a whole byte.
// Variable-length integers use exponential-Golomb codes of order k.
//
// IMPORTANT: BitReader reads untrusted bytes. Reading past the end, a Golomb
// prefix longer than 40 bits or a value that overflows sets failed() and
// returns 0; it never reads out of bounds, throws or asserts.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace skirmish::protocol {

inline std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

class BitWriter {
public:
    explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    void write_bits(std::uint64_t value, int count);
    void write_bool(bool value) { write_bits(value ? 1 : 0, 1); }
    // Exponential-Golomb of order k: small values in few bits, any value up to 2^40.
    void write_golomb(std::uint64_t value, int k);
    void write_signed_golomb(std::int64_t value, int k) { write_golomb(zigzag(value), k); }
    // Appends the first `bits` bits of `bytes` (as written by another BitWriter).
    void append(std::span<const std::uint8_t> bytes, std::size_t bits);
    // Pads to a whole byte with zero bits. Call once at the end.
    void finish();
    std::size_t bit_count() const noexcept { return bits_; }

private:
    std::vector<std::uint8_t>& out_;
    std::size_t bits_ = 0;
};

class BitReader {
public:
    explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::uint64_t read_bits(int count);
    bool read_bool() { return read_bits(1) != 0; }
    std::uint64_t read_golomb(int k);
    std::int64_t read_signed_golomb(int k) { return unzigzag(read_golomb(k)); }

    bool failed() const noexcept { return failed_; }
    // True if every bit left is a zero padding bit of the last byte.
    bool at_end() const noexcept;

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t bit_ = 0;
    bool failed_ = false;
};

// Little-endian base-128 varints for the byte-aligned snapshot header.
void write_varint(std::vector<std::uint8_t>& out, std::uint64_t value);
// Returns false on truncation or more than 10 bytes; advances `at`.
bool read_varint(std::span<const std::uint8_t> bytes, std::size_t& at, std::uint64_t& value);

} // namespace skirmish::protocol
