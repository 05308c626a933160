// shared/net/enet_library.hpp
//
// ENet's global initialisation, owned by one RAII object made in main() (or a
// test) and passed by reference to whatever creates ENet hosts. Holding an
// EnetLibrary& is the proof that enet_initialize() ran; nothing is a singleton.
#pragma once

#include "shared/util/result.hpp"

#include <string>

namespace skirmish::net {

class EnetLibrary {
public:
    static util::Result<EnetLibrary, std::string> initialize();
    ~EnetLibrary();
    EnetLibrary(EnetLibrary&& other) noexcept : owns_(other.owns_) { other.owns_ = false; }
    EnetLibrary& operator=(EnetLibrary&&) = delete;
    EnetLibrary(const EnetLibrary&) = delete;
    EnetLibrary& operator=(const EnetLibrary&) = delete;

private:
    EnetLibrary() = default;
    bool owns_ = false;
};

} // namespace skirmish::net
