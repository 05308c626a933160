// client/app/spectator_view.cpp
#include "client/app/spectator_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace skirmish::app {

namespace {

const client::ViewPlayer* find_player(const client::ClientView& view, sim::PlayerId id) {
    const auto it = std::find_if(view.players.begin(), view.players.end(),
                                 [&](const client::ViewPlayer& p) { return p.id == id; });
    return it == view.players.end() ? nullptr : &*it;
}

} // namespace

void SpectatorView::watch(const client::ClientView& view) {
    if (watching_ && view.match_id == match_id_) return;
    camera_ = view.map ? ViewCamera(view.map->width, view.map->height) : ViewCamera();
    match_id_ = view.match_id;
    watching_ = view.map != nullptr; // without the map yet, start over once it is known
}

void SpectatorView::update(const client::ClientView& view, sim::Vec2 pan, double seconds) {
    watch(view);
    if (camera_.mode() == CameraMode::Follow && camera_.followed() && !find_player(view, *camera_.followed()))
        camera_.show_overview();
    if (pan.x != 0 || pan.y != 0) {
        const float step = static_cast<float>(kPanSpeed * seconds / camera_.zoom());
        camera_.pan({pan.x * step, pan.y * step}, followed_at(view));
    }
}

void SpectatorView::free_camera(const client::ClientView& view) {
    watch(view);
    camera_.free_camera(followed_at(view));
}

void SpectatorView::zoom_by(const client::ClientView& view, double factor) {
    watch(view);
    camera_.zoom_by(factor, followed_at(view));
}

void SpectatorView::follow_next(const client::ClientView& view) {
    watch(view);
    std::vector<sim::PlayerId> ids;
    for (const client::ViewPlayer& p : view.players) ids.push_back(p.id);
    std::sort(ids.begin(), ids.end());
    camera_.follow_next(ids);
}

bool SpectatorView::follow_at(const client::ClientView& view, sim::Vec2 world) {
    watch(view);
    const client::ViewPlayer* nearest = nullptr;
    float best = kPickRadius * kPickRadius;
    for (const client::ViewPlayer& p : view.players) {
        if (!p.state.alive) continue;
        const float dx = p.state.position.x - world.x, dy = p.state.position.y - world.y;
        if (dx * dx + dy * dy <= best) {
            best = dx * dx + dy * dy;
            nearest = &p;
        }
    }
    if (!nearest) return false;
    camera_.follow(nearest->id);
    return true;
}

std::string SpectatorView::caption(const client::ClientView& view) const {
    switch (camera_.mode()) {
    case CameraMode::Follow:
        if (camera_.followed()) {
            if (const client::ViewPlayer* p = find_player(view, *camera_.followed()))
                return fmt::format("following {}", p->name);
        }
        break;
    case CameraMode::Free: return "free camera";
    case CameraMode::Overview: break;
    }
    return "the whole arena";
}

std::optional<sim::Vec2> SpectatorView::followed_at(const client::ClientView& view) const {
    if (!camera_.followed()) return std::nullopt;
    if (const client::ViewPlayer* p = find_player(view, *camera_.followed())) return p->state.position;
    return std::nullopt;
}

} // namespace skirmish::app
