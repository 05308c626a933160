// shared/protocol/version.hpp
//
// The wire protocol version (schemas/common.fbs, ProtocolVersion.Current),
// re-stated as a plain constant so code outside protocol need not include
// generated headers. tests/protocol/schema_test checks the two agree.
#pragma once

#include <cstdint>

namespace skirmish::protocol {

inline constexpr std::uint32_t kProtocolVersion = 6;

} // namespace skirmish::protocol
