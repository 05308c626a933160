// shared/protocol/detail/message_list.hpp
//
// The one place a codec pairs each message value with its FlatBuffers table,
// one list per direction:
//
//   using ClientMessages = MessageList<fb::MessageTraits, Message<Hello, fb::Hello>, ...>;
//
// Everything else a codec needs about the set of messages is derived from
// that list: the union tag a value is written with (flatc's <Union>Traits of
// its table), the std::variant of the values (the public header's variant
// must be the same type, checked where the list is written), and the
// dispatch of a verified union to the read function for its table. A new
// message is then its schema table, its value struct, one write, one read
// and one line in its list. Internal to shared/protocol.
//
// IMPORTANT: read() takes the union's body from a buffer that has passed
// flatbuffers::Verifier (which checks the body against the table its tag
// names); a null body reads as no message.
#pragma once

#include "shared/util/result.hpp"

#include <flatbuffers/flatbuffers.h>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace skirmish::protocol::detail {

// One line of a list: a message value and the schema table it travels as.
template <typename Value, typename Table>
struct Message {
    using value_type = Value;
    using table_type = Table;
};

// Finds where Value is in Values: its index, or sizeof...(Values) if absent.
template <typename Value, typename... Values>
constexpr std::size_t find_index() {
    constexpr bool same[] = {std::is_same_v<Value, Values>...};
    for (std::size_t i = 0; i < sizeof...(Values); ++i) {
        if (same[i]) return i;
    }
    return sizeof...(Values);
}

// Counts how often T is in Ts.
template <typename T, typename... Ts>
constexpr int count_of() {
    return ((std::is_same_v<T, Ts> ? 1 : 0) + ...);
}

template <template <typename> class UnionTraits, typename... Messages>
class MessageList {
public:
    using Variant = std::variant<typename Messages::value_type...>;
    using Tag = std::remove_cv_t<decltype(UnionTraits<void>::enum_value)>; // the union's tag enum

    static_assert(((count_of<typename Messages::value_type, typename Messages::value_type...>() == 1) && ...),
                  "a value is listed twice");
    static_assert(((count_of<typename Messages::table_type, typename Messages::table_type...>() == 1) && ...),
                  "a table is listed twice (one union tag would name two values)");
    static_assert(((UnionTraits<typename Messages::table_type>::enum_value != Tag::NONE) && ...),
                  "every table on the list is a member of the union");

    template <typename Value>
    static constexpr bool contains = find_index<Value, typename Messages::value_type...>() < sizeof...(Messages);

    // The table `Value` is written as, and the union tag that names it.
    template <typename Value>
    using table_of = std::tuple_element_t<find_index<Value, typename Messages::value_type...>(),
                                          std::tuple<typename Messages::table_type...>>;
    template <typename Value>
    static constexpr Tag tag_of = UnionTraits<table_of<Value>>::enum_value;

    // Writes the table of the value `message` holds with
    // write_table(value) -> flatbuffers::Offset<its table>, and returns the
    // union's tag and body for the envelope.
    template <typename WriteTable>
    static std::pair<Tag, flatbuffers::Offset<void>> write(const Variant& message, WriteTable&& write_table) {
        return std::visit(
            [&](const auto& value) {
                using Value = std::decay_t<decltype(value)>;
                const flatbuffers::Offset<table_of<Value>> body = write_table(value);
                return std::pair{tag_of<Value>, body.Union()};
            },
            message);
    }

    // Reads the body the tag names with read_table(const Table&) ->
    // util::Result<Value, E> (E converts to Error). Nothing for a tag not on
    // this list: NONE, the other direction's, or one from a newer schema.
    template <typename Error, typename ReadTable>
    static std::optional<util::Result<Variant, Error>> read(Tag tag, const void* body, ReadTable&& read_table) {
        std::optional<util::Result<Variant, Error>> out;
        if (body == nullptr) return out; // callers refuse a tag without a body first; this keeps it so
        const auto read_if = [&]<typename M>(std::type_identity<M>) {
            using Table = typename M::table_type;
            if (tag != UnionTraits<Table>::enum_value) return false;
            auto value = read_table(*static_cast<const Table*>(body));
            static_assert(std::is_same_v<std::decay_t<decltype(std::move(value).value())>, typename M::value_type>,
                          "read(table) returns the value its list pairs with that table");
            if (value) {
                out.emplace(Variant{std::in_place_type<typename M::value_type>, std::move(value).value()});
            } else {
                out.emplace(util::fail(Error(value.error())));
            }
            return true;
        };
        (read_if(std::type_identity<Messages>{}) || ...);
        return out;
    }
};

} // namespace skirmish::protocol::detail
