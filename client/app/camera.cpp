// client/app/camera.cpp
#include "client/app/camera.hpp"

#include <algorithm>

namespace skirmish::app {

Camera fit_camera(float world_w, float world_h, const ScreenRect& area) {
    Camera c;
    if (world_w <= 0 || world_h <= 0 || area.w <= 0 || area.h <= 0) return c;
    c.scale = std::min(area.w / world_w, area.h / world_h);
    c.offset_x = area.x + (area.w - world_w * c.scale) * 0.5f;
    c.offset_y = area.y + (area.h - world_h * c.scale) * 0.5f;
    return c;
}

std::string_view name(CameraMode mode) {
    switch (mode) {
    case CameraMode::Overview: return "overview";
    case CameraMode::Follow: return "follow";
    case CameraMode::Free: return "free";
    }
    return "overview";
}

void ViewCamera::follow(sim::PlayerId id) {
    mode_ = CameraMode::Follow;
    followed_ = id;
    zoom_ = std::max(zoom_, kFollowZoom);
}

void ViewCamera::follow_next(std::span<const sim::PlayerId> ids) {
    if (ids.empty()) return;
    for (const sim::PlayerId id : ids) {
        if (mode_ != CameraMode::Follow || !followed_ || id > *followed_) return follow(id);
    }
    follow(ids.front());
}

void ViewCamera::free_camera(std::optional<sim::Vec2> followed_at) {
    if (mode_ == CameraMode::Follow && followed_at) centre_ = *followed_at;
    else if (mode_ == CameraMode::Overview && world_w_ > 0) centre_ = {world_w_ / 2, world_h_ / 2};
    mode_ = CameraMode::Free;
}

void ViewCamera::pan(sim::Vec2 delta, std::optional<sim::Vec2> followed_at) {
    if (mode_ != CameraMode::Free) free_camera(followed_at);
    centre_.x = std::clamp(centre_.x + delta.x, 0.0f, world_w_);
    centre_.y = std::clamp(centre_.y + delta.y, 0.0f, world_h_);
}

void ViewCamera::zoom_by(double factor, std::optional<sim::Vec2> followed_at) {
    if (mode_ == CameraMode::Overview) free_camera(followed_at);
    zoom_ = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
}

Camera ViewCamera::camera(const ScreenRect& area, std::optional<sim::Vec2> followed_at) const {
    const Camera fit = fit_camera(world_w_, world_h_, area);
    if (mode_ == CameraMode::Overview) return fit;
    // A followed player who is not in the world (left, or not yet seen) holds the view where it was.
    const sim::Vec2 centre = mode_ == CameraMode::Follow && followed_at ? *followed_at : centre_;
    Camera c;
    c.scale = fit.scale * static_cast<float>(zoom_);
    c.offset_x = area.x + area.w / 2 - centre.x * c.scale;
    c.offset_y = area.y + area.h / 2 - centre.y * c.scale;
    return c;
}

} // namespace skirmish::app
