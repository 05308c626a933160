// client/app/bindings.cpp
#include "client/app/bindings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace skirmish::app {
namespace {

struct ActionInfo {
    std::string_view name;
    std::string_view label;
};
constexpr std::array<ActionInfo, kActionCount> kActions{{
    {"move_up", "move up"},
    {"move_down", "move down"},
    {"move_left", "move left"},
    {"move_right", "move right"},
    {"fire", "fire"},
    {"dash", "dash"},
    {"scoreboard", "scoreboard"},
    {"chat", "chat"},
    {"menu", "menu"},
    {"net_graph", "net graph"},
    {"study_panel", "study controls"},
    {"ghosts", "ghosts"},
}};

struct CodeName {
    InputCode code;
    std::string_view name;
};
// Named codes beyond letters, digits and F-keys (which are computed).
constexpr std::array<CodeName, 34> kNames{{
    {SDL_SCANCODE_RETURN, "Enter"},       {SDL_SCANCODE_ESCAPE, "Escape"},
    {SDL_SCANCODE_BACKSPACE, "Backspace"}, {SDL_SCANCODE_TAB, "Tab"},
    {SDL_SCANCODE_SPACE, "Space"},        {SDL_SCANCODE_MINUS, "Minus"},
    {SDL_SCANCODE_EQUALS, "Equals"},      {SDL_SCANCODE_LEFTBRACKET, "LeftBracket"},
    {SDL_SCANCODE_RIGHTBRACKET, "RightBracket"}, {SDL_SCANCODE_BACKSLASH, "Backslash"},
    {SDL_SCANCODE_SEMICOLON, "Semicolon"}, {SDL_SCANCODE_APOSTROPHE, "Apostrophe"},
    {SDL_SCANCODE_GRAVE, "Grave"},        {SDL_SCANCODE_COMMA, "Comma"},
    {SDL_SCANCODE_PERIOD, "Period"},      {SDL_SCANCODE_SLASH, "Slash"},
    {SDL_SCANCODE_CAPSLOCK, "CapsLock"},  {SDL_SCANCODE_RIGHT, "Right"},
    {SDL_SCANCODE_LEFT, "Left"},          {SDL_SCANCODE_DOWN, "Down"},
    {SDL_SCANCODE_UP, "Up"},              {SDL_SCANCODE_LCTRL, "LeftCtrl"},
    {SDL_SCANCODE_LSHIFT, "LeftShift"},   {SDL_SCANCODE_LALT, "LeftAlt"},
    {SDL_SCANCODE_RCTRL, "RightCtrl"},    {SDL_SCANCODE_RSHIFT, "RightShift"},
    {SDL_SCANCODE_RALT, "RightAlt"},      {SDL_SCANCODE_KP_ENTER, "KeypadEnter"},
    {kMouseLeft, "Mouse1"},               {kMouseMiddle, "Mouse3"},
    {kMouseRight, "Mouse2"},              {kMouseX1, "Mouse4"},
    {kMouseX2, "Mouse5"},                 {kUnbound, "none"},
}};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

InputCode mouse_code(int sdl_button) {
    switch (sdl_button) {
    case 1: return kMouseLeft;
    case 2: return kMouseMiddle;
    case 3: return kMouseRight;
    case 4: return kMouseX1;
    case 5: return kMouseX2;
    default: return kUnbound;
    }
}

std::string_view name(Action action) { return kActions[static_cast<std::size_t>(action)].name; }
std::string_view label(Action action) { return kActions[static_cast<std::size_t>(action)].label; }

std::optional<Action> parse_action(std::string_view text) {
    for (std::size_t i = 0; i < kActions.size(); ++i) {
        if (iequals(kActions[i].name, text)) return static_cast<Action>(i);
    }
    return std::nullopt;
}

Bindings default_bindings() {
    Bindings b;
    b[Action::MoveUp] = {SDL_SCANCODE_W, SDL_SCANCODE_UP};
    b[Action::MoveDown] = {SDL_SCANCODE_S, SDL_SCANCODE_DOWN};
    b[Action::MoveLeft] = {SDL_SCANCODE_A, SDL_SCANCODE_LEFT};
    b[Action::MoveRight] = {SDL_SCANCODE_D, SDL_SCANCODE_RIGHT};
    b[Action::Fire] = {kMouseLeft, kUnbound};
    b[Action::Dash] = {SDL_SCANCODE_SPACE, kMouseRight};
    b[Action::Scoreboard] = {SDL_SCANCODE_TAB, kUnbound};
    b[Action::Chat] = {SDL_SCANCODE_RETURN, SDL_SCANCODE_KP_ENTER};
    b[Action::Menu] = {SDL_SCANCODE_ESCAPE, kUnbound};
    b[Action::NetGraph] = {SDL_SCANCODE_F3, SDL_SCANCODE_GRAVE};
    b[Action::StudyPanel] = {SDL_SCANCODE_F2, kUnbound};
    b[Action::Ghosts] = {SDL_SCANCODE_G, kUnbound};
    return b;
}

std::optional<Action> action_for(const Bindings& bindings, InputCode code) {
    if (code == kUnbound) return std::nullopt;
    for (std::size_t i = 0; i < kActionCount; ++i) {
        if (bindings.slots[i].primary == code || bindings.slots[i].secondary == code) return static_cast<Action>(i);
    }
    return std::nullopt;
}

Rebound bind(Bindings& bindings, Action action, int slot, InputCode code) {
    Rebound out;
    Binding& target = bindings[action];
    InputCode& place = slot == 0 ? target.primary : target.secondary;
    if (code != kUnbound) {
        for (std::size_t i = 0; i < kActionCount; ++i) {
            Binding& b = bindings.slots[i];
            for (int s = 0; s < 2; ++s) {
                InputCode& held = s == 0 ? b.primary : b.secondary;
                if (held != code || &held == &place) continue;
                held = kUnbound;
                out.taken_from = static_cast<Action>(i);
                out.taken_slot = s;
            }
        }
    }
    place = code;
    // A secondary key alone moves up to be the primary.
    if (target.primary == kUnbound && target.secondary != kUnbound) std::swap(target.primary, target.secondary);
    if (out.taken_from) {
        Binding& other = bindings[*out.taken_from];
        if (other.primary == kUnbound && other.secondary != kUnbound) std::swap(other.primary, other.secondary);
    }
    return out;
}

std::string code_name(InputCode code) {
    if (code >= SDL_SCANCODE_A && code <= SDL_SCANCODE_Z)
        return std::string(1, static_cast<char>('A' + (code - SDL_SCANCODE_A)));
    if (code >= SDL_SCANCODE_1 && code <= SDL_SCANCODE_9)
        return std::string(1, static_cast<char>('1' + (code - SDL_SCANCODE_1)));
    if (code == SDL_SCANCODE_0) return "0";
    if (code >= SDL_SCANCODE_F1 && code <= SDL_SCANCODE_F12) return fmt::format("F{}", code - SDL_SCANCODE_F1 + 1);
    for (const auto& n : kNames) {
        if (n.code == code) return std::string(n.name);
    }
    return fmt::format("#{}", code);
}

std::optional<InputCode> parse_code(std::string_view text) {
    if (text.size() == 1) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
        if (c >= 'A' && c <= 'Z') return static_cast<InputCode>(SDL_SCANCODE_A + (c - 'A'));
        if (c >= '1' && c <= '9') return static_cast<InputCode>(SDL_SCANCODE_1 + (c - '1'));
        if (c == '0') return static_cast<InputCode>(SDL_SCANCODE_0);
    }
    if (text.size() >= 2 && (text[0] == 'F' || text[0] == 'f')) {
        int n = 0;
        bool digits = text.size() <= 3;
        for (char c : text.substr(1)) {
            if (c < '0' || c > '9') digits = false;
            else n = n * 10 + (c - '0');
        }
        if (digits && n >= 1 && n <= 12) return static_cast<InputCode>(SDL_SCANCODE_F1 + n - 1);
    }
    if (text.size() >= 2 && text[0] == '#') {
        unsigned n = 0;
        for (char c : text.substr(1)) {
            if (c < '0' || c > '9' || n > kInputCodes) return std::nullopt;
            n = n * 10 + static_cast<unsigned>(c - '0');
        }
        if (n < kInputCodes) return static_cast<InputCode>(n);
        return std::nullopt;
    }
    for (const auto& n : kNames) {
        if (iequals(n.name, text)) return n.code;
    }
    return std::nullopt;
}

} // namespace skirmish::app
