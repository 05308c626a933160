// client/app_sdl/study_panel.cpp
#include "client/app_sdl/study_panel.hpp"

#include <fmt/format.h>

namespace skirmish::app {

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

void StudyPanel::draw(Frame& f, bool& ghosts) {
    Canvas& c = f.canvas;
    Ui& ui = f.ui;
    const ScreenRect a = area(c);
    ui.panel(a, "Study controls  (F2)");
    const float x = a.x + 16, w = a.w - 32;
    float y = a.y + 46;
    c.text("THIS CLIENT'S LINK, EACH WAY", {x, y}, {12, palette::kTextDim, Face::Bold});
    y += 22;
    bool changed = false;
    changed |= ui.slider({x, y, w, 40}, "latency", "Latency (one way)", latency_ms_, 0, 300, 5, "ms");
    y += 46;
    changed |= ui.slider({x, y, w, 40}, "jitter", "Jitter", jitter_ms_, 0, 100, 1, "ms");
    y += 46;
    changed |= ui.slider({x, y, w, 40}, "loss", "Loss", loss_pct_, 0, 30, 0.5, "%");
    y += 46;
    changed |= ui.slider({x, y, w, 40}, "dup", "Duplication", dup_pct_, 0, 30, 0.5, "%");
    y += 46;
    if (changed) apply_conditions(f);
    if (const auto stats = f.session.relay_stats()) {
        c.text(fmt::format("up: {} sent, {} dropped", stats->up.delivered, stats->up.dropped), {x, y},
               {12, palette::kTextDim, Face::Mono});
        c.text(fmt::format("down: {} sent, {} dropped", stats->down.delivered, stats->down.dropped), {x, y + 16},
               {12, palette::kTextDim, Face::Mono});
    } else {
        c.text("applies to the next match's game traffic", {x, y}, {12, palette::kTextDim});
    }
    y += 40;
    if (!problem_.empty()) {
        c.text(c.fit(problem_, w, {12}), {x, y - 6}, {12, palette::kBad});
        y += 14;
    }

    c.text("TECHNIQUES", {x, y}, {12, palette::kTextDim, Face::Bold});
    y += 20;
    client::PredictionOptions prediction = f.session.client_options().prediction;
    client::InterpolationOptions interpolation = f.session.client_options().interpolation;
    if (ui.checkbox({x, y, w, 28}, "Prediction of my player", prediction.enabled)) f.session.set_prediction(prediction);
    y += 32;
    if (ui.checkbox({x, y, w, 28}, "Smoothing of corrections", prediction.smoothing)) f.session.set_prediction(prediction);
    y += 32;
    if (ui.checkbox({x, y, w, 28}, "Interpolation of others", interpolation.enabled))
        f.session.set_interpolation(interpolation);
    y += 40;
    c.text("SHOW  (G)", {x, y}, {12, palette::kTextDim, Face::Bold});
    y += 20;
    ui.checkbox({x, y, w, 28}, "Ghosts: server vs drawn", ghosts);
    y += 30;
    c.text("white ring: where the server has me", {x + 28, y}, {12, palette::kTextDim});
    c.text("coloured ring: others' newest snapshot", {x + 28, y + 16}, {12, palette::kTextDim});
    y += 44;
    if (ui.button({x, y, w, 34}, "Reset to a clean link and all on")) {
        latency_ms_ = jitter_ms_ = loss_pct_ = dup_pct_ = 0;
        apply_conditions(f);
        f.session.set_prediction(client::PredictionOptions{});
        f.session.set_interpolation(client::InterpolationOptions{});
    }
}

} // namespace skirmish::app
