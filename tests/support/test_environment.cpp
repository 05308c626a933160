// tests/support/test_environment.cpp: compiled into every test binary
// (skirmish_test_support). Before main() runs it sets SKIRMISH_LAN_ADDRESS to
// 127.255.255.255, so LAN discovery probes (the client's connect screen,
// skirmish-query --lan, LanBrowser) from the test and from every process it
// starts stay on loopback: no test ever broadcasts on this machine's networks.
// (Set here rather than as a CTest ENVIRONMENT property, which
// gtest_discover_tests splits at each ';' so that only its first variable is
// set, and which a binary run by hand would not have.)
// It also points XDG_DATA_HOME at a folder of the test process's own, removed
// at exit, so that a skirmish-server a test starts without --db keeps its
// results database there, not in the home folder of whoever runs the tests.
//
// IMPORTANT: a test that means to probe real interfaces (inside network
// namespaces it made) unsets it for that child: `env -u SKIRMISH_LAN_ADDRESS`.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace {

const bool kLanProbesStayOnLoopback = [] {
    ::setenv("SKIRMISH_LAN_ADDRESS", "127.255.255.255", 1);
    return true;
}();

struct DataHome {
    std::filesystem::path path;
    DataHome() {
        std::error_code ec;
        path = std::filesystem::temp_directory_path(ec) / ("skirmish-test-data-" + std::to_string(::getpid()));
        ::setenv("XDG_DATA_HOME", path.c_str(), 1);
    }
    ~DataHome() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};
const DataHome kDataHome;

} // namespace
