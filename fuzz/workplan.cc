// Fuzz target: the work plan's request bodies (workplan/*model.h), which member states'
// focal points and secretariats send, and the matrix's renderings of what they named.
//
// The first byte picks the parser; the rest is the JSON body. A refusal is only a
// Problem (400 or 422). What is accepted holds together: dates are real dates, periods
// run forwards, statuses, kinds and outcomes are known ones, states are alpha-3 codes, a
// delegation has at most one head. Whatever the codes and names, the matrix's SVG has a
// cell per state and measure and its CSV a record per state. A work plan's and an annual
// review's documents, whatever their titles and names, never carry markup of their own,
// and a circulated plan reads back as it was written.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/problem.h"
#include "common/text.h"
#include "fuzz/property.h"
#include "workplan/activity_model.h"
#include "workplan/input.h"
#include "workplan/matrix.h"
#include "workplan/meeting_model.h"
#include "workplan/model.h"
#include "workplan/plan.h"
#include "workplan/render.h"
#include "workplan/review.h"

using namespace parley;
using namespace parley::workplan;

namespace {

bool date_or_empty(const std::optional<std::string>& d) { return !d || d->empty() || is_date(*d); }
bool states_ok(const std::optional<std::vector<std::string>>& v) {
  if (!v) return true;
  for (const auto& s : *v)
    if (!is_alpha3(s)) return false;
  return true;
}

void matrix_of(const MeasureInput& m) {
  Measure x;
  x.id = 1;
  x.code = m.code.value_or("M");
  x.title = m.title.value_or("T");
  std::vector<Matrix::Row> rows;
  for (const auto& s : m.coordinators.value_or(std::vector<std::string>{})) rows.push_back({s, x.title});
  Report r;
  r.id = 1;
  r.measure_id = 1;
  r.state = rows.empty() ? "" : rows.front().state;
  r.status = "implemented";
  r.as_of = m.period_from.value_or("");
  const auto matrix = build_matrix("F", x.description, "", {x}, rows, {r}, {});
  const auto svg = matrix_svg(matrix);
  std::size_t cells = 0;
  for (auto at = svg.find("<g><title>"); at != std::string::npos; at = svg.find("<g><title>", at + 1)) ++cells;
  FUZZ_PROPERTY(cells == rows.size(), "the SVG has a cell per state and measure");
  FUZZ_PROPERTY(svg.find("<script") == std::string::npos, "names never become markup");
  const auto csv = matrix_csv(matrix);
  FUZZ_PROPERTY(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) >= rows.size() + 1, "a record per state");
}

// Every '|' of Markdown text is escaped, so that a name cannot open a table cell.
bool pipes_escaped(const std::string& md) {
  for (std::size_t i = 0; i < md.size(); ++i)
    if (md[i] == '|' && (i == 0 || md[i - 1] != '\\')) return false;
  return true;
}

