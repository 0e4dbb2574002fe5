#include "workplan/activity_model.h"

#include <algorithm>

#include "common/text.h"
#include "workplan/input.h"
#include "workplan/meeting_model.h"
#include "workplan/model.h"

namespace parley::workplan {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

RulesInput RulesInput::parse(JsonInput& in) {
  RulesInput r;
  r.min_co_leads = in.integer("min_co_leads", false, 1, 10);
  if (auto g = in.text("co_lead_group", false, 32)) r.co_lead_group = to_upper(trim(*g));
  if (auto path = in.text_list("approval_path", false, 10, 32)) {
    std::vector<std::string> codes;
    for (const auto& c : *path) {
      const auto code = trim(c);
      if (code.empty()) in.error("approval_path", "names bodies by their codes");
      else if (input::one_of(codes, code)) in.error("approval_path", code + " appears twice");
      else codes.push_back(code);
    }
    r.approval_path = std::move(codes);
  }
  in.finish();
  return r;
}

ActivityInput ActivityInput::parse(JsonInput& in, bool creating) {
  ActivityInput a;
  if (auto f = in.text("forum", creating, 16, 1)) a.forum = to_upper(trim(*f));
  if (!creating && a.forum) in.error("forum", "an activity stays in its forum");
  if ((a.kind = in.text("kind", creating, 32)) && !input::one_of(kActivityKinds, *a.kind))
    in.error("kind", "must be workshop, seminar, training, table_top_exercise or study");
  a.title = input::line(in, "title", creating, 300);
  a.objectives = input::trimmed(in, "objectives", false, 10000);
  a.starts_on = input::date(in, "starts_on");
  a.ends_on = input::date(in, "ends_on");
  if (a.starts_on && a.ends_on && !a.starts_on->empty() && !a.ends_on->empty() && *a.ends_on < *a.starts_on)
    in.error("ends_on", "is before starts_on");
  a.venue = input::trimmed(in, "venue", false, 300);
  a.online = in.boolean("online", false);
  a.expected_participants = input::trimmed(in, "expected_participants", false, 2000);
  a.budget_note = input::trimmed(in, "budget_note", false, 2000);
  a.clear_concept_paper = in.is_null("concept_paper");
  a.concept_paper = in.integer("concept_paper", false, 1, INT64_MAX);
  a.clear_measure = in.is_null("measure");
  a.measure_id = in.integer("measure", false, 1, INT64_MAX);
  a.co_leads = parse_states(in, "co_leads", creating, 10);
  if (a.co_leads && a.co_leads->empty()) in.error("co_leads", "name at least one co-lead");
  in.finish();
  return a;
}

StageDecisionInput StageDecisionInput::parse(JsonInput& in) {
  StageDecisionInput d;
  d.meeting_id = in.integer("meeting", true, 1, INT64_MAX).value_or(0);
  d.outcome = in.text("outcome", true, 16).value_or("");
  if (!d.outcome.empty() && !input::one_of(kOutcomes, d.outcome)) in.error("outcome", "must be approved, returned, not_approved or taken_note");
  d.comments = input::trimmed(in, "comments", false, 5000).value_or("");
  d.wording = input::trimmed(in, "wording", false, 5000).value_or("");
  in.finish();
  return d;
}

ActivityReport ActivityReport::parse(JsonInput& in) {
  ActivityReport r;
  r.summary = input::trimmed(in, "summary", true, 20000).value_or("");
  r.outcomes = input::trimmed(in, "outcomes", false, 20000).value_or("");
  if (auto list = in.object_list("participants", false, 200)) {
    for (auto& e : *list) {
      auto state = to_upper(e.text("state", true, 3, 3).value_or(""));
      if (!state.empty() && !is_alpha3(state)) e.error("state", "is an ISO 3166 alpha-3 code");
      const auto n = e.integer("participants", true, 0, 100000).value_or(0);
      in.absorb(e);
      if (!state.empty()) {
        if (r.participants.contains(state)) in.error("participants", state + " appears twice");
        r.participants[state] = n;
      }
    }
  }
  if (const auto* raw = in.raw("documents")) {
    if (!raw->is_array() || raw->size() > 50) in.error("documents", "is a list of at most 50 library contributions' ids");
    else
      for (const auto& v : *raw)
        if (v.is_number_integer() && v.get<std::int64_t>() > 0) {
          if (std::find(r.documents.begin(), r.documents.end(), v.get<std::int64_t>()) == r.documents.end())
            r.documents.push_back(v.get<std::int64_t>());
        }
        else in.error("documents", "holds library contributions' ids (positive integers)");
  }
  in.finish();
  return r;
}

CapacityInput CapacityInput::parse(JsonInput& in) {
  CapacityInput c;
  c.forum = to_upper(trim(in.text("forum", true, 16, 1).value_or("")));
  c.kind = in.text("kind", true, 8).value_or("");
  if (!c.kind.empty() && c.kind != "need" && c.kind != "offer") in.error("kind", "must be need or offer");
  c.title = input::line(in, "title", true, 300).value_or("");
  c.description = input::trimmed(in, "description", false, 10000).value_or("");
  c.language = trim(in.text("language", false, 35).value_or(""));
  if (!c.language.empty() && !is_language_tag(c.language)) in.error("language", "is a language tag, like en or ru");
  if (auto s = in.text("state", false, 3, 3)) {
    c.state = to_upper(*s);
    if (!is_alpha3(*c.state)) in.error("state", "is an ISO 3166 alpha-3 code");
  }
  in.finish();
  return c;
}

std::vector<std::string> co_lead_problems(const ForumRules& rules, const std::vector<std::string>& co_leads,
                                          const std::vector<std::string>& group_members, const std::string& group_name) {
  std::vector<std::string> out;
  if (static_cast<std::int64_t>(co_leads.size()) < rules.min_co_leads)
    out.push_back("the forum asks for at least " + std::to_string(rules.min_co_leads) + " co-leads; this proposal has " +
                  std::to_string(co_leads.size()));
  if (!rules.co_lead_group.empty()) {
    std::vector<std::string> inside, outside;
    for (const auto& s : co_leads) (input::one_of(group_members, s) ? inside : outside).push_back(s);
    const auto name = group_name.empty() ? rules.co_lead_group : group_name;
    if (inside.empty())
      out.push_back("at least one co-lead must be of the " + name + " (" + rules.co_lead_group + "); " +
                    (outside.empty() ? std::string("there is none") : join(outside) + (outside.size() == 1 ? " is not" : " are not")));
    if (outside.empty())
      out.push_back("at least one co-lead must be from outside the " + name + " (" + rules.co_lead_group + "); " +
                    (inside.empty() ? std::string("there is none") : join(inside) + (inside.size() == 1 ? " is of it" : " are all of it")));
  }
  return out;
}

void apply_outcome(Activity& a, const std::string& outcome, std::size_t stages) {
  if (outcome == "approved" || outcome == "taken_note") {
    if (static_cast<std::size_t>(a.stage) + 1 >= stages) a.status = "approved";
    else ++a.stage;
  } else if (outcome == "returned") {
    a.status = "returned";
  } else if (outcome == "not_approved") {
    a.status = "not_approved";
  }
}

bool settle_silence(Stage& s, std::int64_t now_ms) {
  if (!s.outcome.empty() || !s.silence || s.silence->status(now_ms) != "held") return false;
  s.outcome = "approved";
  s.decided_at = s.silence->deadline;
  return true;
}

}  // namespace parley::workplan
