// client/app/ui_log.hpp
//
// --ui-log FILE: what each screen showed, as a person would read it: every
// widget (kind, label, rectangle in window pixels, enabled, active) and
// every text with its rectangle, one JSON object per line, written when what
// is shown changes (at most ten times a second). The walking tests use it
// to find the button labelled "Disconnect" before they click it with a real
// X mouse event, and to check that no two texts on a screen overlap.
//
// IMPORTANT: main thread only; recording costs nothing when the log is off.
#pragma once

#include "client/app/camera.hpp"
#include "shared/util/clock.hpp"
#include "shared/util/log.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace skirmish::app {

struct DrawnText {
    std::string text;
    ScreenRect rect; // window pixels, cut to the clip rectangle
};

struct DrawnWidget {
    std::string kind;  // button, checkbox, slider, stepper, text_field, list_row
    std::string label; // the label shown, or the field's id
    ScreenRect rect;   // window pixels
    bool enabled = true;
    bool active = false; // focused (text field), checked (checkbox), selected (list row), held (slider)
};

// What one frame drew; the Canvas and the Ui append to it while it is set.
struct UiRecord {
    std::vector<DrawnText> texts;
    std::vector<DrawnWidget> widgets;
    void clear() {
        texts.clear();
        widgets.clear();
    }
};

// Pairs of different texts whose rectangles overlap (more than 2 pixels across
// and 4 down; the same text drawn twice, as a shadow, does not count): what a
// person sees as a layout bug. "'a' and 'b'" per pair.
std::vector<std::string> overlapping_texts(const std::vector<DrawnText>& texts);

class UiLog {
public:
    // Opens (truncates) `path`; an empty path is a log that writes nothing.
    UiLog(const std::string& path, util::Logger log);
    bool open() const noexcept { return out_.is_open(); }
    // Writes the frame if it differs from the last one written and the last
    // write is at least 100 ms old (a change held back is written later).
    void offer(double t, std::string_view screen, const UiRecord& record, util::TimePoint now);

private:
    std::ofstream out_;
    std::string path_;
    util::Logger log_;
    std::string last_written_;
    util::TimePoint last_write_{};
};

} // namespace skirmish::app
