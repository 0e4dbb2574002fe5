#include "library/model.h"

#include <algorithm>
#include <cstdint>

#include "common/text.h"

namespace parley::library {

namespace {

bool one_of(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string listed(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? (i + 1 == v.size() ? " or " : ", ") : "") + v[i];
  return out;
}

}  // namespace

ContributionInput ContributionInput::parse(JsonInput& in) {
  ContributionInput c;
  if (auto s = in.text("state", false, 3, 3)) {
    c.state = to_upper(*s);
    if (!is_alpha3(*c.state)) in.error("state", "is an ISO 3166 alpha-3 code, like KAZ");
  }
  c.forum = to_upper(trim(in.text("forum", true, 16, 1).value_or("")));
  c.kind = in.text("kind", true, 32).value_or("");
  if (!c.kind.empty() && !one_of(kKinds, c.kind)) in.error("kind", "must be " + listed(kKinds));
  c.title = trim(in.text("title", true, 500, 1).value_or(""));
  c.summary = trim(in.text("summary", false, 5000).value_or(""));
  c.issuing_body = trim(in.text("issuing_body", false, 300).value_or(""));
  for (const char* field : {"adopted_on", "in_force_on"}) {
    if (auto d = in.text(field, false, 10)) {
      if (!is_date(*d)) in.error(field, "is a date, YYYY-MM-DD");
      (std::string(field) == "adopted_on" ? c.adopted_on : c.in_force_on) = *d;
    }
  }
  if (auto s = in.text("status", false, 16)) {
    if (!one_of(kStatuses, *s)) in.error("status", "must be " + listed(kStatuses));
    c.status = *s;
  }
  c.superseded_by = in.integer("superseded_by", false, 1, INT64_MAX);
  if (c.superseded_by && c.status != "superseded") in.error("superseded_by", "is for a contribution whose status is superseded");
  if (auto v = in.text("visibility", false, 16)) {
    if (!one_of(kVisibilities, *v)) in.error("visibility", "must be " + listed(kVisibilities));
    c.visibility = *v;
  }
  if (auto s = in.text_list("states", false, 300, 3)) {
    for (auto& st : *s) {
      st = to_upper(st);
      if (!is_alpha3(st)) in.error("states", "'" + st + "' is not an ISO 3166 alpha-3 code");
    }
    std::sort(s->begin(), s->end());
    s->erase(std::unique(s->begin(), s->end()), s->end());
    c.states = *s;
  }
  if (c.visibility == "states" && c.states.empty()) in.error("states", "name the states that may read it");
  if (c.visibility != "states" && !c.states.empty()) in.error("states", "are for visibility \"states\" only");
  if (auto t = in.text("tlp", false, 20)) {
    auto label = to_upper(*t);
    const auto it = std::find(kTlpLabels.begin(), kTlpLabels.end(), label);
    if (it == kTlpLabels.end()) {
      in.error("tlp", label == "TLP:RED" ? "TLP:RED is for named people, not a library; choose TLP:AMBER+STRICT and list the states"
                                         : "must be " + listed(kTlpLabels));
    } else {
      c.tlp = static_cast<int>(it - kTlpLabels.begin());
    }
  }
  if (c.visibility == "public" && c.tlp >= 2)
    in.error("tlp", kTlpLabels[static_cast<std::size_t>(c.tlp)] + " limits who may read it; a public contribution is TLP:CLEAR or TLP:GREEN");
  if (auto tags = in.text_list("tags", false, 50, 64)) {
    for (auto& tag : *tags) {
      tag = to_lower(trim(tag));
      if (tag.empty() || tag.find_first_of(" \t\n,") != std::string::npos)
        in.error("tags", "'" + tag + "' is not a tag: one word, like norm-13 or cbm-3");
    }
    std::sort(tags->begin(), tags->end());
    tags->erase(std::unique(tags->begin(), tags->end()), tags->end());
    c.tags = *tags;
  }
  in.finish();
  return c;
}

}  // namespace parley::library
