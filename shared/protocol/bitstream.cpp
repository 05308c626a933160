// shared/protocol/bitstream.cpp
#include "shared/protocol/bitstream.hpp"

namespace skirmish::protocol {

namespace {
constexpr int kMaxGolombPrefix = 40;
}

void BitWriter::write_bits(std::uint64_t value, int count) {
    for (int i = 0; i < count; ++i) {
        if (bits_ % 8 == 0) out_.push_back(0);
        if ((value >> i) & 1u) out_.back() = static_cast<std::uint8_t>(out_.back() | (1u << (bits_ % 8)));
        ++bits_;
    }
}

void BitWriter::write_golomb(std::uint64_t value, int k) {
    const std::uint64_t q = (value >> k) + 1;
    int width = 0;
    while ((q >> (width + 1)) != 0) ++width;
    write_bits(0, width);                     // `width` zeros,
    write_bits(1, 1);                         // the leading one of q,
    write_bits(q & ((1ULL << width) - 1), width); // the rest of q,
    write_bits(value & ((1ULL << k) - 1), k); // then the low k bits.
}

void BitWriter::append(std::span<const std::uint8_t> bytes, std::size_t bits) {
    std::size_t done = 0;
    // Whole bytes at a time, then the tail.
    for (; done + 8 <= bits; done += 8) write_bits(bytes[done / 8], 8);
    if (done < bits) write_bits(bytes[done / 8], static_cast<int>(bits - done));
}

void BitWriter::finish() { bits_ = (bits_ + 7) / 8 * 8; }

std::uint64_t BitReader::read_bits(int count) {
    if (failed_) return 0;
    if (bit_ + static_cast<std::size_t>(count) > bytes_.size() * 8) {
        failed_ = true;
        return 0;
    }
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i, ++bit_) {
        if ((bytes_[bit_ / 8] >> (bit_ % 8)) & 1u) value |= 1ULL << i;
    }
    return value;
}

std::uint64_t BitReader::read_golomb(int k) {
    int width = 0;
    while (!failed_ && read_bits(1) == 0) {
        if (++width > kMaxGolombPrefix) {
            failed_ = true;
            return 0;
        }
    }
    if (failed_) return 0;
    const std::uint64_t q = (1ULL << width) | read_bits(width);
    const std::uint64_t low = read_bits(k);
    if (failed_) return 0;
    return ((q - 1) << k) | low;
}

bool BitReader::at_end() const noexcept {
    if (bit_ > bytes_.size() * 8) return false;
    if ((bytes_.size() * 8 - bit_) >= 8) return false;
    // Remaining padding bits must be zero.
    for (std::size_t b = bit_; b < bytes_.size() * 8; ++b) {
        if ((bytes_[b / 8] >> (b % 8)) & 1u) return false;
    }
    return true;
}

void write_varint(std::vector<std::uint8_t>& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(value));
}

bool read_varint(std::span<const std::uint8_t> bytes, std::size_t& at, std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (at >= bytes.size()) return false;
        const std::uint8_t byte = bytes[at++];
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

} // namespace skirmish::protocol
