// client/app/demo_playback.cpp
#include "client/app/demo_playback.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace skirmish::app {
namespace {

constexpr sim::Tick kShotsKept = 128; // ticks of shots kept for tracers

} // namespace

DemoPlayback::DemoPlayback(demo::DemoHeader header, std::string title)
    : header_(std::move(header)),
      title_(std::move(title)),
      cursor_(header_),
      camera_(header_.map.width, header_.map.height) {}

util::Result<DemoPlayback, std::string> DemoPlayback::open(const std::filesystem::path& path) {
    auto reader = demo::DemoReader::open(path);
    if (!reader) return util::fail(fmt::format("{} cannot be played: {}", path.filename().string(), reader.error()));
    return load(std::move(reader).value(), path.filename().string());
}

util::Result<DemoPlayback, std::string> DemoPlayback::load(demo::DemoReader reader, std::string title) {
    if (std::string why = demo::rules_difference(reader.header()); !why.empty())
        return util::fail(fmt::format("{} cannot be played: {}", title, why));
    DemoPlayback p(reader.header(), std::move(title));
    std::size_t ticks = 0;
    while (auto event = reader.next()) {
        if (std::holds_alternative<demo::TickEvent>(*event) && ++ticks > kMaxPlaybackTicks) {
            p.ending_ = demo::Ending::Truncated;
            p.ending_text_ = fmt::format("the demo is longer than {} ticks; it is played up to there",
                                         kMaxPlaybackTicks);
            break;
        }
        p.events_.push_back(std::move(*event));
    }
    if (p.ending_text_.empty()) {
        p.ending_ = reader.ending();
        p.ending_text_ = reader.ending_text();
    }
    // A checkpoint a second, or fewer when the position history makes each
    // one large (its capacity is in the header, up to 65536 ticks).
    const std::size_t per_checkpoint = 256 + p.header_.history_ticks * (32 + 16 * p.header_.settings.max_players);
    const std::size_t affordable = std::max<std::size_t>(1, kCheckpointBudgetBytes / per_checkpoint);
    const std::size_t rate = static_cast<std::size_t>(std::max(1, p.header_.rules.tick_rate_hz));
    p.interval_ = static_cast<sim::Tick>(std::max(rate, (ticks + affordable - 1) / affordable));

    // The one pass: length, kills, agreement, checkpoints.
    sim::Tick next_checkpoint = 0;
    while (p.cursor_.next < p.events_.size()) {
        if (const auto* t = std::get_if<demo::TickEvent>(&p.events_[p.cursor_.next]); t && t->tick >= next_checkpoint) {
            p.checkpoints_.push_back(p.cursor_);
            next_checkpoint = (t->tick / p.interval_ + 1) * p.interval_;
        }
        const bool stepped = std::holds_alternative<demo::TickEvent>(p.events_[p.cursor_.next]);
        p.apply_next();
        if (!stepped) continue;
        for (const sim::KillEvent& k : p.cursor_.replay.last_step().kills)
            p.kills_.push_back({p.tick(), k.killer, k.victim});
    }
    if (auto m = p.cursor_.replay.unresolved()) {
        if (p.mismatches_++ == 0) p.first_mismatch_ = m->text;
    }
    p.end_tick_ = p.tick();
    p.loaded_ = true;
    p.shots_.clear();
    if (p.checkpoints_.empty()) p.checkpoints_.push_back(Cursor(p.header_));
    p.cursor_ = p.checkpoints_.front();
    p.advance_to(0);
    p.clock_ = p.tick();
    return p;
}

void DemoPlayback::apply_next() {
    const demo::DemoEvent& event = events_[cursor_.next++];
    if (const auto* leave = std::get_if<demo::LeaveEvent>(&event)) {
        const sim::PlayerId id{leave->player_id};
        if (const sim::Player* p = cursor_.replay.world().find(id))
            cursor_.left[id] = {id, name_of(id), p->frags, p->deaths, false};
    } else if (const auto* join = std::get_if<demo::JoinEvent>(&event)) {
        cursor_.left.erase(sim::PlayerId{join->player_id});
    } else if (std::holds_alternative<demo::TickEvent>(event)) {
        cursor_.previous = cursor_.replay.world().players;
        ++steps_;
    }
    auto m = cursor_.replay.apply(event);
    if (m && !loaded_ && mismatches_++ == 0) first_mismatch_ = m->text; // counted in the first pass only
    if (std::holds_alternative<demo::TickEvent>(event)) {
        for (const sim::ShotEvent& s : cursor_.replay.last_step().shots) shots_.push_back({tick(), s});
        const sim::Tick now = tick();
        std::erase_if(shots_, [&](const PlaybackShot& s) { return s.tick + kShotsKept < now || s.tick > now; });
    }
}

