#include "negotiation/edit.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/problem.h"
#include "negotiation/notation.h"

namespace parley::negotiation {

namespace {

bool is_punct(char c) { return c == ',' || c == '.' || c == ';' || c == ':' || c == ')'; }

// Adjacent runs merged, doubled spaces and spaces before punctuation gone (within runs).
void normalise(std::vector<Node>& nodes) {
  std::vector<Node> out;
  for (auto& n : nodes) {
    if (n.bracket) {
      normalise(n.children);
      out.push_back(std::move(n));
    } else if (!out.empty() && !out.back().bracket) {
      out.back().text += n.text;
    } else {
      out.push_back(std::move(n));
    }
  }
  for (auto& n : out) {
    if (n.bracket) continue;
    std::string t;
    for (char c : n.text) {
      if (c == ' ' && !t.empty() && t.back() == ' ') continue;
      if (is_punct(c) && !t.empty() && t.back() == ' ' && t.size() > 1) t.pop_back();
      t += c;
    }
    n.text = std::move(t);
  }
  std::erase_if(out, [](const Node& n) { return !n.bracket && n.text.empty(); });
  nodes = std::move(out);
}

void normalise_paragraph(Paragraph& p) {
  normalise(p.content);
  if (!p.content.empty() && !p.content.front().bracket) {
    auto& t = p.content.front().text;
    t.erase(0, std::min(t.size(), t.find_first_not_of(' ')));
  }
  if (!p.content.empty() && !p.content.back().bracket) {
    auto& t = p.content.back().text;
    while (!t.empty() && t.back() == ' ') t.pop_back();
  }
  std::erase_if(p.content, [](const Node& n) { return !n.bracket && n.text.empty(); });
}

struct Hit {
  std::vector<Node>* nodes;
  std::size_t index;
  std::size_t offset;
};

void find_in_runs(std::vector<Node>& nodes, const std::string& needle, std::vector<Hit>& hits) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].bracket) {
      find_in_runs(nodes[i].children, needle, hits);
      continue;
    }
    for (auto at = nodes[i].text.find(needle); at != std::string::npos; at = nodes[i].text.find(needle, at + 1))
      hits.push_back({&nodes, i, at});
  }
}

Hit locate(Paragraph& p, const std::string& needle, std::int64_t occurrence, const std::string& field,
           const std::string& label) {
  std::vector<Hit> hits;
  find_in_runs(p.content, needle, hits);
  if (hits.empty())
    throw Problem::invalid(field, fmt::format("does not occur in paragraph {} (a span lies within agreed text or "
                                              "within one bracket, never across a bracket's edge)",
                                              label));
  if (occurrence == 0 && hits.size() > 1)
    throw Problem::invalid(field, fmt::format("occurs {} times in paragraph {}: say which with occurrence (1 to {})",
                                              hits.size(), label, hits.size()));
  if (occurrence > static_cast<std::int64_t>(hits.size()))
    throw Problem::invalid("occurrence", fmt::format("there are only {} occurrences", hits.size()));
  return hits[occurrence ? static_cast<std::size_t>(occurrence - 1) : 0];
}

Node bracket_of(std::string text, char sign, const Author& who, std::string id) {
  Node b;
  b.bracket = true;
  b.children.push_back(Node::run(std::move(text)));
  b.attributions.push_back({sign, who.state});
  b.id = std::move(id);
  b.by = who.username;
  b.at = who.at;
  return b;
}

std::string checked_words(const std::string& text, const std::string& field) {
  std::string t = text;
  while (!t.empty() && t.front() == ' ') t.erase(0, 1);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.empty()) throw Problem::invalid(field, "is empty: an attribution needs text");
  if (auto why = notation_safe(t); !why.empty()) throw Problem::invalid(field, why);
  if (t.size() > 20000) throw Problem::invalid(field, "is longer than 20,000 characters");
  return t;
}

