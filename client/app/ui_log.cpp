// client/app/ui_log.cpp
#include "client/app/ui_log.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace skirmish::app {

namespace {

nlohmann::ordered_json rect_json(const ScreenRect& r) {
    return {std::lround(r.x), std::lround(r.y), std::lround(r.w), std::lround(r.h)};
}

} // namespace

std::vector<std::string> overlapping_texts(const std::vector<DrawnText>& texts) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        for (std::size_t j = i + 1; j < texts.size(); ++j) {
            const DrawnText& a = texts[i];
            const DrawnText& b = texts[j];
            if (a.text == b.text) continue;
            const float across = std::min(a.rect.x + a.rect.w, b.rect.x + b.rect.w) - std::max(a.rect.x, b.rect.x);
            const float down = std::min(a.rect.y + a.rect.h, b.rect.y + b.rect.h) - std::max(a.rect.y, b.rect.y);
            if (across > 2 && down > 4) out.push_back("'" + a.text + "' and '" + b.text + "'");
        }
    }
    return out;
}

UiLog::UiLog(const std::string& path, util::Logger log) : path_(path), log_(std::move(log)) {
    if (path.empty()) return;
    out_.open(path, std::ios::out | std::ios::trunc);
    if (!out_) log_.warn("cannot write the UI log {}: check the folder exists and is writable", path);
}

void UiLog::offer(double t, std::string_view screen, const UiRecord& record, util::TimePoint now) {
    if (!out_.is_open()) return;
    if (now - last_write_ < std::chrono::milliseconds(100)) return;
    nlohmann::ordered_json j;
    j["screen"] = screen;
    auto& widgets = j["widgets"] = nlohmann::ordered_json::array();
    for (const DrawnWidget& w : record.widgets)
        widgets.push_back({{"kind", w.kind}, {"label", w.label}, {"rect", rect_json(w.rect)}, {"enabled", w.enabled},
                           {"active", w.active}});
    auto& texts = j["texts"] = nlohmann::ordered_json::array();
    for (const DrawnText& d : record.texts) texts.push_back({{"text", d.text}, {"rect", rect_json(d.rect)}});
    std::string body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (body == last_written_) return;
    last_write_ = now;
    nlohmann::ordered_json stamp;
    stamp["t"] = t;
    // {"t":...,"screen":... : the time first, then the frame.
    std::string line = stamp.dump();
    line.pop_back();
    line += ',' + body.substr(1);
    last_written_ = std::move(body);
    out_ << line << '\n';
    out_.flush();
    if (!out_) {
        log_.warn("writing the UI log {} failed: it stops here", path_);
        out_.close();
    }
}

} // namespace skirmish::app
