// The client core hands out typed ids (issue 9): the view's players, tracers,
// kill notices, judged shots and spectators carry sim::PlayerId and its match
// a protocol::MatchId, so what draws or follows them cannot mix them up.
// Numbers stay where bytes are mirrored (wire messages, view files, the
// reconnect ticket) and docs/ARCHITECTURE.md lists them.
// Checked when this file compiles, as tests/game/typed_ids_test.cpp does for
// the server.
#include "client/core/client_view.hpp"
#include "client/core/lobby_client.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>
#include <utility>

namespace {

using namespace skirmish;
using sim::PlayerId;

TEST(TypedIds, TheClientViewCarriesTypedIds) {
    static_assert(std::is_same_v<decltype(client::ClientView::local_id), PlayerId>);
    static_assert(std::is_same_v<decltype(client::ClientView::match_id), protocol::MatchId>);
    static_assert(std::is_same_v<decltype(client::ViewPlayer::id), PlayerId>);
    static_assert(std::is_same_v<decltype(client::Tracer::shooter), PlayerId>);
    static_assert(std::is_same_v<decltype(client::KillNotice::killer), PlayerId>);
    static_assert(std::is_same_v<decltype(client::KillNotice::victim), PlayerId>);
    static_assert(std::is_same_v<decltype(client::ShotRewind::target_id), PlayerId>);
    static_assert(std::is_same_v<decltype(client::ClientView::spectators)::value_type::first_type, PlayerId>);
    static_assert(std::is_same_v<decltype(std::declval<const client::LobbyClient&>().player_id()), PlayerId>);
    static_assert(!std::is_convertible_v<std::uint32_t, PlayerId>, "a bare number is no player id");
    SUCCEED();
}

} // namespace
