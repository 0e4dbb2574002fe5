#include "workplan/review.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "workplan/matrix.h"
#include "workplan/render.h"

namespace parley::workplan {

using nlohmann::json;
using printable::html;
using printable::md;

namespace {

std::string status_label(const std::string& s) { return status_look(s).label; }

std::string span(const std::string& from, const std::string& to) {
  if (from.empty()) return "not set";
  return to.empty() || to == from ? from : from + " \xE2\x80\x93 " + to;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string duration(std::optional<double> seconds) {
  if (!seconds) return "\xE2\x80\x94";
  const auto s = static_cast<std::int64_t>(std::llround(*seconds));
  if (s < 90) return fmt::format("{} s", s);
  if (s < 5400) return fmt::format("{} min", (s + 30) / 60);
  return fmt::format("{} h {} min", s / 3600, (s % 3600 + 30) / 60);
}

std::string rate(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "\xE2\x80\x94";
  return fmt::format("{}%", static_cast<std::int64_t>(std::llround(100.0 * static_cast<double>(part) / static_cast<double>(whole))));
}

std::int64_t count(const std::map<std::string, std::int64_t>& m, const std::string& status) {
  const auto it = m.find(status);
  return it == m.end() ? 0 : it->second;
}

// "2 → 4" when the count moved over the year, else the count.
std::string moved(const StateYear& s, const std::string& status) {
  const auto a = count(s.start, status), b = count(s.end, status);
  return a == b ? std::to_string(b) : fmt::format("{} \xE2\x86\x92 {}", a, b);
}

std::string change_text(const StateYear::Change& c) {
  return fmt::format("{}: {} \xE2\x86\x92 {}", c.measure, status_label(c.from), status_label(c.to));
}

struct Totals {
  std::int64_t checks = 0, acknowledged = 0, contributions = 0, changes = 0, reporting = 0;
};

Totals totals_of(const Review& r) {
  Totals t;
  for (const auto& s : r.states) {
    t.checks += s.checks;
    t.acknowledged += s.acknowledged;
    t.contributions += s.contributions;
    t.changes += static_cast<std::int64_t>(s.changes.size());
    if (count(s.end, kNotReported) < r.measures) ++t.reporting;
  }
  return t;
}

std::vector<std::string> figures(const Review& r) {
  const auto t = totals_of(r);
  return {fmt::format("Activities held: {}; still planned: {}.", r.held.size(), r.planned.size()),
          fmt::format("Decisions taken by the forum's bodies: {}.", r.decisions.size()),
          fmt::format("Measures: {}; member states that have reported on at least one by {}: {} of {}; changes of "
                      "status over the year: {}.",
                      r.measures, r.to, t.reporting, r.states.size(), t.changes),
          fmt::format("Communication checks: {}; states' response rate: {}.", r.checks, rate(t.acknowledged, t.checks)),
          fmt::format("Library contributions: {}.", t.contributions)};
}

std::string title_of(const Review& r) { return fmt::format("{}: annual review {}", r.forum, r.year); }

std::string meta_of(const Review& r) {
  return fmt::format("{} \xC2\xB7 {} \xE2\x80\x93 {} \xC2\xB7 generated on {}", r.forum_name.empty() ? r.forum : r.forum_name,
                     r.from, r.to, r.generated_on);
}

}  // namespace

std::optional<double> median_of(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

json review_json(const Review& r) {
  auto acts = [](const std::vector<ReviewActivity>& v) {
    json out = json::array();
    for (const auto& a : v)
      out.push_back({{"id", a.id}, {"kind", a.kind}, {"title", a.title}, {"status", a.status}, {"starts_on", a.starts_on},
                     {"ends_on", a.ends_on}, {"venue", a.venue}, {"co_leads", a.co_leads}, {"summary", a.summary},
                     {"participants", a.participants}});
    return out;
  };
  json decisions = json::array();
  for (const auto& d : r.decisions)
    decisions.push_back({{"date", d.date}, {"body", d.body}, {"meeting", d.meeting}, {"wording", d.wording}, {"outcome", d.outcome}});
  json states = json::array();
  for (const auto& s : r.states) {
    json changes = json::array();
    for (const auto& c : s.changes) changes.push_back({{"measure", c.measure}, {"from", c.from}, {"to", c.to}});
    json start = json::object(), end = json::object();
    for (const auto& st : matrix_statuses()) {
      start[st] = count(s.start, st);
      end[st] = count(s.end, st);
    }
    states.push_back({{"state", s.state},
                      {"name", s.name},
                      {"implementation", {{"start", start}, {"end", end}, {"changes", changes}}},
                      {"checks", s.checks_withheld ? json(nullptr)
                                 : json{{"addressed", s.checks},
                                        {"acknowledged", s.acknowledged},
                                        {"response_rate", s.checks ? json(static_cast<double>(s.acknowledged) / static_cast<double>(s.checks)) : json(nullptr)},
                                        {"median_seconds", s.median_seconds ? json(*s.median_seconds) : json(nullptr)}}},
                      {"contributions", s.contributions}});
  }
  const auto t = totals_of(r);
  return {{"forum", r.forum},
          {"forum_name", r.forum_name},
          {"year", r.year},
          {"from", r.from},
          {"to", r.to},
          {"generated_on", r.generated_on},
          {"summary",
           {{"activities_held", r.held.size()},
            {"activities_planned", r.planned.size()},
            {"decisions", r.decisions.size()},
            {"measures", r.measures},
            {"states", r.states.size()},
            {"states_reporting", t.reporting},
            {"status_changes", t.changes},
            {"checks", r.checks},
            {"check_response_rate", t.checks ? json(static_cast<double>(t.acknowledged) / static_cast<double>(t.checks)) : json(nullptr)},
            {"contributions", t.contributions}}},
          {"held", acts(r.held)},
          {"planned", acts(r.planned)},
          {"decisions", decisions},
          {"states", states}};
}

std::string review_markdown(const Review& r) {
  std::string o = "# " + md(title_of(r)) + "\n\n" + md(meta_of(r)) + "\n\n## In figures\n\n";
  for (const auto& f : figures(r)) o += "- " + md(f) + "\n";
  o += "\n## Activities held\n\n";
  if (r.held.empty()) o += "None.\n";
  else {
    o += "| Activity | Kind | Dates | Co-leads | Participants | Summary |\n|---|---|---|---|---|---|\n";
    for (const auto& a : r.held)
      o += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(a.title), printable::kind_label(a.kind), md(span(a.starts_on, a.ends_on)),
                       md(joined(a.co_leads)), a.participants, md(printable::ellipsize(a.summary, 300)));
  }
  o += "\n## Activities planned\n\n";
  if (r.planned.empty()) o += "None.\n";
  else {
    o += "| Activity | Kind | Dates | Co-leads | Status |\n|---|---|---|---|---|\n";
    for (const auto& a : r.planned)
      o += fmt::format("| {} | {} | {} | {} | {} |\n", md(a.title), printable::kind_label(a.kind), md(span(a.starts_on, a.ends_on)),
                       md(joined(a.co_leads)), printable::activity_status_label(a.status));
  }
  o += "\n## Decisions\n\n";
  if (r.decisions.empty()) o += "None.\n";
  else {
    o += "| Date | Body | Meeting | Decision | Outcome |\n|---|---|---|---|---|\n";
    for (const auto& d : r.decisions)
      o += fmt::format("| {} | {} | {} | {} | {} |\n", d.date, md(d.body), md(d.meeting), md(d.wording),
                       md(printable::activity_status_label(d.outcome)));
  }
  o += fmt::format("\n## Implementation of the measures\n\nMeasures by status on {} \xE2\x86\x92 {}.\n\n| State |", r.from, r.to);
  for (const auto& st : matrix_statuses()) o += fmt::format(" {} |", status_label(st));
  o += " Changes |\n|---|";
  for (std::size_t i = 0; i <= matrix_statuses().size(); ++i) o += "---|";
  o += "\n";
  for (const auto& s : r.states) {
    o += fmt::format("| {} ({}) |", md(s.name), s.state);
    for (const auto& st : matrix_statuses()) o += fmt::format(" {} |", moved(s, st));
    std::vector<std::string> lines;
    for (const auto& c : s.changes) lines.push_back(change_text(c));
    o += fmt::format(" {} |\n", md(lines.empty() ? std::string("none") : joined(lines)));
  }
  o += "\n## Communication checks\n\n| State | Checks | Acknowledged | Response rate | Median time to acknowledge |\n"
       "|---|---|---|---|---|\n";
  for (const auto& s : r.states)
    if (s.checks_withheld) o += fmt::format("| {} ({}) | the secretariat's and the state's | | | |\n", md(s.name), s.state);
    else
      o += fmt::format("| {} ({}) | {} | {} | {} | {} |\n", md(s.name), s.state, s.checks, s.acknowledged,
                       rate(s.acknowledged, s.checks), duration(s.median_seconds));
  o += "\n## Library contributions\n\n| State | Contributions |\n|---|---|\n";
  for (const auto& s : r.states) o += fmt::format("| {} ({}) | {} |\n", md(s.name), s.state, s.contributions);
  return o;
}

std::string review_html(const Review& r) {
  std::string b = "<h1>" + html(title_of(r)) + "</h1>\n<p class=\"meta\">" + html(meta_of(r)) + "</p>\n<h2>In figures</h2>\n<ul>\n";
  for (const auto& f : figures(r)) b += "<li>" + html(f) + "</li>\n";
  b += "</ul>\n<h2>Activities held</h2>\n";
  if (r.held.empty()) b += "<p class=\"empty\">None.</p>\n";
  else {
    b += "<table>\n<thead><tr><th>Activity</th><th>Kind</th><th>Dates</th><th>Co-leads</th><th>Participants</th><th>Summary</th>"
         "</tr></thead>\n<tbody>\n";
    for (const auto& a : r.held)
      b += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n", html(a.title),
                       printable::kind_label(a.kind), html(span(a.starts_on, a.ends_on)), html(joined(a.co_leads)), a.participants,
                       html(printable::ellipsize(a.summary, 300)));
    b += "</tbody>\n</table>\n";
  }
  b += "<h2>Activities planned</h2>\n";
  if (r.planned.empty()) b += "<p class=\"empty\">None.</p>\n";
  else {
    b += "<table>\n<thead><tr><th>Activity</th><th>Kind</th><th>Dates</th><th>Co-leads</th><th>Status</th></tr></thead>\n<tbody>\n";
    for (const auto& a : r.planned)
      b += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"status\">{}</td></tr>\n", html(a.title),
                       printable::kind_label(a.kind), html(span(a.starts_on, a.ends_on)), html(joined(a.co_leads)), printable::activity_status_label(a.status));
    b += "</tbody>\n</table>\n";
  }
  b += "<h2>Decisions</h2>\n";
  if (r.decisions.empty()) b += "<p class=\"empty\">None.</p>\n";
  else {
    b += "<table>\n<thead><tr><th>Date</th><th>Body</th><th>Meeting</th><th>Decision</th><th>Outcome</th></tr></thead>\n<tbody>\n";
    for (const auto& d : r.decisions)
      b += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"status\">{}</td></tr>\n", d.date, html(d.body),
                       html(d.meeting), html(d.wording), html(printable::activity_status_label(d.outcome)));
    b += "</tbody>\n</table>\n";
  }
  b += fmt::format("<h2>Implementation of the measures</h2>\n<p>Measures by status on {} \xE2\x86\x92 {}.</p>\n", r.from, r.to);
  b += "<figure>" + review_chart_svg(r, "implementation") + "</figure>\n<table>\n<thead><tr><th>State</th>";
  for (const auto& st : matrix_statuses()) b += "<th>" + std::string(status_label(st)) + "</th>";
  b += "<th>Changes</th></tr></thead>\n<tbody>\n";
  for (const auto& s : r.states) {
    b += "<tr><td>" + html(s.name) + " (" + s.state + ")</td>";
    for (const auto& st : matrix_statuses()) b += "<td class=\"n\">" + html(moved(s, st)) + "</td>";
    std::vector<std::string> lines;
    for (const auto& c : s.changes) lines.push_back(change_text(c));
    b += "<td>" + html(lines.empty() ? std::string("none") : joined(lines)) + "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n<h2>Communication checks</h2>\n<figure>" + review_chart_svg(r, "responses") +
       "</figure>\n<table>\n<thead><tr><th>State</th><th>Checks</th><th>Acknowledged</th><th>Response rate</th>"
       "<th>Median time to acknowledge</th></tr></thead>\n<tbody>\n";
  for (const auto& s : r.states)
    if (s.checks_withheld)
      b += fmt::format("<tr><td>{} ({})</td><td colspan=\"4\" class=\"empty\">the secretariat's and the state's</td></tr>\n",
                       html(s.name), s.state);
    else
      b += fmt::format("<tr><td>{} ({})</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                       html(s.name), s.state, s.checks, s.acknowledged, rate(s.acknowledged, s.checks), duration(s.median_seconds));
  b += "</tbody>\n</table>\n<h2>Library contributions</h2>\n<figure>" + review_chart_svg(r, "contributions") + "</figure>\n";
  return printable::page(title_of(r), b);
}

std::string review_chart_svg(const Review& r, const std::string& chart) {
  printable::Chart c;
  if (chart == "implementation") {
    c.title = fmt::format("{}: measures by status on {}", r.forum, r.to);
    c.scale = static_cast<double>(std::max<std::int64_t>(r.measures, 1));
    for (const auto& st : matrix_statuses()) c.legend.push_back({status_label(st), status_look(st).fill});
    for (const auto& s : r.states) {
      printable::Bar bar{s.state + " " + s.name, "", "", {}};
      for (const auto& st : matrix_statuses()) bar.segments.push_back({static_cast<double>(count(s.end, st)), status_look(st).fill});
      const auto was = count(s.start, "implemented"), now = count(s.end, "implemented");
      bar.value_text = fmt::format("{} of {} implemented{}", now, r.measures,
                                   now == was ? std::string() : fmt::format(" ({:+})", now - was));
      bar.tooltip = bar.label + ": " + bar.value_text;
      c.bars.push_back(std::move(bar));
    }
  } else if (chart == "responses") {
    c.title = fmt::format("{}: response to communication checks, {}", r.forum, r.year);
    c.scale = 1;
    for (const auto& s : r.states) {
      printable::Bar bar{s.state + " " + s.name, "", "", {}};
      if (s.checks_withheld) bar.value_text = "not shown";
      else if (s.checks) {
        bar.segments.push_back({static_cast<double>(s.acknowledged) / static_cast<double>(s.checks), "#1565c0"});
        bar.value_text = fmt::format("{} of {} ({}), median {}", s.acknowledged, s.checks, rate(s.acknowledged, s.checks),
                                     duration(s.median_seconds));
      } else {
        bar.value_text = "no check";
      }
      bar.tooltip = bar.label + ": " + bar.value_text;
      c.bars.push_back(std::move(bar));
    }
  } else {
    c.title = fmt::format("{}: library contributions, {}", r.forum, r.year);
    std::int64_t most = 1;
    for (const auto& s : r.states) most = std::max(most, s.contributions);
    c.scale = static_cast<double>(most);
    for (const auto& s : r.states) {
      printable::Bar bar{s.state + " " + s.name, "", std::to_string(s.contributions), {}};
      bar.segments.push_back({static_cast<double>(s.contributions), "#6a1b9a"});
      c.bars.push_back(std::move(bar));
    }
  }
  return printable::bar_chart(c);
}

}  // namespace parley::workplan
