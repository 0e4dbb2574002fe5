// The text of a negotiated document as its compilation shows it: paragraphs whose
// content is agreed text and bracketed proposals attributed to states, nested as the
// negotiators nest them. A Text is a value: thread-safe to copy, not to share mutably.
//
// The notation (docs/negotiation.md has the whole of it):
//   [text] (-ISR)             ISR proposes deleting "text"
//   [text] (+ISR)             ISR proposes inserting "text"
//   [text] (-IND) (+CHN)      IND proposes deleting it, CHN wants it kept
//   [3. text] (-ISR)          ISR proposes deleting paragraph 3
//   [3 bis. text] (+CHN)      CHN proposes a new paragraph after 3
//   [Alt 3. text] (+ISR)      ISR proposes an alternative to paragraph 3
// The sign is a state's position on the bracketed text: + keep or insert it, - leave it
// out. The first attribution is the proposer's; the others support (same sign) or oppose
// (the other sign) the proposal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::negotiation {

struct Attribution {
  char sign = '+';     // '+' or '-'
  std::string state;   // ISO 3166-1 alpha-3
  bool operator==(const Attribution&) const = default;
};

// A run of agreed text, or a bracket holding its own runs and brackets.
struct Node {
  bool bracket = false;
  std::string text;                        // a run's text
  std::vector<Node> children;              // a bracket's content
  std::vector<Attribution> attributions;   // a bracket's, proposer first
  std::string id;                          // a bracket's proposal id ("P3"); not part of the notation
  std::string by;                          // who entered it (username); not part of the notation
  std::int64_t at = 0;                     // when (unix ms); not part of the notation

  static Node run(std::string text) { return Node{false, std::move(text), {}, {}, {}, {}, 0}; }
  // Equality of what the notation shows: ids and authorship are ignored.
  bool same_as(const Node& o) const;
};

enum class Part { kPreamble, kOperative };

struct Paragraph {
  std::string id;                          // stable ("p7"), whatever its number
  Part part = Part::kPreamble;
  bool alternative = false;                // "Alt N."
  bool bracketed = false;                  // the whole paragraph is a proposal
  std::vector<Attribution> attributions;   // when bracketed
  std::string proposal_id;                 // when bracketed
  std::string by;
  std::int64_t at = 0;
  bool agreed_ad_ref = false;
  std::vector<Node> content;

  bool same_as(const Paragraph& o) const;
  // A paragraph added by a proposal (bracketed, proposer's sign '+', not an alternative).
  bool is_addition() const { return bracketed && !alternative && !attributions.empty() && attributions[0].sign == '+'; }
};

// Brackets may nest this deep (real compilations nest two or three); a deeper text is
// refused by the parser and by every edit, so that no text makes the parser, a
// renderer or the stored form's reader recurse without bound.
inline constexpr std::size_t kMaxBracketDepth = 32;
// How deeply brackets nest in `nodes` (0 for plain text). Iterative.
std::size_t bracket_depth(const std::vector<Node>& nodes);

struct Text {
  std::string symbol;         // "SUM/2022/DRAFT/3/Rev.1"
  std::string distribution;   // "Member States only"
  std::string date;           // as written: "12 August 2022"
  std::string title;
  std::string chapeau;        // the line that opens the operative part: "DECLARE THE FOLLOWING:"
  std::vector<Paragraph> paragraphs;

  bool same_as(const Text& o) const;
  nlohmann::json to_json() const;
  static Text from_json(const nlohmann::json& j);   // throws std::runtime_error on a bad shape
};

// The labels paragraphs carry in the compilation, in order: "" for preambular
// paragraphs, "1", "2", "2 bis", "2 ter", "Alt 3", ... Operative paragraphs are numbered
// in sequence; a paragraph proposed for addition takes the previous number with bis,
// ter, ...; an alternative takes "Alt" and the number of the paragraph it follows.
std::vector<std::string> paragraph_labels(const Text& t);
// The numbers paragraphs carry in the clean text (only agreed paragraphs, renumbered).
std::string ordinal_suffix(int n);   // 1 -> "bis", 2 -> "ter", 3 -> "quater", ...

// One proposal as the compilation shows it: a bracket.
struct ProposalView {
  std::string id;             // the bracket's id ("" for a parsed text)
  std::string kind;           // insert | delete | replace | add_paragraph | delete_paragraph | alternative | bracket
  std::string state;          // the proposer ("" for an unattributed bracket)
  std::vector<std::string> supporters, opposers;
  std::size_t paragraph = 0;  // index in Text::paragraphs
  std::string text;           // the bracketed text, in notation
  std::string replacement;    // replace: the inserted text
  std::string insert_id;      // replace: the id of the inserted bracket
  int depth = 0;              // 0: not inside another bracket
  std::string by;             // who entered it, when (not part of the notation)
  std::int64_t at = 0;
};
// Every bracket of the text, in reading order. A deletion followed (only whitespace
// between) by an insertion of the same proposer is one replace proposal.
std::vector<ProposalView> proposals(const Text& t);

// Gives the insertion of each replacement (a deletion followed, only whitespace between,
// by an insertion of the same state) its deletion's id + "a": one proposal, so that a
// position on it or its resolution covers both brackets.
void link_replacements(Text& t);

// Open brackets counted per paragraph (index) and per state (every state attributed on
// a bracket: proposer, supporter or opponent).
struct BracketCounts {
  std::vector<int> per_paragraph;
  std::vector<std::pair<std::string, int>> per_state;   // sorted by state
  int total = 0;
};
BracketCounts count_brackets(const Text& t);

}  // namespace parley::negotiation