void DemoPlayback::advance_to(sim::Tick target) {
    while (cursor_.next < events_.size()) {
        const auto* t = std::get_if<demo::TickEvent>(&events_[cursor_.next]);
        if (t && t->tick >= target) break;
        apply_next();
    }
}

void DemoPlayback::play() {
    if (at_end()) seek(0); // play again from the start
    playing_ = true;
    clock_ = tick();
}

void DemoPlayback::pause() {
    playing_ = false;
    clock_ = tick();
}

void DemoPlayback::set_speed_index(std::size_t index) {
    speed_index_ = std::min(index, kPlaybackSpeeds.size() - 1);
}

void DemoPlayback::update(double seconds) {
    if (!playing_) return;
    // At most a second of real time at once (a stalled frame does not jump far).
    clock_ += std::clamp(seconds, 0.0, 1.0) * speed() * tick_rate();
    const sim::Tick target = static_cast<sim::Tick>(std::min<double>(std::floor(clock_), end_tick_));
    advance_to(target);
    if (at_end() || tick() >= end_tick_) {
        advance_to(end_tick_ + 1);
        playing_ = false;
        clock_ = tick();
    }
}

void DemoPlayback::seek(sim::Tick target) {
    target = std::min(target, end_tick_);
    const sim::Tick now = tick();
    if (target < now || target - now > interval_) {
        // The last checkpoint at or before the target (checkpoints are in tick order).
        std::size_t k = 0;
        for (std::size_t i = 0; i < checkpoints_.size(); ++i) {
            if (checkpoints_[i].replay.world().tick <= target) k = i;
        }
        if (target < now || checkpoints_[k].replay.world().tick > now) {
            cursor_ = checkpoints_[k];
            shots_.clear();
        }
    }
    advance_to(target == end_tick_ ? end_tick_ + 1 : target);
    clock_ = tick();
}

void DemoPlayback::seek_fraction(double fraction) {
    seek(static_cast<sim::Tick>(std::lround(std::clamp(fraction, 0.0, 1.0) * end_tick_)));
}

void DemoPlayback::step_forward() {
    pause();
    seek(tick() + 1);
}

void DemoPlayback::step_back() {
    pause();
    if (tick() > 0) seek(tick() - 1);
}

sim::Vec2 DemoPlayback::drawn_position(const sim::Player& player) const {
    if (!playing_) return player.position;
    const double alpha = std::clamp(clock_ - tick(), 0.0, 1.0);
    for (const sim::Player& before : cursor_.previous) {
        if (before.id != player.id) continue;
        if (!before.alive || !player.alive) return player.position; // no sliding across a respawn
        const float a = static_cast<float>(alpha);
        return {before.position.x + (player.position.x - before.position.x) * a,
                before.position.y + (player.position.y - before.position.y) * a};
    }
    return player.position;
}

std::vector<PlaybackShot> DemoPlayback::recent_shots(sim::Tick ticks) const {
    std::vector<PlaybackShot> out;
    for (const PlaybackShot& s : shots_) {
        if (s.tick <= tick() && s.tick + ticks >= tick()) out.push_back(s);
    }
    return out;
}

std::vector<KillMarker> DemoPlayback::recent_kills(sim::Tick ticks) const {
    std::vector<KillMarker> out;
    for (const KillMarker& k : kills_) {
        if (k.tick <= tick() && k.tick + ticks >= tick()) out.push_back(k);
    }
    return out;
}

std::string DemoPlayback::name_of(sim::PlayerId id) const {
    const auto& names = cursor_.replay.names();
    if (auto it = names.find(sim::to_int(id)); it != names.end()) return it->second; // the demo's numbers
    return fmt::format("player {}", id);
}

std::vector<ScoreRow> DemoPlayback::scoreboard() const {
    std::vector<ScoreRow> rows;
    for (const sim::Player& p : world().players)
        rows.push_back({p.id, name_of(p.id), p.frags, p.deaths, true});
    for (const auto& [id, row] : cursor_.left) {
        if (!world().find(id)) rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(), [](const ScoreRow& a, const ScoreRow& b) {
        if (a.frags != b.frags) return a.frags > b.frags;
        if (a.deaths != b.deaths) return a.deaths < b.deaths;
        return a.id < b.id;
    });
    return rows;
}

void DemoPlayback::follow_next() {
    std::vector<sim::PlayerId> ids;
    for (const sim::Player& p : world().players) ids.push_back(p.id); // sorted by id
    camera_.follow_next(ids);
}

std::optional<sim::Vec2> DemoPlayback::followed_at() const {
    if (!camera_.followed()) return std::nullopt;
    if (const sim::Player* p = world().find(*camera_.followed())) return drawn_position(*p);
    return std::nullopt;
}

} // namespace skirmish::app
