#include "negotiation/text.h"

#include <map>
#include <stdexcept>

#include "negotiation/notation.h"

namespace parley::negotiation {

using nlohmann::json;

bool Node::same_as(const Node& o) const {
  if (bracket != o.bracket || text != o.text || attributions != o.attributions || children.size() != o.children.size())
    return false;
  for (std::size_t i = 0; i < children.size(); ++i)
    if (!children[i].same_as(o.children[i])) return false;
  return true;
}

bool Paragraph::same_as(const Paragraph& o) const {
  if (part != o.part || alternative != o.alternative || bracketed != o.bracketed || attributions != o.attributions ||
      agreed_ad_ref != o.agreed_ad_ref || content.size() != o.content.size())
    return false;
  for (std::size_t i = 0; i < content.size(); ++i)
    if (!content[i].same_as(o.content[i])) return false;
  return true;
}

bool Text::same_as(const Text& o) const {
  if (symbol != o.symbol || distribution != o.distribution || date != o.date || title != o.title ||
      chapeau != o.chapeau || paragraphs.size() != o.paragraphs.size())
    return false;
  for (std::size_t i = 0; i < paragraphs.size(); ++i)
    if (!paragraphs[i].same_as(o.paragraphs[i])) return false;
  return true;
}

namespace {

json attributions_json(const std::vector<Attribution>& as) {
  json out = json::array();
  for (const auto& a : as) out.push_back(std::string(1, a.sign) + a.state);
  return out;
}

std::vector<Attribution> attributions_from(const json& j) {
  std::vector<Attribution> out;
  for (const auto& s : j) {
    const auto v = s.get<std::string>();
    if (v.size() != 4 || (v[0] != '+' && v[0] != '-')) throw std::runtime_error("bad attribution " + v);
    out.push_back({v[0], v.substr(1)});
  }
  return out;
}

json nodes_json(const std::vector<Node>& nodes) {
  json out = json::array();
  for (const auto& n : nodes) {
    if (!n.bracket) {
      out.push_back(n.text);
      continue;
    }
    json b = {{"id", n.id}, {"attributions", attributions_json(n.attributions)}, {"content", nodes_json(n.children)}};
    if (!n.by.empty()) b["by"] = n.by;
    if (n.at) b["at"] = n.at;
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Node> nodes_from(const json& j, std::size_t depth = 0) {
  if (depth > kMaxBracketDepth) throw std::runtime_error("brackets nested deeper than the limit");
  std::vector<Node> out;
  for (const auto& e : j) {
    if (e.is_string()) {
      out.push_back(Node::run(e.get<std::string>()));
      continue;
    }
    Node n;
    n.bracket = true;
    n.id = e.value("id", "");
    n.by = e.value("by", "");
    n.at = e.value("at", std::int64_t{0});
    n.attributions = attributions_from(e.at("attributions"));
    n.children = nodes_from(e.at("content"), depth + 1);
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace

std::size_t bracket_depth(const std::vector<Node>& nodes) {
  std::size_t deepest = 0;
  std::vector<std::pair<const std::vector<Node>*, std::size_t>> pending = {{&nodes, 0}};
  while (!pending.empty()) {
    auto [list, depth] = pending.back();
    pending.pop_back();
    deepest = std::max(deepest, depth);
    for (const auto& n : *list)
      if (n.bracket) pending.push_back({&n.children, depth + 1});
  }
  return deepest;
}

json Text::to_json() const {
  json ps = json::array();
  for (const auto& p : paragraphs) {
    json j = {{"id", p.id},
              {"part", p.part == Part::kPreamble ? "preamble" : "operative"},
              {"content", nodes_json(p.content)}};
    if (p.alternative) j["alternative"] = true;
    if (p.bracketed) {
      j["bracketed"] = true;
      j["attributions"] = attributions_json(p.attributions);
      j["proposal_id"] = p.proposal_id;
      if (!p.by.empty()) j["by"] = p.by;
      if (p.at) j["at"] = p.at;
    }
    if (p.agreed_ad_ref) j["agreed_ad_ref"] = true;
    ps.push_back(std::move(j));
  }
  return {{"symbol", symbol}, {"distribution", distribution}, {"date", date},
          {"title", title},   {"chapeau", chapeau},           {"paragraphs", ps}};
}

Text Text::from_json(const json& j) {
  try {
    Text t;
    t.symbol = j.value("symbol", "");
    t.distribution = j.value("distribution", "");
    t.date = j.value("date", "");
    t.title = j.value("title", "");
    t.chapeau = j.value("chapeau", "");
    for (const auto& pj : j.at("paragraphs")) {
      Paragraph p;
      p.id = pj.value("id", "");
      p.part = pj.value("part", "preamble") == "operative" ? Part::kOperative : Part::kPreamble;
      p.alternative = pj.value("alternative", false);
      p.bracketed = pj.value("bracketed", false);
      if (p.bracketed) p.attributions = attributions_from(pj.at("attributions"));
      p.proposal_id = pj.value("proposal_id", "");
      p.by = pj.value("by", "");
      p.at = pj.value("at", std::int64_t{0});
      p.agreed_ad_ref = pj.value("agreed_ad_ref", false);
      p.content = nodes_from(pj.at("content"));
      t.paragraphs.push_back(std::move(p));
    }
    return t;
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("stored text has a bad shape: ") + e.what());
  }
}

std::string ordinal_suffix(int n) {
  static const char* kLatin[] = {"",       "bis",      "ter",       "quater",     "quinquies", "sexies",
                                 "septies", "octies",   "novies",    "decies",     "undecies",  "duodecies",
                                 "terdecies", "quaterdecies", "quindecies", "sexdecies", "septdecies"};
  if (n >= 1 && n < static_cast<int>(std::size(kLatin))) return kLatin[n];
  return std::to_string(n + 1);
}

std::vector<std::string> paragraph_labels(const Text& t) {
  std::vector<std::string> labels;
  labels.reserve(t.paragraphs.size());
  int number = 0;   // the last operative number
  int inserted = 0; // paragraphs proposed for addition since it
  for (const auto& p : t.paragraphs) {
    if (p.part == Part::kPreamble) {
      labels.emplace_back();
      continue;
    }
    if (p.alternative) {
      labels.push_back("Alt " + std::to_string(number));
    } else if (p.is_addition() && number > 0) {
      labels.push_back(std::to_string(number) + " " + ordinal_suffix(++inserted));
    } else {
      labels.push_back(std::to_string(++number));
      inserted = 0;
    }
  }
  return labels;
}

namespace {

void split_positions(const std::vector<Attribution>& as, ProposalView& v) {
  if (as.empty()) return;
  v.state = as[0].state;
  for (std::size_t i = 1; i < as.size(); ++i)
    (as[i].sign == as[0].sign ? v.supporters : v.opposers).push_back(as[i].state);
}

bool blank(const Node& n) { return !n.bracket && n.text.find_first_not_of(' ') == std::string::npos; }

void collect(const std::vector<Node>& nodes, std::size_t paragraph, int depth, std::vector<ProposalView>& out) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    if (!n.bracket) continue;
    ProposalView v;
    v.id = n.id;
    v.paragraph = paragraph;
    v.depth = depth;
    v.by = n.by;
    v.at = n.at;
    v.text = render_content(n.children);
    split_positions(n.attributions, v);
    v.kind = n.attributions.empty() ? "bracket" : n.attributions[0].sign == '+' ? "insert" : "delete";
    // A deletion and the insertion right after it, by the same state: one replacement.
    std::size_t next = i + 1;
    while (next < nodes.size() && blank(nodes[next])) ++next;
    if (v.kind == "delete" && next < nodes.size() && nodes[next].bracket && !nodes[next].attributions.empty() &&
        nodes[next].attributions[0].sign == '+' && nodes[next].attributions[0].state == v.state) {
      v.kind = "replace";
      v.replacement = render_content(nodes[next].children);
      v.insert_id = nodes[next].id;
      out.push_back(v);
      collect(n.children, paragraph, depth + 1, out);
      collect(nodes[next].children, paragraph, depth + 1, out);
      i = next;
      continue;
    }
    out.push_back(std::move(v));
    collect(n.children, paragraph, depth + 1, out);
  }
}

void count(const std::vector<Node>& nodes, int& per_paragraph, std::map<std::string, int>& per_state) {
  for (const auto& n : nodes) {
    if (!n.bracket) continue;
    ++per_paragraph;
    for (const auto& a : n.attributions) ++per_state[a.state];
    count(n.children, per_paragraph, per_state);
  }
}

void link(std::vector<Node>& nodes) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].bracket) continue;
    link(nodes[i].children);
    std::size_t next = i + 1;
    while (next < nodes.size() && blank(nodes[next])) ++next;
    const auto& a = nodes[i].attributions;
    if (next < nodes.size() && nodes[next].bracket && !a.empty() && a[0].sign == '-' && !nodes[next].attributions.empty() &&
        nodes[next].attributions[0].sign == '+' && nodes[next].attributions[0].state == a[0].state && !nodes[i].id.empty())
      nodes[next].id = nodes[i].id + "a";
  }
}

}  // namespace

