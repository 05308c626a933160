// client/app_sdl/app_input.cpp
//
// App's input half (App is declared in app.hpp; app.cpp holds the frame loop
// and the drawing): SDL's events into the widgets' UiInput and the held keys,
// and the held keys and the mouse into the client core's InputIntent.
#include "client/app_sdl/app.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

namespace skirmish::app {

namespace {

// The text-editing meaning of a key, if it has one.
std::optional<EditPress> edit_press(const SDL_KeyboardEvent& key) {
    const bool ctrl = (key.keysym.mod & KMOD_CTRL) != 0;
    const bool shift = (key.keysym.mod & KMOD_SHIFT) != 0;
    switch (key.keysym.scancode) {
    case SDL_SCANCODE_BACKSPACE: return EditPress{EditKey::Backspace, ctrl, shift};
    case SDL_SCANCODE_DELETE: return EditPress{EditKey::Delete, ctrl, shift};
    case SDL_SCANCODE_LEFT: return EditPress{EditKey::Left, ctrl, shift};
    case SDL_SCANCODE_RIGHT: return EditPress{EditKey::Right, ctrl, shift};
    case SDL_SCANCODE_HOME: return EditPress{EditKey::Home, ctrl, shift};
    case SDL_SCANCODE_END: return EditPress{EditKey::End, ctrl, shift};
    default: break;
    }
    if (!ctrl) return std::nullopt;
    // Shortcuts follow the letter the layout puts on the key (the keycode), not its position.
    switch (key.keysym.sym) {
    case SDLK_a: return EditPress{EditKey::SelectAll};
    case SDLK_c: return EditPress{EditKey::Copy};
    case SDLK_x: return EditPress{EditKey::Cut};
    case SDLK_v: return EditPress{EditKey::Paste};
    default: return std::nullopt;
    }
}

bool is_text_key(SDL_Scancode code) {
    return code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER || code == SDL_SCANCODE_BACKSPACE ||
           code == SDL_SCANCODE_TAB || code == SDL_SCANCODE_ESCAPE;
}

// Which kind of input an event is, for keeping clicks and typing in order.
enum class InputKind : std::uint8_t { Other, Pointer, Keys };
InputKind kind_of(const SDL_Event& e) {
    switch (e.type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return InputKind::Pointer;
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT: return InputKind::Keys;
    default: return InputKind::Other;
    }
}

} // namespace

bool App::ui_wants_mouse() const {
    if (menu_open_ || settings_overlay_.is_open() || screen_ != Screen::Match) return true;
    if (study_open_) {
        const ScreenRect a = StudyPanel::area(canvas_);
        if (mouse_.x >= a.x && mouse_.y >= a.y && mouse_.x < a.x + a.w && mouse_.y < a.y + a.h) return true;
    }
    return false;
}

void App::handle_key_down(const SDL_KeyboardEvent& key, UiInput& in) {
    const SDL_Scancode code = key.keysym.scancode;
    // The settings screen waits for a key to bind: this one is it.
    if (settings_overlay_.capturing()) {
        if (!key.repeat) settings_overlay_.capture(settings_, static_cast<InputCode>(code));
        return;
    }
    // A demo played back, or the Demos list (their keys repeat: stepping).
    if (handle_playback_key(code)) return;
    // Editing keys go to whatever is being typed (and repeat); everything
    // else acts once per press.
    if (chat_open_ || (ui_.typing() && !menu_open_)) {
        if (const auto press = edit_press(key)) {
            in.edits.push_back(*press);
            return;
        }
    }
    if (key.repeat) return;
    if (handle_spectator_key(code)) return;
    const auto action = action_for(settings_.bindings, static_cast<InputCode>(code));

    // Typing a chat line in the match: Enter sends, Esc cancels, nothing else acts.
    if (chat_open_) {
        if (code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER) {
            session_.say(chat_.take());
            chat_open_ = false;
        } else if (code == SDL_SCANCODE_ESCAPE) {
            chat_.clear();
            chat_open_ = false;
        }
        return;
    }
    // A text field has the keyboard (connect screen, lobby chat, room name).
    if (ui_.typing() && !menu_open_) {
        if (code == SDL_SCANCODE_ESCAPE) {
            ui_.unfocus();
            lobby_screen_.close_dialog();
            if (settings_overlay_.is_open()) {
                settings_overlay_.close();
                apply_settings();
                save();
            }
        }
        if (code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER) in.enter = true;
        if (code == SDL_SCANCODE_TAB) in.tab = true;
        return;
    }
    if (is_text_key(code)) {
        if (code == SDL_SCANCODE_RETURN || code == SDL_SCANCODE_KP_ENTER) in.enter = true;
        if (code == SDL_SCANCODE_TAB) in.tab = true;
    }
    held_.press(static_cast<InputCode>(code));
    if (!action) return;
    switch (*action) {
    case Action::Menu:
        if (settings_overlay_.is_open()) {
            settings_overlay_.close();
            apply_settings();
            save();
            menu_open_ = true; // back where it was opened from
        } else if (lobby_screen_.creating()) {
            lobby_screen_.close_dialog();
        } else {
            menu_open_ = !menu_open_;
        }
        break;
    case Action::NetGraph: settings_.net_graph = !settings_.net_graph; break;
    case Action::StudyPanel: study_open_ = !study_open_; break;
    case Action::Ghosts:
        if (screen_ == Screen::Match) study_show_.ghosts = !study_show_.ghosts;
        break;
    case Action::Chat:
        if (menu_open_) break;
        if (screen_ == Screen::Match) {
            chat_open_ = true;
            held_.clear();
        } else if (screen_ == Screen::Lobby && !lobby_screen_.creating()) {
            lobby_screen_.focus_chat(ui_);
            in.enter = false; // opening the field is not sending it
        }
        break;
    default: break;
    }
}

void App::handle_events(UiInput& in) {
    // The widgets see one frame's input at once, so a click and typing in the
    // same frame would reach them out of order (text typed before a click on
    // another field landing in that field). On the UI's screens a frame ends
    // where the input switches between pointer and keys; the event that
    // switched waits for the next frame. A match mixes them freely.
    const bool keep_order = screen_ != Screen::Match || chat_open_ || menu_open_;
    InputKind frame_kind = InputKind::Other;
    SDL_Event e;
    bool have = false;
    if (deferred_event_) {
        e = *deferred_event_;
        deferred_event_.reset();
        have = true;
    }
    bool stop = false;
    while (!stop && (have || SDL_PollEvent(&e))) {
        have = false;
        events_this_frame_ = true;
        if (const InputKind kind = kind_of(e); keep_order && kind != InputKind::Other) {
            if (frame_kind != InputKind::Other && frame_kind != kind) {
                deferred_event_ = e;
                break;
            }
            frame_kind = kind;
        }
        switch (e.type) {
        case SDL_QUIT: quit_ = true; break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                held_.clear();
                left_down_ = false;
            }
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && !settings_.fullscreen) {
                settings_.window_width = std::max(kMinWindowWidth, e.window.data1);
                settings_.window_height = std::max(kMinWindowHeight, e.window.data2);
            }
            break;
        case SDL_KEYDOWN: handle_key_down(e.key, in); break;
        case SDL_KEYUP: held_.release(static_cast<InputCode>(e.key.keysym.scancode)); break;
        case SDL_TEXTINPUT: in.type(e.text.text); break;
        case SDL_MOUSEMOTION:
            if (relative_mouse_) {
                // Aiming with a sensitivity: the crosshair moves by the mouse's motion, scaled.
                const float k = static_cast<float>(settings_.mouse_sensitivity) / canvas_.scale();
                mouse_.x = std::clamp(mouse_.x + static_cast<float>(e.motion.xrel) * k, 0.0f, canvas_.width());
                mouse_.y = std::clamp(mouse_.y + static_cast<float>(e.motion.yrel) * k, 0.0f, canvas_.height());
            } else {
                mouse_ = canvas_.to_virtual(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y));
            }
            break;
        case SDL_MOUSEBUTTONDOWN:
            if (settings_overlay_.capturing()) {
                settings_overlay_.capture(settings_, mouse_code(e.button.button));
                break;
            }
            if (!relative_mouse_)
                mouse_ = canvas_.to_virtual(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            if (e.button.button == SDL_BUTTON_LEFT) {
                in.mouse_pressed = true;
                left_down_ = true;
                // On the UI's screens a press ends the frame: the widgets see
                // where it went down before any motion or release after it.
                if (keep_order) stop = true;
            }
            if (!ui_wants_mouse() && !chat_open_) held_.press(mouse_code(e.button.button));
            break;
        case SDL_MOUSEBUTTONUP:
            if (!relative_mouse_)
                mouse_ = canvas_.to_virtual(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            if (e.button.button == SDL_BUTTON_LEFT) {
                in.mouse_released = true;
                in.double_click = e.button.clicks >= 2;
                left_down_ = false;
            }
            held_.release(mouse_code(e.button.button));
            break;
        case SDL_MOUSEWHEEL: in.wheel += e.wheel.preciseY; break;
        default: break;
        }
    }
    in.mouse = mouse_;
    update_mouse_mode();
    in.mouse_down = left_down_; // as of the events handled, not of SDL's newest state
    in.shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
    // The match's chat line takes the typing; no widget sees it.
    if (chat_open_) {
        apply_edits(chat_, in, clipboard_);
        in.edits.clear();
    }
}

