#include "workplan/model.h"

#include <algorithm>

#include "common/text.h"
#include "workplan/input.h"

namespace parley::workplan {

using input::date;

bool is_status(const std::string& s) { return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end(); }

std::optional<std::vector<std::string>> parse_states(JsonInput& in, const std::string& key, bool required, std::size_t most) {
  auto list = in.text_list(key, required, most, 3);
  if (!list) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& s : *list) {
    auto code = to_upper(trim(s));
    if (!is_alpha3(code)) {
      in.error(key, "'" + s + "' is not an ISO 3166 alpha-3 code, like KAZ");
      continue;
    }
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(std::move(code));
  }
  return out;
}

MeasureInput MeasureInput::parse(JsonInput& in, bool creating) {
  MeasureInput m;
  if (auto f = in.text("forum", creating, 16, 1)) m.forum = to_upper(trim(*f));
  if (!creating && m.forum) in.error("forum", "a measure stays in its forum");
  if (auto s = in.text("code", creating, 32, 1)) {
    m.code = trim(*s);
    if (m.code->empty()) in.error("code", "is blank");
  }
  if (auto s = in.text("title", creating, 300, 1)) {
    m.title = trim(*s);
    if (m.title->empty()) in.error("title", "is blank");
    else if (!is_one_line(*m.title)) in.error("title", "is one line, without control characters");
  }
  if (auto s = in.text("description", false, 10000)) m.description = trim(*s);
  m.period_from = date(in, "period_from");
  m.period_to = date(in, "period_to");
  if (m.period_from && m.period_to && !m.period_from->empty() && !m.period_to->empty() && *m.period_to < *m.period_from)
    in.error("period_to", "is before period_from");
  m.position = in.integer("position", false, 0, 100000);
  m.coordinators = parse_states(in, "coordinators", false, 20);
  m.co_coordinators = parse_states(in, "co_coordinators", false, 40);
  if (m.coordinators && m.co_coordinators)
    for (const auto& s : *m.co_coordinators)
      if (std::find(m.coordinators->begin(), m.coordinators->end(), s) != m.coordinators->end())
        in.error("co_coordinators", s + " is a coordinator already");
  in.finish();
  return m;
}

ReportInput ReportInput::parse(JsonInput& in) {
  ReportInput r;
  if (auto s = in.text("state", false, 3, 3)) r.state = to_upper(*s);
  if (r.state && !is_alpha3(*r.state)) in.error("state", "is an ISO 3166 alpha-3 code, like KAZ");
  r.status = in.text("status", true, 32).value_or("");
  if (in.has("status") && !r.status.empty() && !is_status(r.status))
    in.error("status", "must be not_started, in_progress, implemented or not_applicable");
  r.note = trim(in.text("note", false, 5000).value_or(""));
  r.as_of = date(in, "as_of");
  if (r.as_of && r.as_of->empty()) r.as_of.reset();
  if (auto list = in.object_list("evidence", false, 20)) {
    for (auto& e : *list) {
      Evidence one;
      one.kind = e.text("kind", true, 16).value_or("");
      if (!one.kind.empty() && one.kind != "contribution" && one.kind != "activity")
        e.error("kind", "must be contribution (a document of the library) or activity (one of the forum's)");
      one.id = e.integer("id", true, 1, INT64_MAX).value_or(0);
      in.absorb(e);
      if (one.id && std::find(r.evidence.begin(), r.evidence.end(), one) == r.evidence.end()) r.evidence.push_back(one);
    }
  }
  in.finish();
  return r;
}

}  // namespace parley::workplan
