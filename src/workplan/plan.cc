#include "workplan/plan.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/text.h"
#include "workplan/input.h"
#include "workplan/render.h"

namespace parley::workplan {

using nlohmann::json;
using printable::html;
using printable::md;

namespace {

bool among(const std::string& s, std::initializer_list<const char*> set) {
  return std::any_of(set.begin(), set.end(), [&](const char* x) { return s == x; });
}

std::string item_label(const std::string& status) {
  if (status == "proposed") return "Proposed";
  if (status == "under_way") return "Under way";
  if (status == "completed") return "Completed";
  return "Open";
}

std::string activity_label(const std::string& status) { return printable::activity_status_label(status); }

const char* activity_fill(const std::string& status) {
  if (status == "held" || status == "reported") return "#2e7d32";
  if (status == "scheduled") return "#1565c0";
  if (status == "approved") return "#64b5f6";
  if (status == "not_approved") return "#e57373";
  return "#ffb74d";   // draft, in approval, returned
}

std::string comma_list(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string dates(const std::string& from, const std::string& to) {
  if (from.empty()) return "";
  if (to.empty() || to == from) return from;
  return from + " \xE2\x80\x93 " + to;
}

std::string item_heading(const PlanItem& i) {
  return i.measure_id == 0 ? std::string("Other activities") : i.code + ": " + i.title;
}

std::string leads(const PlanItem& i) {
  std::string s = comma_list(i.coordinators);
  if (!i.co_coordinators.empty()) s += (s.empty() ? "" : "; ") + std::string("co-coordinators ") + comma_list(i.co_coordinators);
  return s;
}

std::string header_line(const PlanContent& p) {
  std::vector<std::string> parts = {p.symbol, p.forum_name.empty() ? p.forum : p.forum_name + " (" + p.forum + ")",
                                    fmt::format("version {}", p.version)};
  if (!p.period_from.empty() || !p.period_to.empty())
    parts.push_back("period " + (p.period_from.empty() ? std::string("\xE2\x80\xA6") : p.period_from) + " \xE2\x80\x93 " +
                    (p.period_to.empty() ? std::string("\xE2\x80\xA6") : p.period_to));
  parts.push_back("as of " + p.as_of);
  return comma_list(parts, " \xC2\xB7 ");
}

}  // namespace

PlanInput PlanInput::parse(JsonInput& in) {
  PlanInput p;
  p.title = input::trimmed(in, "title", false, 300);
  if (p.title && p.title->empty()) in.error("title", "is blank");
  if (p.title && !is_one_line(*p.title)) in.error("title", "is one line, without control characters");
  p.period_from = input::date(in, "period_from");
  p.period_to = input::date(in, "period_to");
  if (p.period_from && p.period_to && !p.period_from->empty() && !p.period_to->empty() && *p.period_to < *p.period_from)
    in.error("period_to", "is before period_from");
  p.introduction = input::trimmed(in, "introduction", false, 20000);
  in.finish();
  return p;
}

std::string item_status(const std::vector<PlanActivity>& activities) {
  bool any_live = false, all_done = true, under_way = false;
  for (const auto& a : activities) {
    if (among(a.status, {"not_approved", "withdrawn", "draft"})) continue;
    any_live = true;
    const bool done = among(a.status, {"held", "reported"});
    all_done = all_done && done;
    under_way = under_way || done || among(a.status, {"approved", "scheduled"});
  }
  if (!any_live) return "open";
  if (all_done) return "completed";
  return under_way ? "under_way" : "proposed";
}

json plan_json(const PlanContent& p) {
  json items = json::array();
  for (const auto& i : p.items) {
    json acts = json::array();
    for (const auto& a : i.activities)
      acts.push_back({{"id", a.id}, {"kind", a.kind}, {"title", a.title}, {"status", a.status}, {"starts_on", a.starts_on},
                      {"ends_on", a.ends_on}, {"venue", a.venue}, {"online", a.online}, {"co_leads", a.co_leads}});
    items.push_back({{"measure_id", i.measure_id}, {"code", i.code}, {"title", i.title}, {"period_from", i.period_from},
                     {"period_to", i.period_to}, {"coordinators", i.coordinators}, {"co_coordinators", i.co_coordinators},
                     {"status", i.status}, {"activities", acts}});
  }
  return {{"forum", p.forum}, {"forum_name", p.forum_name}, {"symbol", p.symbol}, {"title", p.title},
          {"version", p.version}, {"period_from", p.period_from}, {"period_to", p.period_to},
          {"introduction", p.introduction}, {"as_of", p.as_of}, {"items", items}};
}

PlanContent plan_from_json(const json& j) {
  PlanContent p;
  j.at("forum").get_to(p.forum);
  j.at("forum_name").get_to(p.forum_name);
  j.at("symbol").get_to(p.symbol);
  j.at("title").get_to(p.title);
  j.at("version").get_to(p.version);
  j.at("period_from").get_to(p.period_from);
  j.at("period_to").get_to(p.period_to);
  j.at("introduction").get_to(p.introduction);
  j.at("as_of").get_to(p.as_of);
  for (const auto& ji : j.at("items")) {
    PlanItem i;
    ji.at("measure_id").get_to(i.measure_id);
    ji.at("code").get_to(i.code);
    ji.at("title").get_to(i.title);
    ji.at("period_from").get_to(i.period_from);
    ji.at("period_to").get_to(i.period_to);
    ji.at("coordinators").get_to(i.coordinators);
    ji.at("co_coordinators").get_to(i.co_coordinators);
    ji.at("status").get_to(i.status);
    for (const auto& ja : ji.at("activities")) {
      PlanActivity a;
      ja.at("id").get_to(a.id);
      ja.at("kind").get_to(a.kind);
      ja.at("title").get_to(a.title);
      ja.at("status").get_to(a.status);
      ja.at("starts_on").get_to(a.starts_on);
      ja.at("ends_on").get_to(a.ends_on);
      ja.at("venue").get_to(a.venue);
      ja.at("online").get_to(a.online);
      ja.at("co_leads").get_to(a.co_leads);
      i.activities.push_back(std::move(a));
    }
    p.items.push_back(std::move(i));
  }
  return p;
}

std::vector<std::string> plan_changes(const PlanContent& before, const PlanContent& after) {
  std::vector<std::string> out;
  std::map<std::int64_t, const PlanItem*> old_items, new_items;
  std::map<std::int64_t, std::pair<const PlanActivity*, const PlanItem*>> old_acts, new_acts;
  for (const auto& i : before.items) {
    old_items[i.measure_id] = &i;
    for (const auto& a : i.activities) old_acts[a.id] = {&a, &i};
  }
  for (const auto& i : after.items) {
    new_items[i.measure_id] = &i;
    for (const auto& a : i.activities) new_acts[a.id] = {&a, &i};
  }
  for (const auto& i : after.items) {
    if (i.measure_id == 0) continue;
    const auto it = old_items.find(i.measure_id);
    if (it == old_items.end()) out.push_back("Item added: " + item_heading(i) + ".");
    else if (it->second->status != i.status)
      out.push_back(fmt::format("Item {}: {} \xE2\x86\x92 {}.", i.code, item_label(it->second->status), item_label(i.status)));
  }
  for (const auto& i : before.items)
    if (i.measure_id != 0 && !new_items.contains(i.measure_id)) out.push_back("Item removed: " + item_heading(i) + ".");
  for (const auto& [id, ai] : new_acts) {
    const auto& [a, item] = ai;
    const auto it = old_acts.find(id);
    if (it == old_acts.end()) {
      out.push_back(fmt::format("Activity added{}: \xE2\x80\x9C{}\xE2\x80\x9D ({}).",
                                item->measure_id ? " under " + item->code : std::string(), a->title, activity_label(a->status)));
    } else if (it->second.first->status != a->status) {
      out.push_back(fmt::format("Activity \xE2\x80\x9C{}\xE2\x80\x9D: {} \xE2\x86\x92 {}.", a->title,
                                activity_label(it->second.first->status), activity_label(a->status)));
    }
  }
  for (const auto& [id, ai] : old_acts)
    if (!new_acts.contains(id)) out.push_back(fmt::format("Activity removed: \xE2\x80\x9C{}\xE2\x80\x9D.", ai.first->title));
  return out;
}

std::string plan_markdown(const PlanContent& p, const std::vector<std::string>& changes) {
  std::string out = "# " + md(p.title) + "\n\n" + md(header_line(p)) + "\n\n";
  if (!p.introduction.empty()) {
    // The introduction keeps its paragraphs; each line is escaped as text.
    for (const auto& line : split(p.introduction, '\n')) out += printable::md_line(trim(line)) + "\n";
    out += "\n";
  }
  if (!changes.empty()) {
    out += fmt::format("## Changes since version {}\n\n", p.version - 1);
    for (const auto& c : changes) out += "- " + md(c) + "\n";
    out += "\n";
  }
  out += "## Items\n\n| Item | Coordinators | Period | Status | Activities |\n|---|---|---|---|---|\n";
  for (const auto& i : p.items)
    out += fmt::format("| {} | {} | {} | {} | {} |\n", md(item_heading(i)), md(leads(i)), md(dates(i.period_from, i.period_to)),
                       item_label(i.status), i.activities.size());
  for (const auto& i : p.items) {
    out += "\n## " + md(item_heading(i)) + "\n\n";
    if (!leads(i).empty()) out += "Coordinators: " + md(leads(i)) + "  \n";
    out += "Status: " + item_label(i.status) + "\n\n";
    if (i.activities.empty()) {
      out += "No activity yet.\n";
      continue;
    }
    out += "| Activity | Kind | Dates | Venue | Co-leads | Status |\n|---|---|---|---|---|---|\n";
    for (const auto& a : i.activities)
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md(a.title), printable::kind_label(a.kind), md(dates(a.starts_on, a.ends_on)),
                         md(a.online ? (a.venue.empty() ? std::string("online") : a.venue + " and online") : a.venue),
                         md(comma_list(a.co_leads)), activity_label(a.status));
  }
  return out;
}

std::string plan_html(const PlanContent& p, const std::vector<std::string>& changes) {
  std::string b = "<h1>" + html(p.title) + "</h1>\n<p class=\"meta\">" + html(header_line(p)) + "</p>\n";
  for (const auto& para : split(p.introduction, '\n'))
    if (!trim(para).empty()) b += "<p>" + html(trim(para)) + "</p>\n";
  if (!changes.empty()) {
    b += fmt::format("<h2>Changes since version {}</h2>\n<ul>\n", p.version - 1);
    for (const auto& c : changes) b += "<li>" + html(c) + "</li>\n";
    b += "</ul>\n";
  }
  b += "<h2>Timeline</h2>\n<figure>" + plan_timeline_svg(p, "") + "</figure>\n";
  b += "<h2>Items</h2>\n<table>\n<thead><tr><th>Item</th><th>Coordinators</th><th>Period</th><th>Status</th>"
       "<th>Activities</th></tr></thead>\n<tbody>\n";
  for (const auto& i : p.items)
    b += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"status\">{}</td><td class=\"n\">{}</td></tr>\n",
                     html(item_heading(i)), html(leads(i)), html(dates(i.period_from, i.period_to)), item_label(i.status),
                     i.activities.size());
  b += "</tbody>\n</table>\n";
  for (const auto& i : p.items) {
    b += "<h3>" + html(item_heading(i)) + "</h3>\n<p>";
    if (!leads(i).empty()) b += "Coordinators: " + html(leads(i)) + ". ";
    b += "Status: " + item_label(i.status) + ".</p>\n";
    if (i.activities.empty()) {
      b += "<p class=\"empty\">No activity yet.</p>\n";
      continue;
    }
    b += "<table>\n<thead><tr><th>Activity</th><th>Kind</th><th>Dates</th><th>Venue</th><th>Co-leads</th><th>Status</th></tr>"
         "</thead>\n<tbody>\n";
    for (const auto& a : i.activities)
      b += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"status\">{}</td></tr>\n",
                       html(a.title), printable::kind_label(a.kind), html(dates(a.starts_on, a.ends_on)),
                       html(a.online ? (a.venue.empty() ? std::string("online") : a.venue + " and online") : a.venue),
                       html(comma_list(a.co_leads)), activity_label(a.status));
    b += "</tbody>\n</table>\n";
  }
  return printable::page(p.title + " (" + p.symbol + ")", b);
}

