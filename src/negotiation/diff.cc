#include "negotiation/diff.h"

#include <map>
#include <set>

#include "negotiation/notation.h"

namespace parley::negotiation {

namespace {

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    cur += c;
    if (c == ' ') {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string paragraph_text(const Paragraph& p, const std::string& label) {
  std::string out = p.bracketed ? "[" : "";
  if (!label.empty()) out += label + ". ";
  out += render_content(p.content);
  if (p.bracketed) {
    out += "]";
    for (const auto& a : p.attributions) out += std::string(" (") + a.sign + a.state + ")";
  }
  if (p.agreed_ad_ref) out += " (agreed ad ref)";
  return out;
}

std::set<std::string> open_ids(const Text& t) {
  std::set<std::string> ids;
  for (const auto& p : proposals(t)) {
    ids.insert(p.id);
    if (!p.insert_id.empty()) ids.insert(p.insert_id);
  }
  return ids;
}

}  // namespace

std::vector<WordChange> diff_words(const std::string& a, const std::string& b) {
  const auto x = words_of(a), y = words_of(b);
  const std::size_t n = x.size(), m = y.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<WordChange> out;
  const auto push = [&out](char op, const std::string& w) {
    if (!out.empty() && out.back().op == op) out.back().text += w;
    else out.push_back({op, w});
  };
  std::size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] == y[j]) {
      push('=', x[i]);
      ++i, ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      push('-', x[i++]);
    } else {
      push('+', y[j++]);
    }
  }
  while (i < n) push('-', x[i++]);
  while (j < m) push('+', y[j++]);
  return out;
}

TextDiff diff_texts(const Text& from, const Text& to) {
  TextDiff d;
  const auto from_labels = paragraph_labels(from), to_labels = paragraph_labels(to);
  std::map<std::string, std::size_t> in_from, in_to;
  for (std::size_t i = 0; i < from.paragraphs.size(); ++i) in_from[from.paragraphs[i].id] = i;
  for (std::size_t i = 0; i < to.paragraphs.size(); ++i) in_to[to.paragraphs[i].id] = i;
  std::size_t next_from = 0;
  const auto removed_until = [&](std::size_t until) {
    for (; next_from < until; ++next_from) {
      const auto& p = from.paragraphs[next_from];
      if (in_to.count(p.id)) continue;
      d.paragraphs.push_back({p.id, "removed", from_labels[next_from], "", paragraph_text(p, from_labels[next_from]), "", {}, false});
    }
  };
  for (std::size_t i = 0; i < to.paragraphs.size(); ++i) {
    const auto& p = to.paragraphs[i];
    ParagraphChange c;
    c.id = p.id;
    c.to_label = to_labels[i];
    c.to = paragraph_text(p, to_labels[i]);
    auto it = in_from.find(p.id);
    if (it == in_from.end()) {
      c.status = "added";
      c.agreed_ad_ref = p.agreed_ad_ref;
    } else {
      removed_until(it->second);
      next_from = std::max(next_from, it->second + 1);
      const auto& q = from.paragraphs[it->second];
      c.from_label = from_labels[it->second];
      c.from = paragraph_text(q, from_labels[it->second]);
      c.status = c.from == c.to ? "unchanged" : "changed";
      if (c.status == "changed") c.words = diff_words(c.from, c.to);
      c.agreed_ad_ref = p.agreed_ad_ref && !q.agreed_ad_ref;
    }
    d.paragraphs.push_back(std::move(c));
  }
  removed_until(from.paragraphs.size());
  const auto a = open_ids(from), b = open_ids(to);
  for (const auto& id : b)
    if (!a.count(id)) d.proposals_added.push_back(id);
  for (const auto& id : a)
    if (!b.count(id)) d.proposals_closed.push_back(id);
  d.brackets_from = count_brackets(from).total;
  d.brackets_to = count_brackets(to).total;
  return d;
}

nlohmann::json TextDiff::to_json() const {
  auto ps = nlohmann::json::array();
  for (const auto& p : paragraphs) {
    nlohmann::json j = {{"id", p.id}, {"status", p.status}, {"from_label", p.from_label}, {"to_label", p.to_label},
                        {"from", p.from},  {"to", p.to},         {"agreed_ad_ref", p.agreed_ad_ref}};
    if (!p.words.empty()) {
      auto ws = nlohmann::json::array();
      for (const auto& w : p.words) ws.push_back({{"op", std::string(1, w.op)}, {"text", w.text}});
      j["words"] = ws;
    }
    ps.push_back(std::move(j));
  }
  return {{"paragraphs", ps},
          {"proposals_added", proposals_added},
          {"proposals_closed", proposals_closed},
          {"brackets", {{"from", brackets_from}, {"to", brackets_to}}}};
}

}  // namespace parley::negotiation
