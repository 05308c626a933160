// shared/net/enet_library.cpp
#include "shared/net/enet_library.hpp"

#include <enet/enet.h>

namespace skirmish::net {

util::Result<EnetLibrary, std::string> EnetLibrary::initialize() {
    if (enet_initialize() != 0) return util::fail(std::string("ENet failed to initialise"));
    EnetLibrary library;
    library.owns_ = true;
    return library;
}

EnetLibrary::~EnetLibrary() {
    if (owns_) enet_deinitialize();
}

} // namespace skirmish::net