std::string plan_timeline_svg(const PlanContent& p, const std::string& link_prefix) {
  using printable::day_number;
  // The span: the plan's period, else its activities' dates, else the year of as_of.
  std::int64_t from = 0, to = 0;
  bool any = false;
  auto widen = [&](const std::string& a, const std::string& b) {
    if (a.empty()) return;
    const auto x = day_number(a), y = day_number(b.empty() ? a : b);
    from = any ? std::min(from, x) : x;
    to = any ? std::max(to, y) : y;
    any = true;
  };
  if (!p.period_from.empty() && !p.period_to.empty()) widen(p.period_from, p.period_to);
  else
    for (const auto& i : p.items) {
      widen(i.period_from, i.period_to);
      for (const auto& a : i.activities) widen(a.starts_on, a.ends_on);
    }
  if (!any) {
    const auto year = p.as_of.size() >= 4 ? p.as_of.substr(0, 4) : std::string("1970");
    from = day_number(year + "-01-01");
    to = day_number(year + "-12-31");
  }
  to = std::max(to, from + 27);

  constexpr int kMargin = 16, kLabel = 320, kChart = 620, kRow = 22, kTop = 58;
  std::size_t rows = 0;
  for (const auto& i : p.items) rows += 1 + i.activities.size();
  const int width = kMargin * 2 + kLabel + kChart;
  const int legend_y = kTop + kRow * static_cast<int>(rows) + 16;
  const int height = legend_y + 26 + kMargin;
  const double per_day = static_cast<double>(kChart) / static_cast<double>(to - from + 1);
  auto x_of = [&](std::int64_t day) { return kMargin + kLabel + static_cast<double>(std::clamp(day, from, to + 1) - from) * per_day; };

  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"'Noto Sans', 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\" role=\"img\">\n<title>{2}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"{4}\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      width, height, html(p.title + " \xE2\x80\x94 timeline"), kMargin, kMargin + 12);
  // Month ticks: every month over two years or less, else every quarter.
  const auto first = printable::date_of(from);
  int y = std::stoi(first.substr(0, 4)), m = std::stoi(first.substr(5, 2));
  const std::int64_t months = (to - from) / 30 + 1;
  const int step = months <= 24 ? 1 : 3;
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int guard = 0; guard < 400; ++guard) {
    const auto day = day_number(fmt::format("{:04}-{:02}-01", y, m));
    if (day > to) break;
    if (day >= from && (m - 1) % step == 0) {
      const double x = x_of(day);
      out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#e0e0e0\"/>", x, kTop - 14,
                         kTop + kRow * static_cast<int>(rows));
      out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"10\" fill=\"#616161\">{}{}</text>\n", x + 2, kTop - 4,
                         kMonths[m - 1], m == 1 || day == from || (day - from) < 31 ? fmt::format(" {}", y) : std::string());
    }
    if (++m > 12) m = 1, ++y;
  }
  int row = 0;
  auto row_y = [&](int r) { return kTop + r * kRow; };
  for (const auto& i : p.items) {
    const int ry = row_y(row++);
    out += fmt::format("<g><title>{}</title><text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>",
                       html(item_heading(i) + " \xC2\xB7 " + item_label(i.status)), kMargin, ry + 15,
                       html(printable::ellipsize(item_heading(i), 44)));
    if (!i.period_from.empty()) {
      const double x1 = x_of(day_number(i.period_from));
      const double x2 = x_of(day_number(i.period_to.empty() ? i.period_from : i.period_to) + 1);
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"8\" fill=\"#cfd8dc\"/>", x1, ry + 8,
                         std::max(2.0, x2 - x1));
    }
    out += "</g>\n";
    for (const auto& a : i.activities) {
      const int ay = row_y(row++);
      std::string tip = a.title + " \xC2\xB7 " + printable::kind_label(a.kind) + " \xC2\xB7 " + activity_label(a.status);
      if (!a.starts_on.empty()) tip += " \xC2\xB7 " + dates(a.starts_on, a.ends_on);
      if (!a.co_leads.empty()) tip += " \xC2\xB7 co-leads " + comma_list(a.co_leads);
      std::string g = fmt::format("<g><title>{}</title><text x=\"{}\" y=\"{}\">{}</text>", html(tip), kMargin + 14, ay + 15,
                                  html(printable::ellipsize(a.title, 42)));
      if (a.starts_on.empty()) {
        g += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#757575\" font-style=\"italic\">dates not set</text>", kMargin + kLabel + 4,
                         ay + 15);
      } else {
        const auto d1 = day_number(a.starts_on), d2 = day_number(a.ends_on.empty() ? a.starts_on : a.ends_on) + 1;
        const double x1 = x_of(d1), x2 = x_of(d2);
        g += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"14\" rx=\"2\" fill=\"{}\"/>", x1, ay + 4,
                         std::max(4.0, x2 - x1), activity_fill(a.status));
      }
      g += "</g>";
      if (!link_prefix.empty()) g = fmt::format("<a href=\"{}{}\">{}</a>", html(link_prefix), a.id, g);
      out += g + "\n";
    }
  }
  if (!p.as_of.empty() && is_date(p.as_of)) {
    const auto today = day_number(p.as_of);
    if (today >= from && today <= to)
      out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#c62828\" stroke-dasharray=\"4 3\">"
                         "<title>as of {3}</title></line>\n",
                         x_of(today), kTop - 14, kTop + kRow * static_cast<int>(rows), p.as_of);
  }
  int x = kMargin;
  for (const char* s : {"in_approval", "approved", "scheduled", "held", "not_approved"}) {
    const auto label = std::string(s) == "held" ? std::string("Held or reported") : activity_label(s);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n", x,
                       legend_y, activity_fill(s), x + 20, legend_y + 12, html(label));
    x += 36 + static_cast<int>(label.size()) * 7;
  }
  return out + "</svg>\n";
}

}  // namespace parley::workplan
