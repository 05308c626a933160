// client/app/bindings.hpp
//
// What each key does. Keys are bound by SCANCODE (the key's place on the
// keyboard, SDL_Scancode values, which are USB HID usage ids), so WASD is the
// same four keys on QWERTY, AZERTY or Dvorak. Mouse buttons share the code
// space above the scancodes. Every action has two slots (WASD and arrows).
// Names for the settings file come from a small table here, not from SDL, so
// this file needs no SDL call and the names do not depend on the layout.
//
// IMPORTANT: pure and SDL-call-free (only SDL's scancode enum is used).
#pragma once

#include <SDL2/SDL_scancode.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skirmish::app {

// A key (an SDL_Scancode, 1..511) or a mouse button (kMouseLeft..kMouseX2); 0 is "unbound".
using InputCode = std::uint16_t;
inline constexpr InputCode kUnbound = 0;
inline constexpr InputCode kMouseLeft = 512;
inline constexpr InputCode kMouseMiddle = 513;
inline constexpr InputCode kMouseRight = 514;
inline constexpr InputCode kMouseX1 = 515;
inline constexpr InputCode kMouseX2 = 516;
inline constexpr std::size_t kInputCodes = 517;

// A mouse button number as SDL numbers them (1 left, 2 middle, 3 right, 4, 5).
InputCode mouse_code(int sdl_button);

enum class Action : std::uint8_t {
    MoveUp,
    MoveDown,
    MoveLeft,
    MoveRight,
    Fire,
    Dash,
    Scoreboard,
    Chat,
    Menu,
    NetGraph,
    StudyPanel,
    Ghosts,
};
inline constexpr std::size_t kActionCount = 12;
// The settings-file name of an action: "move_up", "fire", ...
std::string_view name(Action action);
std::optional<Action> parse_action(std::string_view text);
// For a person: "move up", "net graph", ...
std::string_view label(Action action);

struct Binding {
    InputCode primary = kUnbound;
    InputCode secondary = kUnbound;
    friend bool operator==(const Binding&, const Binding&) = default;
};

struct Bindings {
    std::array<Binding, kActionCount> slots{};
    const Binding& operator[](Action a) const { return slots[static_cast<std::size_t>(a)]; }
    Binding& operator[](Action a) { return slots[static_cast<std::size_t>(a)]; }
    friend bool operator==(const Bindings&, const Bindings&) = default;
};

// WASD + arrows, left mouse fires, space (or right mouse) dashes, Tab, Enter,
// Esc, F3 (or `) for the net graph, F2 for the study panel, G for ghosts.
Bindings default_bindings();

// The action a key or button press triggers, if any (first match in action order).
std::optional<Action> action_for(const Bindings& bindings, InputCode code);

// What bind() did: the action and slot the code was taken from, if it was bound elsewhere.
struct Rebound {
    std::optional<Action> taken_from;
    int taken_slot = 0;
};
// Binds `code` to `action`'s slot (0 primary, 1 secondary). A code does one
// thing: if another slot (of this or another action) held it, that slot is
// cleared and named in the result. kUnbound clears the slot.
Rebound bind(Bindings& bindings, Action action, int slot, InputCode code);

// "W", "Up", "Space", "F3", "Mouse1"; unnamed codes as "#<number>"; "none" for kUnbound.
std::string code_name(InputCode code);
// Inverse of code_name(), case-insensitive; also takes "#<number>".
std::optional<InputCode> parse_code(std::string_view text);

} // namespace skirmish::app
