#include "negotiation/model.h"

#include <algorithm>

#include "common/text.h"

namespace parley::negotiation {

std::string Document::label(std::int64_t revision) const {
  return revision == 0 ? symbol : symbol + "/Rev." + std::to_string(revision);
}

std::string Document::distribution_text() const {
  return distribution == "member_states" ? "Member States only" : "General";
}

namespace {
bool one_of(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }
}  // namespace

DocumentInput DocumentInput::parse(JsonInput& in) {
  DocumentInput d;
  d.forum = to_upper(in.text("forum", true, 16).value_or(""));
  d.symbol = trim(in.text("symbol", true, 120, 1).value_or(""));
  d.title = trim(in.text("title", true, 500, 1).value_or(""));
  if (auto v = in.text("distribution", false, 32)) {
    if (!one_of(kDistributions, *v)) in.error("distribution", "must be member_states or general");
    d.distribution = *v;
  }
  if (auto v = in.text("status", false, 32)) {
    if (*v != "zero_draft" && *v != "draft") in.error("status", "a new document is a zero_draft or a draft");
    d.status = *v;
  }
  if (auto v = in.text_list("languages", false, 10, 16)) {
    for (const auto& l : *v)
      if (!is_language_tag(l)) in.error("languages", "'" + l + "' is not a language tag (en, ru, kk, ...)");
    d.languages = *v;
  }
  d.text = in.text("text", true, 4 * 1024 * 1024, 1).value_or("");
  d.confirm_ambiguities = in.boolean("confirm_ambiguities", false).value_or(false);
  if (d.symbol.find_first_of(" \t\n") != std::string::npos) in.error("symbol", "must not contain spaces");
  in.finish();
  return d;
}

ProposalInput ProposalInput::parse(JsonInput& in) {
  ProposalInput p;
  p.revision = in.integer("revision", false, 0, 100000);
  p.kind = in.text("kind", true, 32).value_or("");
  if (!p.kind.empty() && !one_of(kProposalKinds, p.kind))
    in.error("kind", "must be insert, delete, replace, add_paragraph, delete_paragraph or alternative");
  const bool span = p.kind == "insert" || p.kind == "delete" || p.kind == "replace";
  const bool needs_paragraph = span || p.kind == "delete_paragraph" || p.kind == "alternative";
  p.paragraph = in.text("paragraph", needs_paragraph, 32).value_or("");
  p.after_paragraph = in.text("after_paragraph", false, 32).value_or("");
  if (auto v = in.text("part", false, 16)) {
    if (*v != "preamble" && *v != "operative") in.error("part", "must be preamble or operative");
    p.part = *v;
  }
  p.text = in.text("text", p.kind != "delete_paragraph", 20000).value_or("");
  p.after = in.text("after", false, 20000).value_or("");
  p.replacement = in.text("replacement", p.kind == "replace", 20000).value_or("");
  p.occurrence = in.integer("occurrence", false, 1, 10000).value_or(0);
  if (auto s = in.text("state", false, 3)) {
    if (!is_alpha3(to_upper(*s))) in.error("state", "must be an ISO 3166-1 alpha-3 code");
    p.state = to_upper(*s);
  }
  p.comment = in.text("comment", false, 4000).value_or("");
  in.finish();
  return p;
}

}  // namespace parley::negotiation