void App::update_mouse_mode() {
    // A spectator keeps the pointer: it clicks players to follow, and aims at nothing.
    const client::GameClient* game = session_.game();
    const bool spectating = game && game->view().spectating;
    const bool want = screen_ == Screen::Match && !ui_wants_mouse() && !chat_open_ && !spectating &&
                      std::abs(settings_.mouse_sensitivity - 1.0) > 1e-6;
    if (want == relative_mouse_) return;
    relative_mouse_ = want;
    SDL_SetRelativeMouseMode(want ? SDL_TRUE : SDL_FALSE);
    if (!want) {
        // The pointer comes back where the crosshair was.
        const float k = canvas_.scale();
        SDL_WarpMouseInWindow(nullptr, static_cast<int>(mouse_.x * k), static_cast<int>(mouse_.y * k));
    }
}

client::InputIntent App::intent() {
    client::InputIntent none;
    none.aim = last_aim_;
    const client::GameClient* game = session_.game();
    if (!game || screen_ != Screen::Match || menu_open_ || chat_open_) return none;
    const client::ViewPlayer* me = game->view().local();
    if (!me) return none;
    const AimPoint aim{me->state.position, match_view_.camera().to_world(mouse_)};
    client::InputIntent out = make_intent(settings_.bindings, held_, aim, last_aim_);
    last_aim_ = out.aim;
    return out;
}

} // namespace skirmish::app
