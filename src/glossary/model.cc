#include "glossary/model.h"

#include <algorithm>

#include "common/text.h"

namespace parley::glossary {

namespace {

std::optional<std::string> language(JsonInput& in, const std::string& key, bool required) {
  auto lang = in.text(key, required, 35, 2);
  if (lang && !is_language_tag(*lang)) in.error(key, "is a language tag, like en, ru or zh-Hans");
  return lang;
}

}  // namespace

TermInput TermInput::parse(JsonInput& in, bool creating) {
  TermInput t;
  if (auto f = in.text("forum", creating, 16, 1)) t.forum = to_upper(trim(*f));
  if (!creating && t.forum) in.error("forum", "a term stays in its forum");
  if (auto s = in.text("term", creating, 300, 1)) {
    t.term = trim(*s);
    if (t.term->empty()) in.error("term", "is blank");
  }
  t.lang = language(in, "lang", false);
  if (auto list = in.object_list("equivalents", false, 100)) {
    std::vector<Equivalent> eq;
    for (auto& e : *list) {
      Equivalent one;
      one.lang = language(e, "lang", true).value_or("");
      one.text = trim(e.text("text", true, 300, 1).value_or(""));
      in.absorb(e);
      if (!one.text.empty() && std::find(eq.begin(), eq.end(), one) == eq.end()) eq.push_back(std::move(one));
    }
    t.equivalents = std::move(eq);
  }
  if (auto n = in.text("note", false, 2000)) t.note = trim(*n);
  in.finish();
  return t;
}

Definition parse_definition(JsonInput& in) {
  Definition d;
  d.source = in.text("source", true, 16).value_or("");
  if (auto s = in.text("state", false, 3, 3)) d.state = to_upper(*s);
  d.organisation = trim(in.text("organisation", false, 200).value_or(""));
  d.contribution = in.integer("contribution", false, 1, INT64_MAX);
  d.agreed_on = in.text("agreed_on", false, 10).value_or("");
  d.agreed_in = trim(in.text("agreed_in", false, 300).value_or(""));
  d.lang = language(in, "lang", true).value_or("");
  d.text = trim(in.text("text", true, 5000, 1).value_or(""));
  d.reference = trim(in.text("reference", false, 300).value_or(""));
  for (auto& e : check_definition(d)) in.error(e.field, e.reason);
  in.finish();
  return d;
}

std::vector<FieldError> check_definition(const Definition& d, const std::string& prefix) {
  std::vector<FieldError> errors;
  auto error = [&](const std::string& field, const std::string& reason) { errors.push_back({prefix + field, reason}); };
  if (std::find(kSources.begin(), kSources.end(), d.source) == kSources.end()) {
    error("source", "must be state, organisation or forum");
    return errors;
  }
  if (d.text.empty()) error("text", "is blank");
  // The API's limits, for imported definitions too.
  if (d.text.size() > 5000) error("text", "is longer than 5000 bytes");
  if (d.organisation.size() > 200) error("organisation", "is longer than 200 bytes");
  if (d.agreed_in.size() > 300) error("agreed_in", "is longer than 300 bytes");
  if (d.reference.size() > 300) error("reference", "is longer than 300 bytes");
  if (d.source == "state" && !is_alpha3(d.state)) error("state", "is required for a state's definition: an ISO 3166 alpha-3 code, like KAZ");
  if (d.source != "state" && !d.state.empty()) error("state", "is for a state's definition only");
  if (d.source == "organisation" && d.organisation.empty())
    error("organisation", "is required: name the organisation and its document, like ISO/IEC 27000:2018");
  if (d.source != "organisation" && !d.organisation.empty()) error("organisation", "is for an organisation's definition only");
  if (d.source == "forum") {
    if (!is_date(d.agreed_on)) error("agreed_on", "is required for the forum's agreed definition: the date, YYYY-MM-DD");
    if (d.agreed_in.empty()) error("agreed_in", "is required: the meeting or document that agreed it");
  } else {
    if (!d.agreed_on.empty()) error("agreed_on", "is for the forum's agreed definition only");
    if (!d.agreed_in.empty()) error("agreed_in", "is for the forum's agreed definition only");
  }
  if (d.contribution && d.source != "state") error("contribution", "links a state's definition to its national document");
  return errors;
}

}  // namespace parley::glossary
