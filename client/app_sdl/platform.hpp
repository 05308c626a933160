// client/app_sdl/platform.hpp
//
// SDL2, SDL2_ttf and SDL2_image brought up and torn down in one RAII object
// made in main() and passed down (no globals): the window, its renderer,
// fullscreen and vsync switches, the preference folder, and screenshots.
//
// IMPORTANT: SDL's video calls belong to the main thread; so does this object.
#pragma once

#include "shared/util/result.hpp"

#include <SDL2/SDL.h>

#include <memory>
#include <string>

namespace skirmish::app {

struct WindowOptions {
    int width = 1280;
    int height = 720;
    bool fullscreen = false;
    bool vsync = true;
};

class Platform {
public:
    // Errors say what happened and what to try ("no display: set DISPLAY, or run scripts/play --headless").
    static util::Result<std::unique_ptr<Platform>, std::string> start(const WindowOptions& options);
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    SDL_Window* window() const noexcept { return window_; }
    SDL_Renderer* renderer() const noexcept { return renderer_; }
    std::string renderer_name() const;

    void set_fullscreen(bool on);
    void set_vsync(bool on);

    // SDL_GetPrefPath("skirmish", "skirmish-client"), with a trailing separator; empty if SDL has none.
    static std::string preference_folder();

    // Writes what the renderer shows now (call before SDL_RenderPresent): PNG,
    // or BMP when the path ends in ".bmp".
    util::Result<util::Ok, std::string> save_screenshot(const std::string& path) const;

private:
    Platform() = default;
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    bool ttf_ = false;
    bool image_ = false;
};

} // namespace skirmish::app
