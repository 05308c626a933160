// client/app_sdl/demos_screen.hpp
//
// The connect screen's "Demos" list: the .skdemo files in the demos folder
// (the client's data folder's demos/, or --demo-dir / the demo_dir setting),
// newest first, each with its map, match, date and size, or why it cannot be
// played (another rules version, damaged). A click picks one, Play or a
// double-click plays it; a demo that cannot be played says why, in red.
//
// IMPORTANT: draws and acts through a Frame; the folder is read when the list
// opens and on Refresh, never per frame.
#pragma once

#include "client/app/demo_files.hpp"
#include "client/app_sdl/frame.hpp"

#include <optional>

namespace skirmish::app {

class DemosScreen {
public:
    void open(const std::filesystem::path& dir);
    void close() { open_ = false; }
    bool is_open() const noexcept { return open_; }
    // Says why the last demo chosen could not be played.
    void set_problem(std::string problem) { problem_ = std::move(problem); }
    // Draws the list; returns the file the person chose to play, if any.
    std::optional<std::filesystem::path> draw(Frame& frame);

private:
    DemoFolder folder_;
    bool open_ = false;
    std::size_t selected_ = 0;
    std::size_t first_shown_ = 0;
    std::string problem_;
};

} // namespace skirmish::app