void documents_of(const PlanInput& in) {
  const auto text = in.title.value_or("") + in.introduction.value_or("");
  PlanContent p;
  p.forum = "F";
  p.symbol = "F/WP/1";
  p.version = 1;
  p.title = in.title.value_or("T");
  p.period_from = in.period_from.value_or("");
  p.period_to = in.period_to.value_or("");
  p.introduction = in.introduction.value_or("");
  p.as_of = p.period_from.empty() ? "2026-06-01" : p.period_from;
  PlanItem item{1, p.title, text, p.period_from, p.period_to, {"AUS"}, {}, "", {}};
  item.activities.push_back({2, "workshop", text, "scheduled", p.period_from, p.period_to, p.introduction, true, {"SGP"}});
  item.status = item_status(item.activities);
  p.items.push_back(item);
  FUZZ_PROPERTY(plan_json(plan_from_json(plan_json(p))) == plan_json(p), "a circulated plan reads back as written");
  const auto html = plan_html(p, {text});
  const auto svg = plan_timeline_svg(p, "#/workplan/activities/");
  FUZZ_PROPERTY(html.find("<script") == std::string::npos && svg.find("<script") == std::string::npos, "names never become markup");
  FUZZ_PROPERTY(svg.find("href=\"#/workplan/activities/2\"") != std::string::npos, "the activity is linked");
  FUZZ_PROPERTY(pipes_escaped(printable::md(text)), "Markdown text escapes its pipes");
  Review r;
  r.forum = "F";
  r.year = 2026;
  r.measures = 1;
  StateYear s;
  s.state = "AUS";
  s.name = text;
  s.end["implemented"] = 1;
  s.changes.push_back({p.title, "not_reported", "implemented"});
  r.states.push_back(s);
  r.held.push_back({2, "workshop", text, "held", p.period_from, p.period_to, "", {"SGP"}, text, 3});
  const auto page = review_html(r);
  FUZZ_PROPERTY(page.find("<script") == std::string::npos, "a review's names never become markup");
  FUZZ_PROPERTY(review_markdown(r).find(printable::md(text)) != std::string::npos, "a review names each state, escaped");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto which = data[0] % 10;
  const auto body = parley::fuzz::text_of(data + 1, size - 1);
  try {
    auto in = JsonInput::parse(body);
    switch (which) {
      case 0: {
        const auto m = MeasureInput::parse(in, data[0] & 0x10);
        FUZZ_PROPERTY(date_or_empty(m.period_from) && date_or_empty(m.period_to), "a measure's period is made of dates");
        if (m.period_from && m.period_to && !m.period_from->empty() && !m.period_to->empty())
          FUZZ_PROPERTY(*m.period_from <= *m.period_to, "a period runs forwards");
        FUZZ_PROPERTY(states_ok(m.coordinators) && states_ok(m.co_coordinators), "coordinators are states");
        matrix_of(m);
        break;
      }
      case 1: {
        const auto r = ReportInput::parse(in);
        FUZZ_PROPERTY(is_status(r.status), "a report has a known status");
        FUZZ_PROPERTY(!r.as_of || is_date(*r.as_of), "a report speaks for a date");
        for (const auto& e : r.evidence) FUZZ_PROPERTY(e.id > 0 && (e.kind == "contribution" || e.kind == "activity"), "evidence is known");
        break;
      }
      case 2: {
        const auto m = MeetingInput::parse(in, data[0] & 0x10);
        FUZZ_PROPERTY(date_or_empty(m.starts_on) && date_or_empty(m.ends_on) && date_or_empty(m.registration_deadline), "dates");
        if (m.online_url && !m.online_url->empty()) FUZZ_PROPERTY(m.online_url->rfind("https://", 0) == 0, "links are https");
        for (const auto& a : m.agenda.value_or(std::vector<AgendaItem>{}))
          FUZZ_PROPERTY(!a.title.empty() && (a.cites.kind.empty() || input::one_of(kCitedKinds, a.cites.kind)), "agenda items");
        break;
      }
      case 3: {
        const auto d = parse_delegation(in);
        FUZZ_PROPERTY(std::count_if(d.begin(), d.end(), [](const Delegate& x) { return x.head; }) <= 1, "one head at most");
        for (const auto& x : d) FUZZ_PROPERTY(!x.name.empty(), "delegates have names");
        break;
      }
      case 4: {
        const auto d = parse_decision(in);
        FUZZ_PROPERTY(!d.wording.empty(), "a decision has its wording");
        FUZZ_PROPERTY(d.outcome.empty() || (input::one_of(kOutcomes, d.outcome) && !d.acts_on.kind.empty()), "outcomes act on something");
        break;
      }
      case 5: {
        const auto a = ActivityInput::parse(in, data[0] & 0x10);
        FUZZ_PROPERTY(!a.kind || input::one_of(kActivityKinds, *a.kind), "an activity's kind is known");
        FUZZ_PROPERTY(states_ok(a.co_leads) && (!a.co_leads || !a.co_leads->empty()), "co-leads are states");
        break;
      }
      case 6: {
        const auto r = RulesInput::parse(in);
        FUZZ_PROPERTY(!r.min_co_leads || (*r.min_co_leads >= 1 && *r.min_co_leads <= 10), "co-leads asked for");
        break;
      }
      case 7: {
        const auto r = ActivityReport::parse(in);
        for (const auto& [state, n] : r.participants) FUZZ_PROPERTY(is_alpha3(state) && n >= 0, "participants by state");
        break;
      }
      case 9: {
        const auto p = PlanInput::parse(in);
        if (p.period_from && p.period_to && !p.period_from->empty() && !p.period_to->empty())
          FUZZ_PROPERTY(*p.period_from <= *p.period_to, "a plan's period runs forwards");
        FUZZ_PROPERTY(!p.title || !p.title->empty(), "a plan's title is not blank");
        documents_of(p);
        break;
      }
      default: {
        const auto c = CapacityInput::parse(in);
        FUZZ_PROPERTY(c.kind == "need" || c.kind == "offer", "needs and offers");
        break;
      }
    }
  } catch (const Problem& p) {
    FUZZ_PROPERTY(p.status() == 400 || p.status() == 422, "a refusal is a 400 or a 422");
  }
  return 0;
}
