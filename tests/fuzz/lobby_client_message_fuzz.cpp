// tests/fuzz/lobby_client_message_fuzz.cpp: one lobby frame's payload as the
// server reads it (decode_client_message), and the round trip of what it takes.
#include "lobby_message_fuzz.hpp"

using namespace skirmish;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_lobby_payload(
        fuzz::Bytes(data, size), [](fuzz::Bytes b) { return protocol::lobby::decode_client_message(b); },
        [](const protocol::lobby::ClientMessage& m) { return protocol::lobby::encode_client_message(m); });
    return 0;
}
