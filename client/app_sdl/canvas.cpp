// client/app_sdl/canvas.cpp
#include "client/app_sdl/canvas.hpp"

#include "shared/util/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace skirmish::app {
namespace {

constexpr std::uint64_t kEvictAfterFrames = 120;
constexpr std::size_t kMaxCachedTexts = 2048;

SDL_Color sdl(Color c) { return {c.r, c.g, c.b, c.a}; }

int circle_segments(float radius_px) { return std::clamp(static_cast<int>(radius_px * 0.8f) + 12, 12, 72); }

} // namespace

util::Result<FontFiles, std::string> find_fonts(const std::string& folder) {
    FontFiles f{folder + "/DejaVuSans.ttf", folder + "/DejaVuSans-Bold.ttf", folder + "/DejaVuSansMono.ttf"};
    for (const auto* path : {&f.regular, &f.bold, &f.mono}) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*path, ec))
            return util::fail(fmt::format("cannot find the font {}: install the Debian package fonts-dejavu-core "
                                          "(scripts/play does), or point SKIRMISH_FONT_DIR at a folder holding "
                                          "DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf",
                                          *path));
    }
    return f;
}

Canvas::Canvas(SDL_Renderer* renderer, FontFiles fonts) : renderer_(renderer), files_(std::move(fonts)) {
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
}

Canvas::~Canvas() {
    for (auto& [key, t] : texts_) SDL_DestroyTexture(t.texture);
    for (auto& [key, f] : fonts_) TTF_CloseFont(f);
}

void Canvas::begin_frame() {
    ++frame_;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    if (w <= 0 || h <= 0) return;
    scale_ = static_cast<float>(h) / kVirtualHeight;
    width_ = static_cast<float>(w) / scale_;
}

void Canvas::end_frame() {
    if (texts_.size() < 64) return;
    for (auto it = texts_.begin(); it != texts_.end();) {
        if (frame_ - it->second.used > kEvictAfterFrames || texts_.size() > kMaxCachedTexts) {
            SDL_DestroyTexture(it->second.texture);
            it = texts_.erase(it);
        } else {
            ++it;
        }
    }
}

void Canvas::clear(Color c) {
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, c.a);
    SDL_RenderClear(renderer_);
}

void Canvas::triangles(const std::vector<SDL_Vertex>& vertices) {
    if (vertices.empty()) return;
    SDL_RenderGeometry(renderer_, nullptr, vertices.data(), static_cast<int>(vertices.size()), nullptr, 0);
}

void Canvas::fill_rect(const ScreenRect& r, Color color) {
    // Snapped to whole pixels so that edges are crisp and fills exact.
    const float x0 = std::round(r.x * scale_), y0 = std::round(r.y * scale_);
    const float x1 = std::round((r.x + r.w) * scale_), y1 = std::round((r.y + r.h) * scale_);
    if (x1 <= x0 || y1 <= y0) return;
    SDL_SetRenderDrawColor(renderer_, color.r, color.g, color.b, color.a);
    const SDL_FRect rect{x0, y0, x1 - x0, y1 - y0};
    SDL_RenderFillRectF(renderer_, &rect);
}

void Canvas::outline_rect(const ScreenRect& r, Color color, float t) {
    fill_rect({r.x, r.y, r.w, t}, color);
    fill_rect({r.x, r.y + r.h - t, r.w, t}, color);
    fill_rect({r.x, r.y + t, t, r.h - 2 * t}, color);
    fill_rect({r.x + r.w - t, r.y + t, t, r.h - 2 * t}, color);
}

void Canvas::line(sim::Vec2 a, sim::Vec2 b, Color color, float thickness) {
    const SDL_FPoint pa = px(a), pb = px(b);
    const float dx = pb.x - pa.x, dy = pb.y - pa.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    const float half = std::max(0.5f, thickness * scale_ * 0.5f);
    const float nx = -dy / len * half, ny = dx / len * half;
    const SDL_Color c = sdl(color);
    scratch_.clear();
    const SDL_Vertex v0{{pa.x + nx, pa.y + ny}, c, {}}, v1{{pb.x + nx, pb.y + ny}, c, {}};
    const SDL_Vertex v2{{pb.x - nx, pb.y - ny}, c, {}}, v3{{pa.x - nx, pa.y - ny}, c, {}};
    scratch_ = {v0, v1, v2, v0, v2, v3};
    triangles(scratch_);
}

void Canvas::fill_circle(sim::Vec2 centre, float radius, Color color) {
    const SDL_FPoint c = px(centre);
    const float r = radius * scale_;
    const int n = circle_segments(r);
    const SDL_Color col = sdl(color);
    scratch_.clear();
    for (int i = 0; i < n; ++i) {
        const float a0 = 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
        const float a1 = 6.2831853f * static_cast<float>(i + 1) / static_cast<float>(n);
        scratch_.push_back({c, col, {}});
        scratch_.push_back({{c.x + r * std::cos(a0), c.y + r * std::sin(a0)}, col, {}});
        scratch_.push_back({{c.x + r * std::cos(a1), c.y + r * std::sin(a1)}, col, {}});
    }
    triangles(scratch_);
}

