#include "workplan/review_service.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/problem.h"
#include "common/time.h"
#include "directory/membership.h"
#include "hotline/check_store.h"
#include "library/access.h"
#include "library/library_store.h"
#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/matrix.h"
#include "workplan/measure_service.h"
#include "workplan/measure_store.h"
#include "workplan/meeting_store.h"
#include "workplan/render.h"

namespace parley::workplan {

using auth::Principal;
using storage::Connection;

namespace {

ReviewActivity review_activity(const Activity& a) {
  ReviewActivity x{a.id, a.kind, a.title, a.status, a.starts_on, a.ends_on, a.venue, a.co_leads, a.report_summary, 0};
  for (const auto& [state, n] : a.participants) x.participants += n;
  return x;
}

// Each state's cells by status, from a matrix.
std::map<std::string, std::map<std::string, std::int64_t>> counts_by_state(const Matrix& m) {
  std::map<std::string, std::map<std::string, std::int64_t>> out;
  for (std::size_t i = 0; i < m.states.size(); ++i)
    for (const auto& cell : m.cells[i]) ++out[m.states[i].state][cell.status];
  return out;
}

}  // namespace

ReviewService::ReviewService(storage::Database& db, TimeSource& time) : db_(db), time_(time) {}

Principal ReviewService::operator_for(const std::string& forum) {
  Principal p;
  p.username = "cli";
  p.display_name = "operator";
  p.role = auth::Role::kSecretariat;
  p.forum = forum;
  return p;
}

Review ReviewService::review(const Principal& who, const std::string& forum_param, int year) {
  const auto now = time_.now_ms();
  const auto today = rfc3339_from_ms(now).substr(0, 10);
  const int this_year = std::stoi(today.substr(0, 4));
  if (year < 2000 || year > this_year)
    throw Problem::invalid("year", fmt::format("is a year from 2000 to {}", this_year));
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    const auto f = directory::membership::forum(c, forum);
    if (!f) throw Problem::not_found("There is no forum " + forum + ".");
    require_workplan_reader(r, forum, "reviews");
    const bool secretariat = library::forum_secretariat(r, forum);
    Review rv;
    rv.forum = forum;
    rv.forum_name = f->name;
    rv.year = year;
    rv.from = fmt::format("{}-01-01", year);
    rv.to = year == this_year ? today : fmt::format("{}-12-31", year);
    rv.generated_on = today;
    const auto from_ms = printable::day_number(rv.from) * 86400000LL;
    const auto to_ms = (printable::day_number(rv.to) + 1) * 86400000LL;

    // Activities: held in the year (by their last day), and those still ahead.
    for (const auto& a : ActivityStore::activities(c, forum, "")) {
      const auto last = a.ends_on.empty() ? a.starts_on : a.ends_on;
      if ((a.status == "held" || a.status == "reported") && !last.empty() && last >= rv.from && last <= rv.to)
        rv.held.push_back(review_activity(a));
      else if ((a.status == "in_approval" || a.status == "approved" || a.status == "scheduled") && (last.empty() || last >= rv.from))
        rv.planned.push_back(review_activity(a));
    }
    auto by_date = [](const ReviewActivity& a, const ReviewActivity& b) {
      if (a.starts_on.empty() != b.starts_on.empty()) return b.starts_on.empty();
      return a.starts_on != b.starts_on ? a.starts_on < b.starts_on : a.id < b.id;
    };
    std::sort(rv.held.begin(), rv.held.end(), by_date);
    std::sort(rv.planned.begin(), rv.planned.end(), by_date);

    // Decisions of the meetings of the year.
    std::map<std::int64_t, std::string> bodies;
    for (const auto& b : MeetingStore::bodies(c, forum)) bodies[b.id] = b.code;
    for (const auto& m : MeetingStore::meetings(c, forum, 0, rv.from, rv.to)) {
      if (m.status == "cancelled" || m.starts_on > rv.to) continue;
      for (const auto& d : MeetingStore::decisions(c, m.id))
        rv.decisions.push_back({m.starts_on, bodies[m.body_id], m.title, d.wording, d.outcome});
    }

    // Implementation: the matrix on the eve of the year and at its end.
    const auto measures = MeasureStore::measures(c, forum);
    const auto rows = member_rows(c, forum);
    rv.measures = static_cast<std::int64_t>(measures.size());
    const auto eve = printable::date_of(printable::day_number(rv.from) - 1);
    const auto start = build_matrix(forum, rv.forum_name, eve, measures, rows, MeasureStore::latest_reports(c, forum, eve), {});
    const auto end = build_matrix(forum, rv.forum_name, rv.to, measures, rows, MeasureStore::latest_reports(c, forum, rv.to), {});
    auto start_counts = counts_by_state(start), end_counts = counts_by_state(end);
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      StateYear s;
      s.state = rows[i].state;
      s.name = rows[i].name;
      s.start = start_counts[s.state];
      s.end = end_counts[s.state];
      for (std::size_t j = 0; j < measures.size(); ++j)
        if (start.cells[i][j].status != end.cells[i][j].status)
          s.changes.push_back({measures[j].code, start.cells[i][j].status, end.cells[i][j].status});
      index[s.state] = rv.states.size();
      rv.states.push_back(std::move(s));
    }

    // Communication checks started in the year: each addressed member state's answer. As
    // the checks' own reports, a state's figures are the secretariat's and the state's
    // own; other readers get the forum's totals.
    std::map<std::string, std::vector<double>> seconds;
    std::set<std::int64_t> checks;
    for (const auto& x : hotline::CheckStore::responses(c, forum, from_ms, to_ms)) {
      checks.insert(x.check_id);
      const auto it = index.find(x.state);
      if (it == index.end()) continue;
      auto& s = rv.states[it->second];
      ++s.checks;
      if (x.first_ack_at) {
        ++s.acknowledged;
        seconds[x.state].push_back(static_cast<double>(std::max<std::int64_t>(0, *x.first_ack_at - x.started_at)) / 1000.0);
      }
    }
    rv.checks = static_cast<std::int64_t>(checks.size());
    for (auto& s : rv.states) {
      s.median_seconds = median_of(seconds[s.state]);
      s.checks_withheld = !secretariat && s.state != who.state;
    }

    // Library contributions submitted to the forum in the year, published, that the reader may read.
    for (const auto& [state, n] : library::LibraryStore::published_by_state(c, r, forum, rv.from, rv.to)) {
      const auto it = index.find(state);
      if (it != index.end()) rv.states[it->second].contributions = n;
    }
    return rv;
  });
}

}  // namespace parley::workplan
