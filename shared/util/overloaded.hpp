// shared/util/overloaded.hpp: the std::visit helper for one dispatch point per variant.
#pragma once

namespace skirmish::util {

template <typename... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace skirmish::util
