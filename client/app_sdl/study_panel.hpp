// client/app_sdl/study_panel.hpp
//
// The study controls (F2): make this client's own link worse with the
// conditioner (latency, jitter, loss, duplication, both directions), switch
// prediction, reconciliation smoothing and interpolation on and off, nudge
// the own predicted player (a local desync for reconciliation to correct),
// and show the ghosts (the server's position of the own player, the newest
// received positions of the others) and the others' raw snapshots (dots with
// a trail) and, for each of our shots, the target where the server checked
// it beside where we saw it (lag compensation). Under each switch one line says what is on screen; under the
// link, what the upload is made of. The same as the command-line flags.
//
// IMPORTANT: every change goes to the Session at once (the relay takes new
// conditions from its next datagram; the client core its new options from its next update).
#pragma once

#include "client/app_sdl/frame.hpp"

namespace skirmish::app {

struct StudyShow {
    bool ghosts = false;    // G: server vs drawn
    bool snapshots = false; // others' raw snapshot positions, dots with a trail
    bool rewinds = false;   // our shots' targets where the server checked them
};

class StudyPanel {
public:
    static constexpr float kWidth = 330.0f;
    static constexpr float kNudge = 40.0f; // world units, sideways
    // Starts from what the session runs with (the command line's values).
    void load(const Session& session);
    void draw(Frame& frame, StudyShow& show);
    static ScreenRect area(const Canvas& canvas);

private:
    void apply_conditions(Frame& f);
    float draw_link(Frame& f, float x, float y, float w);
    float draw_techniques(Frame& f, float x, float y, float w);

    double latency_ms_ = 0, jitter_ms_ = 0, loss_pct_ = 0, dup_pct_ = 0;
    std::string problem_;
    int nudges_ = 0; // alternate sides, so the player is not pushed into one wall
    std::uint64_t corrections_at_nudge_ = 0;
    bool nudged_ = false;
};

} // namespace skirmish::app