std::string label_of(const Text& t, std::size_t i) {
  const auto labels = paragraph_labels(t);
  return labels[i].empty() ? fmt::format("PP{}", i + 1) : labels[i];
}

void require_open(const Text& t, std::size_t i) {
  if (t.paragraphs[i].agreed_ad_ref)
    throw Problem::conflict(fmt::format("Paragraph {} is agreed ad ref; the secretariat must reopen it first.", label_of(t, i)),
                            {{"paragraph", "is agreed ad ref"}});
}

// Where a bracket with this id is: its container and index.
struct Found {
  std::vector<Node>* nodes = nullptr;
  std::size_t index = 0;
  std::size_t paragraph = 0;
};

bool find_bracket(std::vector<Node>& nodes, const std::string& id, Found& f) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].bracket) continue;
    if (nodes[i].id == id) {
      f.nodes = &nodes;
      f.index = i;
      return true;
    }
    if (find_bracket(nodes[i].children, id, f)) return true;
  }
  return false;
}

std::optional<Found> find(Text& t, const std::string& id) {
  for (std::size_t p = 0; p < t.paragraphs.size(); ++p) {
    Found f;
    f.paragraph = p;
    if (find_bracket(t.paragraphs[p].content, id, f)) return f;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_paragraph_proposal(const Text& t, const std::string& id) {
  for (std::size_t p = 0; p < t.paragraphs.size(); ++p)
    if (t.paragraphs[p].bracketed && t.paragraphs[p].proposal_id == id) return p;
  return std::nullopt;
}

[[noreturn]] void unknown_proposal(const std::string& id) {
  throw Problem::not_found(fmt::format("There is no open proposal {} in this text.", id));
}

void place_position(std::vector<Attribution>& as, const std::string& state, std::optional<bool> support) {
  if (!as.empty() && as[0].state == state)
    throw Problem::conflict("A proposer's position is its proposal; withdraw it instead.", {{"state", "is the proposer"}});
  std::erase_if(as, [&](const Attribution& a) { return a.state == state; });
  if (!support) return;
  const char proposer = as.empty() ? '+' : as[0].sign;
  as.push_back({*support ? proposer : (proposer == '+' ? '-' : '+'), state});
}

// The twin of a replacement's half ("P7" <-> "P7a"), if it is there.
std::string twin_of(const std::string& id) {
  return !id.empty() && id.back() == 'a' ? id.substr(0, id.size() - 1) : id + "a";
}

std::size_t insertion_index(const Text& t, std::size_t after) {
  std::size_t i = after + 1;
  while (i < t.paragraphs.size() && t.paragraphs[i].alternative) ++i;
  return i;
}

std::string paragraph_id_for(const std::string& proposal) {
  std::string id = proposal;
  for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id;
}

// A paragraph proposed by `who`: an addition, or an alternative.
Paragraph proposed_paragraph(const std::string& id, Part part, std::string words, const Author& who, bool alternative) {
  Paragraph p;
  p.id = paragraph_id_for(id);
  p.part = part;
  p.alternative = alternative;
  p.bracketed = true;
  p.attributions = {{'+', who.state}};
  p.proposal_id = id;
  p.by = who.username;
  p.at = who.at;
  p.content.push_back(Node::run(std::move(words)));
  return p;
}

}  // namespace

std::size_t paragraph_index(const Text& t, const std::string& id) {
  for (std::size_t i = 0; i < t.paragraphs.size(); ++i)
    if (t.paragraphs[i].id == id) return i;
  throw Problem::invalid("paragraph", fmt::format("'{}' is not a paragraph of this text", id));
}

std::string propose_span(Text& t, const SpanProposal& sp, const Author& who, const std::string& id) {
  const auto pi = paragraph_index(t, sp.paragraph);
  require_open(t, pi);
  Text copy = t;   // changes are made on a copy, so a refusal leaves nothing half done
  auto& p = copy.paragraphs[pi];
  const auto label = label_of(copy, pi);
  if (sp.kind == "insert") {
    const auto words = checked_words(sp.text, "text");
    Node b = bracket_of(words, '+', who, id);
    if (sp.after.empty()) {
      p.content.insert(p.content.begin(), {b, Node::run(" ")});
    } else {
      auto hit = locate(p, sp.after, sp.occurrence, "after", label);
      auto& run = (*hit.nodes)[hit.index];
      const auto cut = hit.offset + sp.after.size();
      std::string before = run.text.substr(0, cut), rest = run.text.substr(cut);
      if (!before.empty() && before.back() != ' ') before += ' ';
      if (!rest.empty() && rest.front() != ' ' && !is_punct(rest.front())) rest = " " + rest;
      std::vector<Node> replaced = {Node::run(before), b, Node::run(rest)};
      hit.nodes->erase(hit.nodes->begin() + static_cast<std::ptrdiff_t>(hit.index));
      hit.nodes->insert(hit.nodes->begin() + static_cast<std::ptrdiff_t>(hit.index), replaced.begin(), replaced.end());
    }
  } else if (sp.kind == "delete" || sp.kind == "replace") {
    if (sp.text.empty()) throw Problem::invalid("text", "is empty: an attribution needs text");
    std::string replacement;
    if (sp.kind == "replace") replacement = checked_words(sp.replacement, "replacement");
    auto hit = locate(p, sp.text, sp.occurrence, "text", label);
    auto& run = (*hit.nodes)[hit.index];
    std::vector<Node> replaced = {Node::run(run.text.substr(0, hit.offset)), bracket_of(sp.text, '-', who, id)};
    if (sp.kind == "replace") {
      replaced.push_back(Node::run(" "));
      replaced.push_back(bracket_of(replacement, '+', who, id + "a"));
    }
    replaced.push_back(Node::run(run.text.substr(hit.offset + sp.text.size())));
    hit.nodes->erase(hit.nodes->begin() + static_cast<std::ptrdiff_t>(hit.index));
    hit.nodes->insert(hit.nodes->begin() + static_cast<std::ptrdiff_t>(hit.index), replaced.begin(), replaced.end());
  } else {
    throw Problem::invalid("kind", "must be insert, delete, replace, add_paragraph, delete_paragraph or alternative");
  }
  normalise_paragraph(p);
  if (bracket_depth(p.content) > kMaxBracketDepth)
    throw Problem::invalid(sp.kind == "insert" ? "after" : "text",
                           "is inside brackets nested " + std::to_string(kMaxBracketDepth) +
                               " deep; a proposal there would nest deeper");
  // A deletion of a whole preambular paragraph is a deletion of the paragraph (the
  // notation cannot tell them apart).
  if (p.content.size() == 1 && p.content[0].bracket && p.content[0].id == id && !p.bracketed &&
      p.part == Part::kPreamble) {
    p.bracketed = true;
    p.attributions = p.content[0].attributions;
    p.proposal_id = id;
    p.by = who.username;
    p.at = who.at;
    auto children = std::move(p.content[0].children);
    p.content = std::move(children);
  }
  t = std::move(copy);
  return id;
}

std::string propose_paragraph(Text& t, const std::string& after, Part part, const std::string& text,
                              const Author& who, const std::string& id) {
  const auto words = checked_words(text, "text");
  std::size_t at;
  if (!after.empty()) {
    const auto ai = paragraph_index(t, after);
    part = t.paragraphs[ai].part;
    at = insertion_index(t, ai);
  } else {
    at = 0;
    if (part == Part::kOperative)
      while (at < t.paragraphs.size() && t.paragraphs[at].part == Part::kPreamble) ++at;
  }
  t.paragraphs.insert(t.paragraphs.begin() + static_cast<std::ptrdiff_t>(at),
                      proposed_paragraph(id, part, words, who, false));
  return id;
}

std::string propose_paragraph_deletion(Text& t, const std::string& paragraph, const Author& who, const std::string& id) {
  const auto i = paragraph_index(t, paragraph);
  require_open(t, i);
  auto& p = t.paragraphs[i];
  if (p.bracketed)
    throw Problem::conflict(fmt::format("Paragraph {} is itself a proposal ({}): take a position on it instead.",
                                        label_of(t, i), p.proposal_id),
                            {{"paragraph", "is already bracketed"}});
  p.bracketed = true;
  p.attributions = {{'-', who.state}};
  p.proposal_id = id;
  p.by = who.username;
  p.at = who.at;
  return id;
}

std::string propose_alternative(Text& t, const std::string& paragraph, const std::string& text, const Author& who,
                                const std::string& id) {
  const auto i = paragraph_index(t, paragraph);
  const auto& target = t.paragraphs[i];
  if (target.part != Part::kOperative || target.alternative)
    throw Problem::invalid("paragraph", "an alternative is proposed to an operative paragraph (not to another alternative)");
  require_open(t, i);
  const auto words = checked_words(text, "text");
  t.paragraphs.insert(t.paragraphs.begin() + static_cast<std::ptrdiff_t>(insertion_index(t, i)),
                      proposed_paragraph(id, Part::kOperative, words, who, true));
  return id;
}

std::string proposer_of(const Text& t, const std::string& proposal) {
  Text& m = const_cast<Text&>(t);   // find() does not change what it searches
  if (auto pi = find_paragraph_proposal(t, proposal))
    return t.paragraphs[*pi].attributions.empty() ? "" : t.paragraphs[*pi].attributions[0].state;
  auto f = find(m, proposal);
  if (!f) unknown_proposal(proposal);
  const auto& as = (*f->nodes)[f->index].attributions;
  return as.empty() ? "" : as[0].state;
}

void set_position(Text& t, const std::string& proposal, const std::string& state, std::optional<bool> support) {
  if (auto pi = find_paragraph_proposal(t, proposal)) {
    place_position(t.paragraphs[*pi].attributions, state, support);
    return;
  }
  auto f = find(t, proposal);
  if (!f) unknown_proposal(proposal);
  auto& node = (*f->nodes)[f->index];
  // A replacement is one proposal in two brackets: a position covers both.
  auto twin = find(t, twin_of(proposal));
  auto copy = node.attributions;
  place_position(copy, state, support);
  if (twin) {
    auto& other = (*twin->nodes)[twin->index];
    auto other_copy = other.attributions;
    place_position(other_copy, state, support);
    other.attributions = std::move(other_copy);
  }
  node.attributions = std::move(copy);
}

void resolve(Text& t, const std::string& proposal, bool accepted) {
  if (auto pi = find_paragraph_proposal(t, proposal)) {
    auto& p = t.paragraphs[*pi];
    const bool plus = p.attributions.empty() || p.attributions[0].sign == '+';
    const bool keep = accepted == plus;
    if (p.alternative && accepted) {
      // The alternative takes the place of the paragraph it is an alternative to, and
      // of that paragraph's other alternatives.
      std::size_t original = *pi;
      while (original > 0 && t.paragraphs[original].alternative) --original;
      std::vector<std::size_t> drop;
      for (std::size_t i = original; i < t.paragraphs.size() && (i == original || t.paragraphs[i].alternative); ++i)
        if (i != *pi) drop.push_back(i);
      p.bracketed = false;
      p.alternative = false;
      p.attributions.clear();
      p.proposal_id.clear();
      for (auto it = drop.rbegin(); it != drop.rend(); ++it)
        t.paragraphs.erase(t.paragraphs.begin() + static_cast<std::ptrdiff_t>(*it));
      return;
    }
    if (!keep) {
      t.paragraphs.erase(t.paragraphs.begin() + static_cast<std::ptrdiff_t>(*pi));
      return;
    }
    p.bracketed = false;
    p.alternative = false;
    p.attributions.clear();
    p.proposal_id.clear();
    return;
  }
  auto f = find(t, proposal);
  if (!f) unknown_proposal(proposal);
  const auto twin = twin_of(proposal);
  for (const auto& id : {proposal, twin}) {
    auto where = find(t, id);
    if (!where) continue;
    auto& nodes = *where->nodes;
    const auto& as = nodes[where->index].attributions;
    const bool plus = as.empty() || as[0].sign == '+';
    const bool keep = accepted == plus;
    auto children = std::move(nodes[where->index].children);
    nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(where->index));
    if (keep) nodes.insert(nodes.begin() + static_cast<std::ptrdiff_t>(where->index), children.begin(), children.end());
    normalise_paragraph(t.paragraphs[where->paragraph]);
  }
}

