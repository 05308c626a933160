// client/app_sdl/study_panel.cpp
#include "client/app_sdl/study_panel.hpp"

#include <fmt/format.h>

#include <cmath>

namespace skirmish::app {
namespace {

// One line under a switch: what the student is looking at.
void caption(Canvas& c, float x, float y, float w, const std::string& text) {
    const TextStyle style{12, palette::kTextDim};
    c.text(c.fit(text, w, style), {x, y}, style);
}

} // namespace

ScreenRect StudyPanel::area(const Canvas& c) { return {c.width() - kWidth - 12, 52, kWidth, c.height() - 64}; }

void StudyPanel::load(const Session& session) {
    const net::LinkConditions& up = session.conditions().up;
    latency_ms_ = up.latency_ms;
    jitter_ms_ = up.jitter_ms;
    loss_pct_ = up.loss_pct;
    dup_pct_ = up.dup_pct;
}

void StudyPanel::apply_conditions(Frame& f) {
    net::ConditionerConfig config = f.session.conditions();
    for (net::LinkConditions* l : {&config.up, &config.down}) {
        l->latency_ms = latency_ms_;
        l->jitter_ms = jitter_ms_;
        l->loss_pct = loss_pct_;
        l->dup_pct = dup_pct_;
    }
    auto r = f.session.set_conditions(config);
    problem_ = r ? std::string() : r.error();
}

float StudyPanel::draw_link(Frame& f, float x, float y, float w) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    c.text("THIS CLIENT'S LINK, EACH WAY", {x, y}, {12, palette::kTextDim, Face::Bold});
    y += 18;
    bool changed = false;
    changed |= ui.slider({x, y, w, 40}, "latency", "Latency (one way)", latency_ms_, 0, 300, 5, "ms");
    y += 42;
    changed |= ui.slider({x, y, w, 40}, "jitter", "Jitter", jitter_ms_, 0, 100, 1, "ms");
    y += 42;
    changed |= ui.slider({x, y, w, 40}, "loss", "Loss", loss_pct_, 0, 30, 0.5, "%");
    y += 42;
    changed |= ui.slider({x, y, w, 40}, "dup", "Duplication", dup_pct_, 0, 30, 0.5, "%");
    y += 42;
    if (changed) apply_conditions(f);
    if (const auto stats = f.session.relay_stats()) {
        const TextStyle mono{11, palette::kTextDim, Face::Mono};
        c.text(c.fit(fmt::format("sent up {} ({} lost), down {} ({} lost)", stats->up.delivered, stats->up.dropped,
                                 stats->down.delivered, stats->down.dropped),
                     w, mono),
               {x, y}, mono);
    } else {
        c.text("applies to the next match's game traffic", {x, y}, {12, palette::kTextDim});
    }
    y += 16;
    if (!problem_.empty()) {
        caption(c, x, y, w, problem_);
        y += 16;
    }
    // The upload: every input packet repeats the inputs the server has not
    // confirmed, about a round trip's worth, so it grows with latency.
    if (const client::GameClient* game = f.session.game(); game && game->state() == client::ConnectionState::InMatch) {
        const client::NetStats& s = game->stats();
        const std::size_t copies = game->inputs_per_packet();
        c.text(fmt::format("upload {:.1f} kB/s: {} input{} in each packet", s.bytes_out_per_s / 1000.0, copies,
                           copies == 1 ? "" : "s"),
               {x, y}, {12, palette::kText});
        y += 16;
        // Two short lines: a caption must be read whole, not cut off.
        caption(c, x, y, w, fmt::format("resent until confirmed: ~{:.0f} ms of inputs", s.rtt_ms));
        y += 15;
        caption(c, x, y, w, copies > 2 ? "more latency, more copies, more upload" : "a round trip's worth in each");
        y += 16;
    }
    return y + 6;
}

