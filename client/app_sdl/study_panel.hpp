// client/app_sdl/study_panel.hpp
//
// The study controls (F2): make this client's own link worse with the
// conditioner (latency, jitter, loss, duplication, both directions), switch
// prediction, reconciliation smoothing and interpolation on and off, and
// show the ghosts (the server's position of the own player, the newest
// received positions of the others). The same as the command-line flags.
//
// IMPORTANT: every change goes to the Session at once (the relay takes new
// conditions from its next datagram; the client core its new options from its next update).
#pragma once

#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

class StudyPanel {
public:
    static constexpr float kWidth = 330.0f;
    // Starts from what the session runs with (the command line's values).
    void load(const Session& session);
    void draw(Frame& frame, bool& ghosts);
    static ScreenRect area(const Canvas& canvas);

private:
    void apply_conditions(Frame& f);

    double latency_ms_ = 0, jitter_ms_ = 0, loss_pct_ = 0, dup_pct_ = 0;
    std::string problem_;
};

} // namespace skirmish::app
