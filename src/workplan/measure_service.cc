#include "workplan/measure_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "auth/people.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/membership.h"
#include "library/access.h"
#include "library/library_store.h"
#include "storage/journal.h"
#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/measure_store.h"

namespace parley::workplan {

using auth::Principal;
using auth::Role;
using library::Reader;
using nlohmann::json;
using storage::Connection;

namespace {

using library::forum_or_default;

void require_readable_forum(const Reader& r, const std::string& forum) { require_workplan_reader(r, forum, "measures"); }

Measure load_readable(Connection& c, const Reader& r, std::int64_t id) {
  auto m = MeasureStore::measure(c, id);
  if (!m || !can_read_workplan(r, m->forum)) throw Problem::not_found("There is no measure " + std::to_string(id) + " for you.");
  return *m;
}

// Coordinators must be states of the forum.
void check_coordinators(Connection& c, const Measure& m) {
  std::vector<FieldError> errors;
  for (const auto& s : m.coordinators)
    if (!directory::membership::is_member(c, m.forum, s)) errors.push_back({"coordinators", s + " is not a member of " + m.forum});
  for (const auto& s : m.co_coordinators)
    if (!directory::membership::is_member(c, m.forum, s))
      errors.push_back({"co_coordinators", s + " is not a member of " + m.forum});
  for (const auto& s : m.co_coordinators)
    if (std::find(m.coordinators.begin(), m.coordinators.end(), s) != m.coordinators.end())
      errors.push_back({"co_coordinators", s + " is a coordinator already"});
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
}

json render_measure(const Measure& m) {
  return {{"id", m.id},
          {"forum", m.forum},
          {"code", m.code},
          {"title", m.title},
          {"description", m.description},
          {"period_from", m.period_from},
          {"period_to", m.period_to},
          {"position", m.position},
          {"coordinators", m.coordinators},
          {"co_coordinators", m.co_coordinators},
          {"created_at", rfc3339_from_ms(m.created_at)},
          {"updated_at", rfc3339_from_ms(m.updated_at)}};
}

json measure_facts(const Measure& m) {
  return {{"forum", m.forum},           {"code", m.code},          {"title", m.title},
          {"period_from", m.period_from}, {"period_to", m.period_to}, {"coordinators", m.coordinators},
          {"co_coordinators", m.co_coordinators}};
}

// What the reader sees of reports: the evidence it may read, the reporters' names.
class ReportRenderer {
 public:
  ReportRenderer(Connection& c, const Reader& r, const std::vector<Report>& reports) : c_(c), r_(r) {
    std::vector<std::int64_t> ids;
    for (const auto& x : reports) ids.push_back(x.reported_by);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const auto& p : auth::people::by_ids(c, ids)) names_[p.id] = p.display_name;
  }

  json operator()(const Report& x) {
    json evidence = json::array();
    std::size_t withheld = 0;
    for (const auto& e : x.evidence) {
      if (e.kind == "contribution")
        if (auto title = contribution_title(e.id)) {
          evidence.push_back({{"kind", e.kind}, {"id", e.id}, {"title", *title}});
          continue;
        }
      if (e.kind == "activity")
        if (const auto a = ActivityStore::activity(c_, e.id)) {   // the forum's, as the report is
          evidence.push_back({{"kind", e.kind}, {"id", e.id}, {"title", a->title}, {"status", a->status}});
          continue;
        }
      ++withheld;
    }
    return {{"id", x.id},
            {"measure_id", x.measure_id},
            {"state", x.state},
            {"status", x.status},
            {"note", x.note},
            {"as_of", x.as_of},
            {"evidence", evidence},
            {"evidence_withheld", withheld},
            {"reported_by", names_.contains(x.reported_by) ? names_[x.reported_by] : std::string()},
            {"reported_at", rfc3339_from_ms(x.reported_at)}};
  }

