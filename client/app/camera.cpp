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

} // namespace skirmish::app
