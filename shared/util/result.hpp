// shared/util/result.hpp
//
// Result<T, E>: a value or an error, with the shape of C++23 std::expected
// (has_value(), value(), error()) so switching later is mechanical.
// Used at every shared/* API boundary instead of exceptions.
//
// IMPORTANT: value() on an error (or error() on a value) is a programmer error
// and aborts in every build; check has_value() first.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <utility>
#include <variant>

namespace skirmish::util {

template <typename E>
struct Unexpected {
    E error;
};

template <typename E>
Unexpected<std::decay_t<E>> fail(E&& error) {
    return {std::forward<E>(error)};
}

struct Ok {};

template <typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    template <typename G>
    Result(Unexpected<G> error) : state_(std::in_place_index<1>, std::move(error.error)) {}

    bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { check(true); return std::get<0>(state_); }
    const T& value() const& { check(true); return std::get<0>(state_); }
    T&& value() && { check(true); return std::get<0>(std::move(state_)); }
    const E& error() const { check(false); return std::get<1>(state_); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    template <typename U>
    T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    void check(bool want_value) const {
        if (has_value() != want_value) {
            std::fputs(want_value ? "skirmish: Result::value() called on an error\n"
                                  : "skirmish: Result::error() called on a value\n",
                       stderr);
            std::abort();
        }
    }

    std::variant<T, E> state_;
};

} // namespace skirmish::util