namespace {

struct OldBracket {
  std::string key;   // text and proposer
  const Node* node;
  bool used = false;
};

std::string bracket_key(const Node& n) {
  return render_content(n.children) + "\x1f" + (n.attributions.empty() ? std::string() : n.attributions[0].state + n.attributions[0].sign);
}

void collect_old(const std::vector<Node>& nodes, std::vector<OldBracket>& out) {
  for (const auto& n : nodes)
    if (n.bracket) {
      out.push_back({bracket_key(n), &n});
      collect_old(n.children, out);
    }
}

void assign(std::vector<Node>& nodes, std::vector<OldBracket>& old, std::int64_t& next_id) {
  for (auto& n : nodes) {
    if (!n.bracket) continue;
    const auto key = bracket_key(n);
    auto it = std::find_if(old.begin(), old.end(), [&](const OldBracket& o) { return !o.used && o.key == key; });
    if (it != old.end() && !it->node->id.empty()) {
      it->used = true;
      n.id = it->node->id;
      n.by = it->node->by;
      n.at = it->node->at;
    } else {
      n.id = fmt::format("P{}", next_id++);
    }
    assign(n.children, old, next_id);
  }
}

}  // namespace

void carry_ids(Text& fresh, const Text& old, std::int64_t& next_id) {
  std::vector<bool> used(old.paragraphs.size(), false);
  const auto take = [&](auto same) -> const Paragraph* {
    for (std::size_t i = 0; i < old.paragraphs.size(); ++i)
      if (!used[i] && same(old.paragraphs[i])) {
        used[i] = true;
        return &old.paragraphs[i];
      }
    return nullptr;
  };
  std::vector<OldBracket> brackets;
  for (const auto& p : old.paragraphs) collect_old(p.content, brackets);
  for (auto& p : fresh.paragraphs) {
    const auto text = render_content(p.content);
    const auto clean = clean_content(p.content);
    const Paragraph* match = take([&](const Paragraph& o) { return o.part == p.part && render_content(o.content) == text; });
    if (!match) match = take([&](const Paragraph& o) { return o.part == p.part && clean_content(o.content) == clean; });
    p.id = match ? match->id : fmt::format("p{}", next_id++);
    if (p.bracketed) {
      const bool same = match && match->bracketed && !match->proposal_id.empty() && !p.attributions.empty() &&
                        !match->attributions.empty() && match->attributions[0] == p.attributions[0];
      p.proposal_id = same ? match->proposal_id : fmt::format("P{}", next_id++);
      if (same) {
        p.by = match->by;
        p.at = match->at;
      }
    }
    assign(p.content, brackets, next_id);
  }
  link_replacements(fresh);
}

void agree_ad_ref(Text& t, const std::string& paragraph, bool agreed) {
  const auto i = paragraph_index(t, paragraph);
  auto& p = t.paragraphs[i];
  if (agreed) {
    const auto open = count_brackets(t).per_paragraph[i];
    if (open)
      throw Problem::conflict(fmt::format("Paragraph {} still has {} open bracket{}.", label_of(t, i), open, open == 1 ? "" : "s"),
                              {{"paragraph", "has open brackets"}});
  }
  p.agreed_ad_ref = agreed;
}

}  // namespace parley::negotiation
