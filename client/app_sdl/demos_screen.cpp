// client/app_sdl/demos_screen.cpp
#include "client/app_sdl/demos_screen.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace skirmish::app {

void DemosScreen::open(const std::filesystem::path& dir) {
    folder_ = list_demos(dir);
    open_ = true;
    selected_ = 0;
    first_shown_ = 0;
    problem_.clear();
}

std::optional<std::filesystem::path> DemosScreen::draw(Frame& f) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const float w = std::min(900.0f, c.width() - 40);
    const ScreenRect box{(c.width() - w) / 2, 40, w, c.height() - 80};
    ui.panel(box, "Demos");
    c.text(c.fit(folder_.dir.string(), w - 260, {13}), {box.x + 16, box.y + 40}, {13, palette::kTextDim});
    std::optional<std::filesystem::path> chosen;
    if (ui.button({box.x + w - 226, box.y + 4, 100, 26}, "Refresh")) {
        const std::string problem = problem_;
        open(folder_.dir);
        problem_ = problem;
    }
    if (ui.button({box.x + w - 118, box.y + 4, 110, 26}, "Back")) open_ = false;

    const float row_h = 44, top = box.y + 64;
    const float bottom = box.y + box.h - (problem_.empty() ? 60 : 110);
    const std::size_t fits = static_cast<std::size_t>(std::max(1.0f, (bottom - top) / row_h));
    const auto& files = folder_.files;
    if (ui.hovered({box.x, top, w, bottom - top}) && ui.input().wheel != 0 && files.size() > fits) {
        const long step = ui.input().wheel > 0 ? -1 : 1;
        first_shown_ = static_cast<std::size_t>(
            std::clamp<long>(static_cast<long>(first_shown_) + step, 0, static_cast<long>(files.size() - fits)));
    }
    float y = top;
    if (files.empty()) draw_wrapped(c, folder_.note, {box.x + 16, y}, w - 32, {14, palette::kTextDim});
    for (std::size_t i = first_shown_; i < files.size() && i < first_shown_ + fits; ++i) {
        const DemoFile& file = files[i];
        const ScreenRect row{box.x + 8, y, w - 16, row_h - 4};
        if (ui.list_row(row, i == selected_)) {
            if (ui.input().double_click && selected_ == i) chosen = file.path;
            selected_ = i;
        }
        c.text(c.fit(file.name, w * 0.6f, {15}), {row.x + 10, row.y + 3}, {15, palette::kText, Face::Bold});
        const bool bad = !file.problem.empty();
        c.text(c.fit(bad ? file.problem : file.summary, w - 40, {12}), {row.x + 10, row.y + 22},
               {12, bad ? palette::kBad : palette::kTextDim});
        y += row_h;
    }
    if (!files.empty() && !folder_.note.empty())
        c.text(folder_.note, {box.x + 16, bottom + 4}, {12, palette::kTextDim});
    if (!problem_.empty()) draw_wrapped(c, problem_, {box.x + 16, bottom + 22}, w - 180, {14, palette::kBad});
    const bool can_play = selected_ < files.size() && files[selected_].problem.empty();
    if (ui.button({box.x + w - 150, box.y + box.h - 50, 134, 36}, "Play", can_play, true) ||
        (ui.input().enter && can_play))
        chosen = files[selected_].path;
    c.text("Click picks \xc2\xb7 double-click or Enter plays \xc2\xb7 Esc back", {box.x + 16, box.y + box.h - 40},
           {12, palette::kTextDim});
    return chosen;
}

} // namespace skirmish::app
