// server/game/game_query.cpp
//
// The game port's answers to a Query (docs/PROTOCOL.md, "Query"): the
// server's info, or a page of the players on the game port in match order,
// each with frags, deaths, seconds connected and ENet's round-trip time.
// The ENet host has already checked the cookie (the sender proved its
// address) and the rate limits; this only builds the reply's body.
//
// IMPORTANT: runs on the tick thread, inside the host's poll(); reads match
// and session state, changes nothing.
#include "server/game/game_server.hpp"

#include <algorithm>

namespace skirmish::server {

namespace pd = protocol::discovery;

std::vector<std::uint8_t> GameServer::answer_query(const net::Query& query) {
    pd::QueryReply reply;
    reply.nonce = net::nonce_value(query.nonce);
    if (query.what == net::QueryWhat::Info) {
        if (!info_source_) return {};
        reply.body = info_source_();
    } else {
        reply.body = player_page(query.first);
    }
    return pd::encode_query_reply(reply, pd::kMaxQueryReplyBytes);
}

pd::PlayerList GameServer::player_page(std::uint16_t first) {
    pd::PlayerList page;
    const util::TimePoint now = clock_.now();
    std::size_t index = 0;
    matches_.for_each([&](protocol::MatchId match_id, const Match& match) {
        match.for_each_player([&](sim::PlayerId player_id) {
            const std::size_t at = index++;
            // One datagram holds a few dozen players: the encoder keeps as many as fit.
            if (at < first || page.players.size() >= 64) return;
            pd::QueryPlayer p;
            p.name = std::string(match.player_name(player_id));
            p.match_id = protocol::to_int(match_id);
            for (const sim::Player& sp : match.world().players) {
                if (sp.id == player_id) {
                    p.frags = sp.frags;
                    p.deaths = sp.deaths;
                }
            }
            if (const Session* session = sessions_.of_player(player_id)) {
                p.time_s = static_cast<std::uint32_t>(std::max(0.0, util::to_seconds(now - session->connected_at)));
                p.ping_ms = static_cast<std::uint16_t>(std::min<std::uint32_t>(host_->peer_stats(session->peer).rtt_ms, 65535));
            }
            page.players.push_back(std::move(p));
        });
    });
    page.total = static_cast<std::uint16_t>(std::min<std::size_t>(index, 65535));
    page.first = std::min(first, page.total);
    return page;
}

} // namespace skirmish::server