void link_replacements(Text& t) {
  for (auto& p : t.paragraphs) link(p.content);
}

std::vector<ProposalView> proposals(const Text& t) {
  std::vector<ProposalView> out;
  for (std::size_t i = 0; i < t.paragraphs.size(); ++i) {
    const auto& p = t.paragraphs[i];
    if (p.bracketed) {
      ProposalView v;
      v.id = p.proposal_id;
      v.paragraph = i;
      v.by = p.by;
      v.at = p.at;
      v.text = render_content(p.content);
      split_positions(p.attributions, v);
      v.kind = p.alternative              ? "alternative"
               : p.attributions.empty()   ? "bracket"
               : p.attributions[0].sign == '+' ? "add_paragraph"
                                               : "delete_paragraph";
      out.push_back(std::move(v));
    }
    collect(p.content, i, p.bracketed ? 1 : 0, out);
  }
  return out;
}

BracketCounts count_brackets(const Text& t) {
  BracketCounts c;
  std::map<std::string, int> states;
  for (const auto& p : t.paragraphs) {
    int n = 0;
    if (p.bracketed) {
      ++n;
      for (const auto& a : p.attributions) ++states[a.state];
    }
    count(p.content, n, states);
    c.per_paragraph.push_back(n);
    c.total += n;
  }
  c.per_state.assign(states.begin(), states.end());
  return c;
}

}  // namespace parley::negotiation