void Canvas::ring(sim::Vec2 centre, float radius, float thickness, Color color) {
    const SDL_FPoint c = px(centre);
    const float outer = radius * scale_;
    const float inner = std::max(0.0f, (radius - thickness) * scale_);
    const int n = circle_segments(outer);
    const SDL_Color col = sdl(color);
    scratch_.clear();
    for (int i = 0; i < n; ++i) {
        const float a0 = 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
        const float a1 = 6.2831853f * static_cast<float>(i + 1) / static_cast<float>(n);
        const SDL_FPoint o0{c.x + outer * std::cos(a0), c.y + outer * std::sin(a0)};
        const SDL_FPoint o1{c.x + outer * std::cos(a1), c.y + outer * std::sin(a1)};
        const SDL_FPoint i0{c.x + inner * std::cos(a0), c.y + inner * std::sin(a0)};
        const SDL_FPoint i1{c.x + inner * std::cos(a1), c.y + inner * std::sin(a1)};
        scratch_.push_back({o0, col, {}});
        scratch_.push_back({o1, col, {}});
        scratch_.push_back({i1, col, {}});
        scratch_.push_back({o0, col, {}});
        scratch_.push_back({i1, col, {}});
        scratch_.push_back({i0, col, {}});
    }
    triangles(scratch_);
}

TTF_Font* Canvas::font(Face face, int pixels) {
    const auto key = std::make_pair(face, pixels);
    if (auto it = fonts_.find(key); it != fonts_.end()) return it->second;
    const std::string& path = face == Face::Bold ? files_.bold : face == Face::Mono ? files_.mono : files_.regular;
    TTF_Font* f = TTF_OpenFont(path.c_str(), pixels);
    if (f) TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    fonts_.emplace(key, f); // a failure is remembered too: no retry every frame
    return f;
}

const Canvas::Texture* Canvas::text_texture(std::string_view text, const TextStyle& style) {
    if (text.empty()) return nullptr;
    const int pixels = std::max(6, static_cast<int>(std::lround(style.size * scale_)));
    const auto key = std::make_tuple(style.face, pixels, std::string(text));
    if (auto it = texts_.find(key); it != texts_.end()) {
        it->second.used = frame_;
        return &it->second;
    }
    TTF_Font* f = font(style.face, pixels);
    if (!f) return nullptr;
    SDL_Surface* surface = TTF_RenderUTF8_Blended(f, std::get<2>(key).c_str(), SDL_Color{255, 255, 255, 255});
    if (!surface) return nullptr;
    Texture t;
    t.texture = SDL_CreateTextureFromSurface(renderer_, surface);
    t.w = surface->w;
    t.h = surface->h;
    t.used = frame_;
    SDL_FreeSurface(surface);
    if (!t.texture) return nullptr;
    SDL_SetTextureBlendMode(t.texture, SDL_BLENDMODE_BLEND);
    return &texts_.emplace(key, t).first->second;
}

sim::Vec2 Canvas::measure(std::string_view text, const TextStyle& style) {
    const Texture* t = text_texture(text, style);
    if (!t) return {0, style.size};
    return {static_cast<float>(t->w) / scale_, static_cast<float>(t->h) / scale_};
}

sim::Vec2 Canvas::text(std::string_view text, sim::Vec2 at, const TextStyle& style) {
    const Texture* t = text_texture(text, style);
    if (!t) return {0, style.size};
    float x = std::round(at.x * scale_);
    if (style.align == Align::Center) x -= static_cast<float>(t->w / 2);
    if (style.align == Align::Right) x -= static_cast<float>(t->w);
    const SDL_Rect dst{static_cast<int>(x), static_cast<int>(std::round(at.y * scale_)), t->w, t->h};
    SDL_SetTextureColorMod(t->texture, style.color.r, style.color.g, style.color.b);
    SDL_SetTextureAlphaMod(t->texture, style.color.a);
    SDL_RenderCopy(renderer_, t->texture, nullptr, &dst);
    if (record_) {
        SDL_Rect shown = dst;
        if (!clipped_ || SDL_IntersectRect(&dst, &clip_, &shown))
            record_->texts.push_back({std::string(text), {static_cast<float>(shown.x), static_cast<float>(shown.y),
                                                          static_cast<float>(shown.w), static_cast<float>(shown.h)}});
    }
    return {static_cast<float>(t->w) / scale_, static_cast<float>(t->h) / scale_};
}

std::string Canvas::fit(std::string_view text, float width, const TextStyle& style) {
    if (measure(text, style).x <= width) return std::string(text);
    std::string cut(text);
    while (!cut.empty()) {
        cut.resize(util::previous_character(cut, cut.size())); // one whole character off
        if (measure(cut + "\xe2\x80\xa6", style).x <= width) return cut + "\xe2\x80\xa6";
    }
    return {};
}

void Canvas::set_clip(const ScreenRect& r) {
    const SDL_Rect rect{static_cast<int>(r.x * scale_), static_cast<int>(r.y * scale_),
                        static_cast<int>(r.w * scale_), static_cast<int>(r.h * scale_)};
    SDL_RenderSetClipRect(renderer_, &rect);
    clipped_ = true;
    clip_ = rect;
}

void Canvas::clear_clip() {
    SDL_RenderSetClipRect(renderer_, nullptr);
    clipped_ = false;
}

void Canvas::cover(const ScreenRect& r) {
    if (!record_) return;
    const ScreenRect px{r.x * scale_, r.y * scale_, r.w * scale_, r.h * scale_};
    const auto inside = [&](const ScreenRect& a) {
        return a.x >= px.x - 1 && a.y >= px.y - 1 && a.x + a.w <= px.x + px.w + 1 && a.y + a.h <= px.y + px.h + 1;
    };
    // A text even partly under it is no longer read as drawn there (what shows
    // beside the panel is a cut-off piece, not text over text).
    const auto touches = [&](const ScreenRect& a) {
        return a.x < px.x + px.w && a.x + a.w > px.x && a.y < px.y + px.h && a.y + a.h > px.y;
    };
    std::erase_if(record_->texts, [&](const DrawnText& t) { return touches(t.rect); });
    std::erase_if(record_->widgets, [&](const DrawnWidget& w) { return inside(w.rect); });
}

} // namespace skirmish::app
