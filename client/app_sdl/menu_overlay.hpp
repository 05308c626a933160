// client/app_sdl/menu_overlay.hpp
//
// The pause/settings menu (Esc). The game does not stop (it is online); the
// menu only takes the mouse and keyboard. Choices the app carries out.
//
// IMPORTANT: draws and returns a choice; changes nothing itself.
#pragma once

#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

enum class MenuChoice : std::uint8_t {
    None,
    Resume,
    Settings,
    NetGraph,
    StudyPanel,
    Fullscreen,
    Vsync,
    LeaveMatch,
    Disconnect,
    Quit,
};

MenuChoice draw_menu(Frame& frame, bool study_open);

} // namespace skirmish::app