float StudyPanel::draw_techniques(Frame& f, float x, float y, float w) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const client::GameClient* game = f.session.game();
    const client::NetStats stats = game ? game->stats() : client::NetStats{};
    c.text("TECHNIQUES", {x, y}, {12, palette::kTextDim, Face::Bold});
    y += 16;
    client::PredictionOptions prediction = f.session.client_options().prediction;
    client::InterpolationOptions interpolation = f.session.client_options().interpolation;
    if (ui.checkbox({x, y, w, 26}, "Prediction of my player", prediction.enabled)) f.session.set_prediction(prediction);
    y += 25;
    caption(c, x + 28, y, w - 28,
            prediction.enabled ? "I move now; the server agrees later"
                               : fmt::format("I move {:.0f} ms after my keys", stats.rtt_ms));
    y += 18;
    if (ui.checkbox({x, y, w, 26}, "Smoothing of corrections", prediction.smoothing)) f.session.set_prediction(prediction);
    y += 25;
    caption(c, x + 28, y, w - 28,
            fmt::format("{}; last {:.1f} u", prediction.smoothing ? "corrections blend" : "corrections snap",
                        stats.last_correction));
    y += 18;
    if (ui.button({x + 28, y, w - 28, 26}, "Nudge my player (a desync)", prediction.enabled && game)) {
        // Sideways, alternating: the server never hears of it, so the next
        // snapshots disagree and reconciliation pulls the player back.
        const float side = nudges_++ % 2 == 0 ? 1.0f : -1.0f;
        if (f.session.nudge_prediction({kNudge * side, 0}) > 0) {
            nudged_ = true;
            corrections_at_nudge_ = stats.corrections;
        }
    }
    y += 28;
    caption(c, x + 28, y, w - 28,
            !prediction.enabled ? "needs prediction on"
            : nudged_ && stats.corrections > corrections_at_nudge_
                ? fmt::format("corrected {:.0f} u: {}", stats.last_correction,
                              prediction.smoothing ? "blended back" : "snapped back")
            : nudged_ ? "moved 40 u; the server's word comes"
                      : "moves me 40 u; the server disagrees");
    y += 18;
    if (ui.checkbox({x, y, w, 26}, "Interpolation of others", interpolation.enabled))
        f.session.set_interpolation(interpolation);
    y += 25;
    caption(c, x + 28, y, w - 28,
            stats.extrapolating  ? "EXTRAPOLATING: no snapshot ahead"
            : interpolation.enabled ? fmt::format("others {:.0f} ms back, between snapshots", stats.interp_delay_ms)
                                    : "others jump snapshot to snapshot");
    return y + 18 + 6;
}

void StudyPanel::draw(Frame& f, StudyShow& show) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const ScreenRect a = area(c);
    ui.panel(a, "Study controls  (F2)");
    const float x = a.x + 16, w = a.w - 32;
    float y = draw_link(f, x, a.y + 42, w);
    y = draw_techniques(f, x, y, w);

    c.text("SHOW", {x, y}, {12, palette::kTextDim, Face::Bold});
    y += 16;
    ui.checkbox({x, y, w, 26}, "Ghosts: server vs drawn  (G)", show.ghosts);
    y += 25;
    caption(c, x + 28, y, w - 28, "white: server's me; rings: newest");
    y += 18;
    ui.checkbox({x, y, w, 26}, "Snapshots of others: dots", show.snapshots);
    y += 25;
    caption(c, x + 28, y, w - 28, "dots: their last 8 snapshots");
    y += 18;
    ui.checkbox({x, y, w, 26}, "My shots as the server judged", show.rewinds);
    y += 25;
    const client::GameClient* game = f.session.game();
    caption(c, x + 28, y, w - 28,
            !game || !game->view().map ? "orange: where the server checked"
            : game->view().settings.lag_compensation ? "lag comp. on: orange, rewound"
                                                     : "lag comp. off: orange, not rewound");
    if (ui.button({a.x + a.w - 76, a.y + 8, 64, 24}, "Reset")) { // a clean link, every technique on
        latency_ms_ = jitter_ms_ = loss_pct_ = dup_pct_ = 0;
        apply_conditions(f);
        f.session.set_prediction(client::PredictionOptions{});
        f.session.set_interpolation(client::InterpolationOptions{});
    }
}

} // namespace skirmish::app
