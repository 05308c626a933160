// client/app_sdl/canvas.hpp
//
// Drawing in the UI's virtual pixels: the window is always 720 virtual pixels
// high (and as wide as its aspect makes it), so every screen is laid out once
// for 1280x720 and scales with the window. Shapes are drawn with
// SDL_RenderGeometry; text with SDL2_ttf at the PHYSICAL size (crisp at any
// scale), cached as textures per (face, size, text) and evicted when unused.
//
// IMPORTANT: one thread (SDL's video thread, i.e. main). The renderer and the
// font files must outlive the Canvas. begin_frame() before drawing, end_frame() after.
#pragma once

#include "client/app/camera.hpp"
#include "client/app/ui_log.hpp"
#include "client/app_sdl/palette.hpp"
#include "shared/sim/types.hpp"
#include "shared/util/result.hpp"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace skirmish::app {

inline constexpr float kVirtualHeight = 720.0f;

enum class Face : std::uint8_t { Regular, Bold, Mono };
enum class Align : std::uint8_t { Left, Center, Right };

struct TextStyle {
    float size = 16.0f; // virtual pixels
    Color color = palette::kText;
    Face face = Face::Regular;
    Align align = Align::Left;
};

struct FontFiles {
    std::string regular, bold, mono;
};
// Finds DejaVuSans, -Bold and SansMono in `folder`; the error says what to install.
util::Result<FontFiles, std::string> find_fonts(const std::string& folder);

class Canvas {
public:
    Canvas(SDL_Renderer* renderer, FontFiles fonts);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    void begin_frame();
    void end_frame();

    float width() const noexcept { return width_; }
    float height() const noexcept { return kVirtualHeight; }
    float scale() const noexcept { return scale_; }
    // Window pixels (mouse events) to virtual pixels.
    sim::Vec2 to_virtual(float x, float y) const { return {x / scale_, y / scale_}; }

    void clear(Color color);
    void fill_rect(const ScreenRect& r, Color color);
    void outline_rect(const ScreenRect& r, Color color, float thickness = 1.0f);
    void line(sim::Vec2 a, sim::Vec2 b, Color color, float thickness = 1.0f);
    void fill_circle(sim::Vec2 centre, float radius, Color color);
    void ring(sim::Vec2 centre, float radius, float thickness, Color color);

    // Draws `text` with its top at at.y and, by alignment, its left, centre or
    // right at at.x. Returns its size in virtual pixels.
    sim::Vec2 text(std::string_view text, sim::Vec2 at, const TextStyle& style);
    sim::Vec2 measure(std::string_view text, const TextStyle& style);
    // Cuts `text` (with "…") so it fits in `width`.
    std::string fit(std::string_view text, float width, const TextStyle& style);

    void set_clip(const ScreenRect& r);
    void clear_clip();

    // While set, every text drawn is appended to `record` (for --ui-log).
    void set_record(UiRecord* record) { record_ = record; }
    UiRecord* record() const noexcept { return record_; }
    // Something opaque was drawn over `r` (virtual pixels): texts recorded
    // before it that it touches, and widgets wholly inside it, are hidden and
    // leave the record.
    void cover(const ScreenRect& r);

private:
    struct Texture {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
        std::uint64_t used = 0;
    };
    TTF_Font* font(Face face, int pixels);
    const Texture* text_texture(std::string_view text, const TextStyle& style);
    void triangles(const std::vector<SDL_Vertex>& vertices);
    SDL_FPoint px(sim::Vec2 v) const { return {v.x * scale_, v.y * scale_}; }

    SDL_Renderer* renderer_;
    FontFiles files_;
    float scale_ = 1.0f;
    float width_ = 1280.0f;
    std::uint64_t frame_ = 0;
    std::map<std::pair<Face, int>, TTF_Font*> fonts_;
    std::map<std::tuple<Face, int, std::string>, Texture, std::less<>> texts_;
    std::vector<SDL_Vertex> scratch_;
    UiRecord* record_ = nullptr;
    bool clipped_ = false;
    SDL_Rect clip_{};
};

} // namespace skirmish::app