 private:
  std::optional<std::string> contribution_title(std::int64_t id) {
    if (auto it = titles_.find(id); it != titles_.end()) return it->second;
    std::optional<std::string> title;
    const auto s = library::LibraryStore::contribution(c_, id);
    if (s && library::can_read(r_, library::facts_of(*s))) title = s->row.title;
    return titles_[id] = title;
  }

  Connection& c_;
  const Reader& r_;
  std::map<std::int64_t, std::string> names_;
  std::map<std::int64_t, std::optional<std::string>> titles_;
};

}  // namespace

std::vector<Matrix::Row> member_rows(Connection& c, const std::string& forum) {
  const auto states = directory::membership::member_states(c, forum);
  const auto names = directory::membership::state_names(c, states);
  std::vector<Matrix::Row> rows;
  for (const auto& s : states) rows.push_back({s, names.contains(s) ? names.at(s) : s});
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return rows;
}

MeasureService::MeasureService(storage::Database& db, TimeSource& time) : db_(db), time_(time) {}

json MeasureService::list(const Principal& who, const std::string& forum_param) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    require_readable_forum(r, forum);
    json items = json::array();
    for (const auto& m : MeasureStore::measures(c, forum)) items.push_back(render_measure(m));
    return json{{"forum", forum},
                {"items", items},
                {"can_manage", library::forum_secretariat(r, forum)},
                {"can_report", library::forum_secretariat(r, forum) || library::member_focal_point(r, forum)}};
  });
}

json MeasureService::create(const Principal& who, const MeasureInput& in) {
  auth::require_role(who, {Role::kSecretariat}, "add measures to a forum's catalogue");
  const auto now = time_.now_ms();
  const auto id = db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = *in.forum;
    require_readable_forum(r, forum);
    require_secretariat(r, forum, "keeps its catalogue of measures");
    Measure m;
    m.forum = forum;
    m.code = *in.code;
    m.title = *in.title;
    m.description = in.description.value_or("");
    m.period_from = in.period_from.value_or("");
    m.period_to = in.period_to.value_or("");
    m.coordinators = in.coordinators.value_or(std::vector<std::string>{});
    m.co_coordinators = in.co_coordinators.value_or(std::vector<std::string>{});
    m.position = in.position ? *in.position : MeasureStore::next_position(c, forum);
    check_coordinators(c, m);
    if (auto existing = MeasureStore::find(c, forum, m.code))
      throw Problem::conflict("The catalogue of " + forum + " has a measure " + m.code + " already (measure " +
                                  std::to_string(*existing) + ").",
                              {{"code", "is taken by another measure of the forum"}});
    const auto id = MeasureStore::insert_measure(c, m, who.user_id, now);
    storage::Journal::append(c, who.actor(), "workplan.measure.create", "measure:" + std::to_string(id), measure_facts(m));
    return id;
  });
  return get(who, id);
}

json MeasureService::get(const Principal& who, std::int64_t id) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_readable(c, r, id);
    // Each member state's latest report: the reports come newest first.
    std::map<std::string, Report> latest;
    for (auto& x : MeasureStore::reports(c, id, ""))
      if (!latest.contains(x.state)) latest.emplace(x.state, std::move(x));
    std::vector<Report> shown;
    for (auto& [_, x] : latest) shown.push_back(x);
    ReportRenderer render(c, r, shown);
    json states = json::array();
    for (const auto& row : member_rows(c, m.forum)) {
      json s = {{"state", row.state}, {"name", row.name}, {"report", nullptr}};
      if (auto it = latest.find(row.state); it != latest.end()) s["report"] = render(it->second);
      states.push_back(std::move(s));
    }
    auto j = render_measure(m);
    j["states"] = std::move(states);
    j["can_manage"] = library::forum_secretariat(r, m.forum);
    j["can_report"] = library::forum_secretariat(r, m.forum) || library::member_focal_point(r, m.forum);
    return j;
  });
}

