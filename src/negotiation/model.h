// The negotiation capability's model: a document's record and the client input for
// documents, proposals and the rest, validated field by field. Values only; thread-safe
// to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"

namespace parley::negotiation {

inline const std::vector<std::string> kStatuses = {"zero_draft", "draft", "revised_draft", "adopted", "withdrawn"};
inline const std::vector<std::string> kDistributions = {"member_states", "general"};
inline const std::vector<std::string> kProposalKinds = {"insert",           "delete",          "replace", "add_paragraph",
                                                        "delete_paragraph", "alternative"};

struct Document {
  std::int64_t id = 0;
  std::string forum;
  std::string symbol;   // the base symbol; revision n is symbol + "/Rev.n"
  std::string title;
  std::string distribution;
  std::vector<std::string> languages;
  std::string status;
  std::int64_t next_id = 1;
  std::string created_by;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> adopted_at;
  std::string final_text;

  std::string label(std::int64_t revision) const;
  std::string distribution_text() const;   // "Member States only" | "General"
  bool closed() const { return status == "adopted" || status == "withdrawn"; }
};

struct DocumentInput {
  std::string forum, symbol, title, distribution = "member_states", status = "draft";
  std::vector<std::string> languages;
  std::string text;               // the compilation, in the notation
  bool confirm_ambiguities = false;
  static DocumentInput parse(JsonInput& in);
};

struct ProposalInput {
  std::optional<std::int64_t> revision;   // when given, it must be the working revision
  std::string kind;
  std::string paragraph;        // span kinds, delete_paragraph, alternative: the paragraph
  std::string after_paragraph;  // add_paragraph: after which paragraph ("" = first of `part`)
  std::string part = "operative";
  std::string text, after, replacement;
  std::int64_t occurrence = 0;
  std::optional<std::string> state;   // a secretariat records proposals on behalf of a state
  std::string comment;
  static ProposalInput parse(JsonInput& in);
};

}  // namespace parley::negotiation
