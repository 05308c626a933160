// tests/support/test_environment.cpp: compiled into every test binary
// (skirmish_test_support). Before main() runs it sets SKIRMISH_LAN_ADDRESS to
// 127.255.255.255, so LAN discovery probes (the client's connect screen,
// skirmish-query --lan, LanBrowser) from the test and from every process it
// starts stay on loopback: no test ever broadcasts on this machine's networks.
// (Set here rather than as a CTest ENVIRONMENT property, which
// gtest_discover_tests splits at each ';' so that only its first variable is
// set, and which a binary run by hand would not have.)
//
// IMPORTANT: a test that means to probe real interfaces (inside network
// namespaces it made) unsets it for that child: `env -u SKIRMISH_LAN_ADDRESS`.
#include <cstdlib>

namespace {

const bool kLanProbesStayOnLoopback = [] {
    ::setenv("SKIRMISH_LAN_ADDRESS", "127.255.255.255", 1);
    return true;
}();

} // namespace
