#include "workplan/meeting_model.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"
#include "common/time.h"
#include "workplan/input.h"
#include "workplan/model.h"

namespace parley::workplan {

namespace {

bool is_clock_time(const std::string& s) {
  return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[3])) &&
         std::isdigit(static_cast<unsigned char>(s[4])) && std::stoi(s.substr(0, 2)) < 24 && std::stoi(s.substr(3, 2)) < 60;
}

}  // namespace

std::optional<Cited> parse_cited(JsonInput& in, const std::string& key) {
  const auto* raw = in.raw(key);
  if (!raw) return std::nullopt;
  if (!raw->is_object()) {
    in.error(key, "is an object: {\"kind\": \"negotiation\", \"id\": 3}");
    return std::nullopt;
  }
  JsonInput nested(*raw, in.field_name(key));
  Cited c;
  c.kind = nested.text("kind", true, 16).value_or("");
  if (!c.kind.empty() && !input::one_of(kCitedKinds, c.kind)) nested.error("kind", "must be negotiation, measure, contribution or activity");
  c.id = nested.integer("id", true, 1, INT64_MAX).value_or(0);
  in.absorb(nested);
  return c;
}

BodyInput BodyInput::parse(JsonInput& in, bool creating) {
  BodyInput b;
  if (auto f = in.text("forum", creating, 16, 1)) b.forum = to_upper(trim(*f));
  if (!creating && b.forum) in.error("forum", "a body stays in its forum");
  b.code = input::trimmed(in, "code", creating, 32);
  b.name = input::line(in, "name", creating, 300);
  b.chairs = parse_states(in, "chairs", false, 4);
  b.position = in.integer("position", false, 0, 100000);
  in.finish();
  return b;
}

MeetingInput MeetingInput::parse(JsonInput& in, bool creating) {
  MeetingInput m;
  m.body_id = in.integer("body", creating, 1, INT64_MAX);
  if (!creating && m.body_id) in.error("body", "a meeting stays with its body");
  m.title = input::line(in, "title", creating, 300);
  m.starts_on = input::date(in, "starts_on", creating);
  m.ends_on = input::date(in, "ends_on", false);
  if (auto t = in.text("start_time", false, 5)) {
    if (!t->empty() && !is_clock_time(*t)) in.error("start_time", "is a time of day, HH:MM (24-hour)");
    m.start_time = *t;
  }
  if (auto z = in.text("time_zone", false, 64)) {
    if (!is_known_time_zone(*z)) in.error("time_zone", "is UTC or an IANA time zone, like Asia/Almaty");
    m.time_zone = *z;
  }
  m.place = input::trimmed(in, "place", false, 300);
  if (auto u = in.text("online_url", false, 500)) {
    const auto url = trim(*u);
    if (!url.empty() && (url.rfind("https://", 0) != 0 || url.size() < 9 ||
                         url.find_first_of(" \t\r\n\"<>\\^`{|}") != std::string::npos || has_control_chars(url)))
      in.error("online_url", "is an https:// link, without spaces");
    m.online_url = url;
  }
  m.registration_deadline = input::date(in, "registration_deadline", false);
  if (m.starts_on && m.ends_on && !m.ends_on->empty() && *m.ends_on < *m.starts_on) in.error("ends_on", "is before starts_on");
  if (auto list = in.object_list("agenda", false, 60)) {
    std::vector<AgendaItem> items;
    for (auto& e : *list) {
      AgendaItem item;
      item.id = e.integer("id", false, 1, INT64_MAX).value_or(0);   // an item that stays keeps its id
      item.title = input::line(e, "title", true, 500).value_or("");
      if (auto c = parse_cited(e, "cites")) item.cites = *c;
      in.absorb(e);
      items.push_back(std::move(item));
    }
    m.agenda = std::move(items);
  }
  in.finish();
  return m;
}

std::vector<Delegate> parse_delegation(JsonInput& in) {
  std::vector<Delegate> out;
  if (auto list = in.object_list("members", true, 40)) {
    for (auto& e : *list) {
      Delegate d;
      d.name = input::trimmed(e, "name", true, 200).value_or("");
      d.function = input::trimmed(e, "function", false, 200).value_or("");
      d.head = e.boolean("head", false).value_or(false);
      in.absorb(e);
      out.push_back(std::move(d));
    }
  }
  if (std::count_if(out.begin(), out.end(), [](const Delegate& d) { return d.head; }) > 1)
    in.error("members", "name one head of delegation");
  in.finish();
  return out;
}

Decision parse_decision(JsonInput& in) {
  Decision d;
  d.wording = input::trimmed(in, "wording", true, 5000).value_or("");
  d.agenda_item = in.integer("agenda_item", false, 1, INT64_MAX);
  if (auto c = parse_cited(in, "acts_on")) d.acts_on = *c;
  d.outcome = in.text("outcome", false, 16).value_or("");
  if (!d.outcome.empty() && !input::one_of(kOutcomes, d.outcome))
    in.error("outcome", "must be approved, returned, not_approved or taken_note");
  if (!d.outcome.empty() && d.acts_on.kind.empty()) in.error("outcome", "is the outcome of a proposal: name what it acts on");
  in.finish();
  return d;
}

}  // namespace parley::workplan