json MeasureService::update(const Principal& who, std::int64_t id, const MeasureInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto m = load_readable(c, r, id);
    require_secretariat(r, m.forum, "keeps its catalogue of measures");
    if (in.code) m.code = *in.code;
    if (in.title) m.title = *in.title;
    if (in.description) m.description = *in.description;
    if (in.period_from) m.period_from = *in.period_from;
    if (in.period_to) m.period_to = *in.period_to;
    if (in.position) m.position = *in.position;
    if (in.coordinators) m.coordinators = *in.coordinators;
    if (in.co_coordinators) m.co_coordinators = *in.co_coordinators;
    if (!m.period_from.empty() && !m.period_to.empty() && m.period_to < m.period_from)
      throw Problem::invalid("period_to", "is before period_from");
    check_coordinators(c, m);
    if (auto existing = MeasureStore::find(c, m.forum, m.code); existing && *existing != id)
      throw Problem::conflict("The catalogue of " + m.forum + " has a measure " + m.code + " already.",
                              {{"code", "is taken by another measure of the forum"}});
    MeasureStore::update_measure(c, m, now);
    if (in.coordinators || in.co_coordinators) MeasureStore::set_coordinators(c, id, m.coordinators, m.co_coordinators);
    storage::Journal::append(c, who.actor(), "workplan.measure.update", "measure:" + std::to_string(id), measure_facts(m));
  });
  return get(who, id);
}

json MeasureService::report(const Principal& who, std::int64_t measure_id, const ReportInput& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "report on the implementation of measures");
  const auto now = time_.now_ms();
  const auto today = rfc3339_from_ms(now).substr(0, 10);
  return db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_readable(c, r, measure_id);
    Report x;
    x.measure_id = measure_id;
    x.state = in.state.value_or(who.state);
    if (x.state.empty()) throw Problem::invalid("state", "is required: name the state the report is for");
    if (!library::forum_secretariat(r, m.forum) && !(library::member_focal_point(r, m.forum) && x.state == who.state))
      throw Problem::forbidden("A state's focal point reports its own state's implementation (or the forum's secretariat on its behalf).");
    if (!directory::membership::is_member(c, m.forum, x.state))
      throw Problem::invalid("state", x.state + " is not a member of " + m.forum);
    x.status = in.status;
    x.note = in.note;
    x.as_of = in.as_of.value_or(today);
    if (x.as_of > today) throw Problem::invalid("as_of", "is in the future: a report speaks for a day that has come");
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < in.evidence.size(); ++i) {
      const auto& e = in.evidence[i];
      if (e.kind == "activity") {
        const auto a = ActivityStore::activity(c, e.id);
        if (!a || a->forum != m.forum) errors.push_back({"evidence." + std::to_string(i) + ".id", "is not an activity of " + m.forum});
        continue;
      }
      const auto s = library::LibraryStore::contribution(c, e.id);
      if (!s || !library::can_read(r, library::facts_of(*s)))
        errors.push_back({"evidence." + std::to_string(i) + ".id", "is not a contribution to the library you may read"});
    }
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    x.evidence = in.evidence;
    x.reported_by = who.user_id;
    x.reported_at = now;
    x.id = MeasureStore::insert_report(c, x);
    json facts = {{"state", x.state}, {"status", x.status}, {"as_of", x.as_of}, {"note", x.note}};
    // How many documents it cites, not which: the ledger's readers are the forum's, and
    // a cited document only its own readers'.
    if (!x.evidence.empty()) facts["evidence"] = x.evidence.size();
    storage::Journal::append(c, who.actor(), "workplan.implementation.report", "measure:" + std::to_string(measure_id), facts);
    std::vector<Report> one{x};
    ReportRenderer render(c, r, one);
    return render(x);
  });
}

json MeasureService::reports(const Principal& who, std::int64_t measure_id, const std::string& state_param) {
  const auto state = to_upper(state_param);
  if (!state.empty() && !is_alpha3(state)) throw Problem::bad_request("Name a state by its alpha-3 code.", {{"state", "is not an ISO 3166 alpha-3 code"}});
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_readable(c, r, measure_id);
    const auto list = MeasureStore::reports(c, measure_id, state);
    ReportRenderer render(c, r, list);
    json items = json::array();
    for (const auto& x : list) items.push_back(render(x));
    return json{{"measure", render_measure(m)}, {"items", items}};
  });
}

