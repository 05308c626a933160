// client/app_sdl/platform.cpp
#include "client/app_sdl/platform.hpp"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>

#include <fmt/format.h>

#include <cstdlib>

namespace skirmish::app {

util::Result<std::unique_ptr<Platform>, std::string> Platform::start(const WindowOptions& options) {
    std::unique_ptr<Platform> p(new Platform());
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        const bool no_display = std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr;
        return util::fail(fmt::format("cannot open a window: {}{}", SDL_GetError(),
                                      no_display ? " (no DISPLAY is set: run it in a desktop session, or use "
                                                   "scripts/play --headless for a bot match without a window)"
                                                 : ""));
    }
    if (TTF_Init() != 0) return util::fail(fmt::format("cannot start SDL2_ttf: {}", TTF_GetError()));
    p->ttf_ = true;
    if ((IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) != 0) p->image_ = true;

    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_SHOWN;
    if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    p->window_ = SDL_CreateWindow("Skirmish", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                                  options.height, flags);
    if (!p->window_) return util::fail(fmt::format("cannot create the window: {}", SDL_GetError()));
    SDL_SetWindowMinimumSize(p->window_, 640, 360);
    const Uint32 vsync = options.vsync ? SDL_RENDERER_PRESENTVSYNC : 0;
    p->renderer_ = SDL_CreateRenderer(p->window_, -1, SDL_RENDERER_ACCELERATED | vsync);
    if (!p->renderer_) p->renderer_ = SDL_CreateRenderer(p->window_, -1, SDL_RENDERER_SOFTWARE);
    if (!p->renderer_) return util::fail(fmt::format("cannot create a renderer: {}", SDL_GetError()));
    SDL_StartTextInput();
    return p;
}

Platform::~Platform() {
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    if (image_) IMG_Quit();
    if (ttf_) TTF_Quit();
    SDL_Quit();
}

std::string Platform::renderer_name() const {
    SDL_RendererInfo info{};
    if (SDL_GetRendererInfo(renderer_, &info) != 0 || !info.name) return "?";
    return info.name;
}

void Platform::set_fullscreen(bool on) { SDL_SetWindowFullscreen(window_, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0); }

void Platform::set_vsync(bool on) { SDL_RenderSetVSync(renderer_, on ? 1 : 0); }

std::string Platform::preference_folder() {
    char* path = SDL_GetPrefPath("skirmish", "skirmish-client");
    if (!path) return {};
    std::string out = path;
    SDL_free(path);
    return out;
}

util::Result<util::Ok, std::string> Platform::save_screenshot(const std::string& path) const {
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(renderer_, &w, &h) != 0 || w <= 0 || h <= 0)
        return util::fail(fmt::format("cannot read the window size: {}", SDL_GetError()));
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!surface) return util::fail(fmt::format("out of memory for a {}x{} screenshot", w, h));
    std::string error;
    if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGB24, surface->pixels, surface->pitch) != 0) {
        error = fmt::format("cannot read the window's pixels: {}", SDL_GetError());
    } else {
        const bool bmp = path.size() >= 4 && (path.ends_with(".bmp") || path.ends_with(".BMP"));
        int rc = 0;
        if (bmp) rc = SDL_SaveBMP(surface, path.c_str());
        else if (image_) rc = IMG_SavePNG(surface, path.c_str());
        else rc = -1, SDL_SetError("SDL2_image has no PNG support here: name the file .bmp");
        if (rc != 0) error = fmt::format("cannot write {}: {}", path, SDL_GetError());
    }
    SDL_FreeSurface(surface);
    if (!error.empty()) return util::fail(error);
    return util::Ok{};
}

} // namespace skirmish::app