json MeasureService::state_row(const Principal& who, const std::string& forum_param, const std::string& state_param) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    require_readable_forum(r, forum);
    const auto state = state_param.empty() ? who.state : to_upper(state_param);
    if (state.empty()) throw Problem::bad_request("Name the state.", {{"state", "is required"}});
    if (!is_alpha3(state) || !directory::membership::is_member(c, forum, state))
      throw Problem::not_found(state + " is not a member state of " + forum + ".");
    const auto reports = MeasureStore::forum_reports(c, forum, state, "");
    ReportRenderer render(c, r, reports);
    std::map<std::int64_t, json> history;   // newest first per measure
    for (auto it = reports.rbegin(); it != reports.rend(); ++it) history[it->measure_id].push_back(render(*it));
    json measures = json::array();
    for (const auto& m : MeasureStore::measures(c, forum)) {
      auto j = render_measure(m);
      j["reports"] = history.contains(m.id) ? history[m.id] : json::array();
      j["status"] = history.contains(m.id) ? history[m.id][0]["status"] : json(kNotReported);
      measures.push_back(std::move(j));
    }
    const auto name = directory::membership::state_name(c, state);
    return json{{"forum", forum},
                {"state", state},
                {"name", name.value_or(state)},
                {"measures", measures},
                {"can_report", library::forum_secretariat(r, forum) ||
                                   (library::member_focal_point(r, forum) && who.state == state)}};
  });
}

Matrix MeasureService::matrix(const Principal& who, const MatrixQuery& q) {
  const auto today = rfc3339_from_ms(time_.now_ms()).substr(0, 10);
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, q.forum);
    require_readable_forum(r, forum);
    auto filter = q.filter;
    if (!q.group.empty()) {
      const auto groups = directory::membership::groups(c, forum);
      const auto it = groups.find(q.group);
      if (it == groups.end()) throw Problem::invalid("group", q.group + " is not a group of " + forum);
      std::vector<std::string> states;
      for (const auto& s : it->second)
        if (filter.states.empty() || std::find(filter.states.begin(), filter.states.end(), s) != filter.states.end())
          states.push_back(s);
      if (states.empty()) states.push_back("");   // the intersection is empty: no state
      filter.states = std::move(states);
    }
    const auto as_of = q.as_of.empty() ? today : q.as_of;
    const auto f = directory::membership::forum(c, forum);
    return build_matrix(forum, f ? f->name : forum, as_of, MeasureStore::measures(c, forum), member_rows(c, forum),
                        MeasureStore::latest_reports(c, forum, as_of), filter);
  });
}

json MeasureService::matrix_json(const Matrix& m) {
  json measures = json::array();
  const auto totals = matrix_totals(m);
  for (std::size_t j = 0; j < m.measures.size(); ++j) {
    json t = json::object();
    for (std::size_t k = 0; k < matrix_statuses().size(); ++k) t[matrix_statuses()[k]] = totals[j][k];
    measures.push_back({{"id", m.measures[j].id}, {"code", m.measures[j].code}, {"title", m.measures[j].title}, {"totals", t}});
  }
  json states = json::array();
  for (std::size_t i = 0; i < m.states.size(); ++i) {
    json cells = json::array();
    for (const auto& cell : m.cells[i]) {
      if (!cell.shown) {
        cells.push_back(nullptr);
        continue;
      }
      json x = {{"status", cell.status}};
      if (cell.report_id) {
        x["as_of"] = cell.as_of;
        x["report_id"] = cell.report_id;
      }
      cells.push_back(std::move(x));
    }
    states.push_back({{"state", m.states[i].state}, {"name", m.states[i].name}, {"cells", cells}});
  }
  return {{"forum", m.forum}, {"forum_name", m.forum_name}, {"as_of", m.as_of},
          {"statuses", matrix_statuses()}, {"measures", measures}, {"states", states}};
}

}  // namespace parley::workplan
