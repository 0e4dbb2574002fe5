#include "negotiation/notation.h"

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <fmt/format.h>
#include <optional>

namespace parley::negotiation {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string trim_copy(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// Positions in the source: byte offset -> line and column (characters).
class Locator {
 public:
  explicit Locator(std::string_view src) : src_(src) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < src.size(); ++i)
      if (src[i] == '\n') starts_.push_back(i + 1);
  }
  // Findings come mostly in reading order: the column is counted on from the previous
  // finding's when it is on the same line, so that many findings on one long line cost
  // linear time, not quadratic.
  Finding at(std::size_t offset, std::string message) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - starts_.begin());
    const std::size_t start = starts_[line - 1];
    std::size_t from = start;
    int column = 1;
    if (memo_line_ == line && memo_offset_ <= offset) {
      from = memo_offset_;
      column = memo_column_;
    }
    for (std::size_t i = from; i < offset && i < src_.size(); ++i)
      if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) ++column;
    memo_line_ = line;
    memo_offset_ = offset;
    memo_column_ = column;
    return {static_cast<int>(line), column, std::move(message)};
  }

 private:
  std::string_view src_;
  std::vector<std::size_t> starts_;
  mutable std::size_t memo_line_ = 0, memo_offset_ = 0;
  mutable int memo_column_ = 1;
};

// Records a finding, up to kMaxFindings of each kind; the rest are only counted, so a
// text with a million stray brackets gets a short answer.
void add(ParseResult& r, std::vector<Finding>& list, const Locator& loc, std::size_t offset, std::string message) {
  if (list.size() >= kMaxFindings) {
    ++r.omitted;
    return;
  }
  list.push_back(loc.at(offset, std::move(message)));
}

// A sign as negotiators type it: + - and the minus sign, en dash.
std::size_t sign_at(std::string_view s, std::size_t i, char& sign) {
  if (i >= s.size()) return 0;
  if (s[i] == '+' || s[i] == '-') {
    sign = s[i] == '+' ? '+' : '-';
    return 1;
  }
  if (s.substr(i, 3) == "\xE2\x88\x92" || s.substr(i, 3) == "\xE2\x80\x93") {   // U+2212, U+2013
    sign = '-';
    return 3;
  }
  return 0;
}

// One attribution group "(+ISR)" or "(-IND, +CHN)" at s[i]: its end, or npos.
struct Group {
  std::size_t end = std::string_view::npos;
  std::vector<std::pair<Attribution, std::size_t>> items;   // attribution, offset of its code
};

Group group_at(std::string_view s, std::size_t i) {
  Group g;
  if (i >= s.size() || s[i] != '(') return g;
  std::size_t p = i + 1;
  for (;;) {
    while (p < s.size() && s[p] == ' ') ++p;
    char sign = 0;
    const auto n = sign_at(s, p, sign);
    if (!n) return {};
    p += n;
    if (p + 3 > s.size()) return {};
    for (std::size_t k = 0; k < 3; ++k)
      if (!std::isalpha(static_cast<unsigned char>(s[p + k]))) return {};
    g.items.push_back({Attribution{sign, std::string(s.substr(p, 3))}, p});
    p += 3;
    while (p < s.size() && s[p] == ' ') ++p;
    if (p < s.size() && s[p] == ')') {
      g.end = p + 1;
      return g;
    }
    if (p < s.size() && s[p] == ',') {
      ++p;
      continue;
    }
    return {};
  }
}

struct Block {
  std::size_t begin = 0;   // offset in the source
  std::string text;        // same length as the source slice; newlines made spaces
};

class ParagraphParser {
 public:
  ParagraphParser(const Block& b, const Locator& loc, const StateCheck& known, ParseResult& r)
      : s_(b.text), base_(b.begin), loc_(loc), known_(known), r_(r) {}

  std::vector<Node> parse() {
    auto nodes = seq(0);
    if (pos_ < s_.size()) error(pos_, "unexpected ']'");
    return nodes;
  }
  bool failed() const { return failed_; }

 private:
  void error(std::size_t at, std::string m) {
    failed_ = true;
    add(r_, r_.errors, loc_, base_ + at, std::move(m));
  }

  // Attribution groups after a bracket or loose text; pos_ is left after the last one.
  std::vector<Attribution> groups() {
    std::vector<Attribution> out;
    std::size_t p = pos_;
    for (;;) {
      std::size_t q = p;
      while (q < s_.size() && s_[q] == ' ') ++q;
      auto g = group_at(s_, q);
      if (g.end == std::string_view::npos) break;
      for (auto& [a, at] : g.items) {
        const bool upper = std::all_of(a.state.begin(), a.state.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!upper || !known_(a.state))
          error(at, fmt::format("unknown state code '{}'{}", a.state, upper ? "" : " (codes are ISO 3166-1 alpha-3, in capitals)"));
        out.push_back(a);
      }
      p = g.end;
    }
    if (!out.empty()) pos_ = p;
    return out;
  }

  static void append_text(std::vector<Node>& nodes, std::string_view t) {
    if (t.empty()) return;
    if (nodes.empty() || nodes.back().bracket) nodes.push_back(Node::run(""));
    nodes.back().text += t;
  }

  std::vector<Node> seq(int depth) {
    std::vector<Node> nodes;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ']') {
        if (depth > 0) return nodes;
        error(pos_, "']' closes no bracket");
        ++pos_;
        continue;
      }
      if (c == '[') {
        if (depth >= static_cast<int>(kMaxBracketDepth)) {
          // Refused, not recursed into: the parser's stack stays bounded whatever the input.
          error(pos_, fmt::format("brackets nested more than {} deep", kMaxBracketDepth));
          pos_ = s_.size();
          return nodes;
        }
        const std::size_t open = pos_++;
        Node b;
        b.bracket = true;
        b.children = seq(depth + 1);
        if (pos_ >= s_.size()) {
          error(open, "'[' is never closed");
          return nodes;
        }
        ++pos_;   // ']'
        b.attributions = groups();
        const bool empty = std::all_of(b.children.begin(), b.children.end(), [](const Node& n) {
          return !n.bracket && trim_copy(n.text).empty();
        });
        if (empty) error(open, b.attributions.empty() ? "empty brackets" : "an attribution with no text: the brackets are empty");
        nodes.push_back(std::move(b));
        continue;
      }
      if (c == '(') {
        const std::size_t at = pos_;
        auto attrs = groups();
        if (!attrs.empty()) {
          loose(nodes, at, std::move(attrs));
          continue;
        }
      }
      if (c == '*') {   // Markdown emphasis in a hand-made text ("*Expressing* concern")
        if (!emphasis_noted_) add(r_, r_.notices, loc_, base_ + pos_, "Markdown emphasis (*) removed");
        emphasis_noted_ = true;
        ++pos_;
        continue;
      }
      const std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != '[' && s_[pos_] != ']' && s_[pos_] != '(' && s_[pos_] != '*') ++pos_;
      if (pos_ == start) ++pos_;   // a '(' that opens no attribution
      append_text(nodes, s_.substr(start, pos_ - start));
    }
    return nodes;
  }

  // "text(+ISR)" without brackets: the text since the previous bracket (or the start)
  // is taken as the proposal, and a person is asked to confirm its extent.
  void loose(std::vector<Node>& nodes, std::size_t at, std::vector<Attribution> attrs) {
    std::string run = (!nodes.empty() && !nodes.back().bracket) ? nodes.back().text : "";
    const auto first = run.find_first_not_of(' ');
    if (first == std::string::npos) {
      error(at, "an attribution with no text before it");
      return;
    }
    if (!nodes.empty() && !nodes.back().bracket) nodes.pop_back();
    std::string proposed = run.substr(first);
    while (!proposed.empty() && proposed.back() == ' ') proposed.pop_back();
    if (first) nodes.push_back(Node::run(run.substr(0, first)));
    const bool after_bracket = !nodes.empty() || first;
    std::string shown = proposed.size() > 60 ? proposed.substr(0, 28) + " … " + proposed.substr(proposed.size() - 28)
                                             : proposed;
    std::string who;
    for (const auto& a : attrs) who += fmt::format("{}({}{})", who.empty() ? "" : " ", a.sign, a.state);
    add(r_, r_.ambiguities, loc_,
        base_ + at, fmt::format("{} follows text that is not in brackets: taken as {}'s {} of \"{}\" (from {}); "
                                "confirm where it starts",
                                who, attrs[0].state, attrs[0].sign == '+' ? "insertion" : "deletion", shown,
                                after_bracket ? "the end of the previous bracket" : "the start of the paragraph"));
    Node b;
    b.bracket = true;
    b.children.push_back(Node::run(proposed));
    b.attributions = std::move(attrs);
    nodes.push_back(std::move(b));
  }

  std::string_view s_;
  std::size_t base_;
  const Locator& loc_;
  const StateCheck& known_;
  ParseResult& r_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  bool emphasis_noted_ = false;
};

// Whitespace inside runs: one space for any run of blanks; no blanks at a paragraph's ends.
void squeeze(std::vector<Node>& nodes) {
  for (auto& n : nodes) {
    if (n.bracket) {
      squeeze(n.children);
      continue;
    }
    std::string out;
    bool space = false;
    for (char c : n.text) {
      if (is_space(c)) {
        space = true;
        continue;
      }
      if (space) out += ' ';
      space = false;
      out += c;
    }
    if (space) out += ' ';
    n.text = std::move(out);
  }
  std::erase_if(nodes, [](const Node& n) { return !n.bracket && n.text.empty(); });
}

void trim_edges(std::vector<Node>& nodes) {
  if (!nodes.empty() && !nodes.front().bracket) {
    auto& t = nodes.front().text;
    t.erase(0, t.find_first_not_of(' ') == std::string::npos ? t.size() : t.find_first_not_of(' '));
  }
  if (!nodes.empty() && !nodes.back().bracket) {
    auto& t = nodes.back().text;
    while (!t.empty() && t.back() == ' ') t.pop_back();
  }
  std::erase_if(nodes, [](const Node& n) { return !n.bracket && n.text.empty(); });
}

struct Label {
  bool alternative = false;
  int number = 0;
  std::string suffix;
};

// "3. ", "3 bis. ", "Alt 3. " at the start of a paragraph's first run.
std::optional<Label> take_label(std::vector<Node>& content) {
  if (content.empty() || content.front().bracket) return std::nullopt;
  auto& t = content.front().text;
  Label l;
  std::size_t i = 0;
  if (t.compare(0, 4, "Alt ") == 0) {
    l.alternative = true;
    i = 4;
    while (i < t.size() && t[i] == ' ') ++i;
  }
  const std::size_t digits = i;
  while (i < t.size() && i - digits < 4 && t[i] >= '0' && t[i] <= '9') l.number = l.number * 10 + (t[i++] - '0');
  if (i == digits) return std::nullopt;
  if (i < t.size() && t[i] == ' ') {   // "3 bis."
    std::size_t j = i + 1;
    while (j < t.size() && t[j] >= 'a' && t[j] <= 'z') ++j;
    if (j > i + 1 && j < t.size() && t[j] == '.') {
      l.suffix = t.substr(i + 1, j - i - 1);
      i = j;
    }
  }
  if (i >= t.size() || t[i] != '.' || i + 1 >= t.size() || t[i + 1] != ' ') return std::nullopt;
  i += 2;
  while (i < t.size() && t[i] == ' ') ++i;
  t.erase(0, i);
  if (t.empty()) content.erase(content.begin());
  return l;
}

// " (agreed ad ref)" at the end of a paragraph.
bool take_ad_ref(std::vector<Node>& content) {
  if (content.empty() || content.back().bracket) return false;
  auto& t = content.back().text;
  for (std::string_view mark : {"(agreed ad ref)", "(ad ref)"}) {
    if (t.size() >= mark.size() && t.compare(t.size() - mark.size(), mark.size(), mark) == 0) {
      t.erase(t.size() - mark.size());
      while (!t.empty() && t.back() == ' ') t.pop_back();
      if (t.empty()) content.pop_back();
      return true;
    }
  }
  return false;
}

std::string strip_markdown(std::string_view line) {
  std::string s = trim_copy(line);
  while (!s.empty() && s[0] == '#') s.erase(0, 1);
  std::string out;
  for (char c : s)
    if (c != '*') out += c;
  return trim_copy(out);
}

bool is_heading(std::string_view line) { return !line.empty() && line[0] == '#'; }

// An operative part's opening line: a heading, or a line in capitals ending with ':'.
bool is_chapeau(std::string_view text) {
  const auto t = trim_copy(text);
  if (t.size() < 4 || t.back() != ':') return false;
  bool letter = false;
  for (char c : t) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') letter = true;
  }
  return letter;
}

// A document symbol opening a line ("SUM/2022/DRAFT/3/Rev.1 12 August 2022"): capitals,
// digits, '.' and '-' in its first part, then one or more "/part"s; "" when there is none.
std::string symbol_at_start(std::string_view line) {
  const auto end = std::min(line.size(), line.find_first_of(" \t"));
  const auto token = line.substr(0, end);
  if (token.empty() || token[0] < 'A' || token[0] > 'Z' || token.find('/') == std::string_view::npos) return "";
  bool first_part = true;
  char prev = 0;
  for (char c : token) {
    if (c == '/') {
      if (prev == '/' ) return "";
      first_part = false;
    } else if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || (c >= 'A' && c <= 'Z') ||
                 (!first_part && c >= 'a' && c <= 'z'))) {
      return "";
    }
    prev = c;
  }
  return prev == '/' ? "" : std::string(token);
}

}  // namespace

namespace {

// Whether a run of `nodes` holds text that reads as an attribution ("(+CHN)"): what the
// parser normalised (Markdown emphasis removed, a tab made a space) can make one, and
// the canonical rendering would then read differently from what was imported.
bool reads_as_attribution(const std::vector<Node>& nodes) {
  for (const auto& n : nodes) {
    if (n.bracket) {
      if (reads_as_attribution(n.children)) return true;   // depth bounded by kMaxBracketDepth
      continue;
    }
    for (auto i = n.text.find('('); i != std::string::npos; i = n.text.find('(', i + 1))
      if (group_at(n.text, i).end != std::string_view::npos) return true;
  }
  return false;
}

// Whether an attribution ("(-RUS)") reads across `junction` in `text`, whose two sides
// held none: only a '(' shortly before the junction can open one (a group is a few
// characters a state), so the cost does not grow with the text.
bool attribution_across(std::string_view text, std::size_t junction) {
  const std::size_t from = junction > 256 ? junction - 256 : 0;
  for (auto i = text.rfind('(', junction); i != std::string_view::npos && i >= from; i = i ? text.rfind('(', i - 1) : std::string_view::npos) {
    if (group_at(text, i).end != std::string_view::npos) return true;
    if (i == 0) break;
  }
  return false;
}

// A heading or chapeau written over several lines, as one line.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::string out;
  for (const char c : s)
    if (c != ' ' || out.empty() || out.back() != ' ') out += c;
  return out;
}

bool starts_like_front_matter(std::string_view line) {
  return line.rfind("Symbol:", 0) == 0 || line.rfind("Distr", 0) == 0 || line.rfind("Date:", 0) == 0;
}

}  // namespace

namespace {

// One pass of the parser; `offsets`, when given, receives each paragraph's position.
ParseResult parse_once(std::string_view source, const StateCheck& known_state, std::vector<std::size_t>* offsets) {
  ParseResult r;
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  // Blanks are spaces from the start (a tab, a form feed; a byte-order mark inside the
  // text, from files pasted together), so that every rule below sees what the canonical
  // rendering will show: "-\tp" is not a list item now and one after a round trip.
  std::string blanks_as_spaces;
  if (source.find_first_of("\t\v\f") != std::string_view::npos || source.find("\xEF\xBB\xBF") != std::string_view::npos) {
    blanks_as_spaces = std::string(source);
    for (auto at = blanks_as_spaces.find("\xEF\xBB\xBF"); at != std::string::npos; at = blanks_as_spaces.find("\xEF\xBB\xBF", at))
      blanks_as_spaces.replace(at, 3, "   ");
    std::replace_if(blanks_as_spaces.begin(), blanks_as_spaces.end(), [](char c) { return c == '\t' || c == '\v' || c == '\f'; }, ' ');
    source = blanks_as_spaces;
  }
  const Locator loc(source);

  // Lines, then blocks of consecutive non-blank lines (a heading is a block of its own).
  struct Line {
    std::size_t begin, end;
  };
  std::vector<Line> lines;
  for (std::size_t b = 0; b <= source.size();) {
    auto e = source.find('\n', b);
    if (e == std::string_view::npos) e = source.size();
    lines.push_back({b, e});
    b = e + 1;
  }
  std::vector<std::pair<std::size_t, std::size_t>> blocks;   // [begin, end) offsets
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto text = source.substr(lines[i].begin, lines[i].end - lines[i].begin);
    if (trim_copy(text).empty()) continue;
    const auto t = trim_copy(text);
    if (is_heading(t) || t.rfind("- ", 0) == 0 || blocks.empty() || lines[i - 1].end + 1 != lines[i].begin ||
        trim_copy(source.substr(lines[i - 1].begin, lines[i - 1].end - lines[i - 1].begin)).empty() ||
        is_heading(trim_copy(source.substr(lines[i - 1].begin, lines[i - 1].end - lines[i - 1].begin))))
      blocks.push_back({lines[i].begin, lines[i].end});
    else
      blocks.back().second = lines[i].end;
  }

  // Front matter: everything before the title (the first "# " heading), when there is one.
  std::size_t title_block = blocks.size();
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto t = trim_copy(source.substr(blocks[i].first, blocks[i].second - blocks[i].first));
    if (t.size() > 2 && t[0] == '#' && t[1] == ' ') {
      title_block = i;
      break;
    }
  }
  // Reads a front-matter line; false when it is not one.
  const auto front_line = [&](const std::string& line) {
    const auto key = [&](std::string_view k) { return line.rfind(k, 0) == 0; };
    if (key("Symbol:")) r.text.symbol = trim_copy(line.substr(7));
    else if (key("Distr:")) r.text.distribution = trim_copy(line.substr(6));
    else if (key("Distribution:")) r.text.distribution = trim_copy(line.substr(13));
    else if (key("Date:")) r.text.date = trim_copy(line.substr(5));
    else if (const auto symbol = symbol_at_start(line); !symbol.empty()) {
      r.text.symbol = symbol;
      r.text.date = trim_copy(std::string_view(line).substr(symbol.size()));
    } else {
      return false;
    }
    return true;
  };
  const auto block_lines = [&](std::size_t i) {
    std::vector<std::pair<std::size_t, std::string>> out;
    for (std::size_t b = blocks[i].first; b < blocks[i].second;) {
      auto e = source.find('\n', b);
      if (e == std::string_view::npos || e > blocks[i].second) e = blocks[i].second;
      out.push_back({b, strip_markdown(source.substr(b, e - b))});
      b = e + 1;
    }
    return out;
  };
  std::size_t body = 0;
  if (title_block < blocks.size()) {
    for (std::size_t i = 0; i < title_block; ++i)
      for (const auto& [at, line] : block_lines(i))
        if (!front_line(line)) add(r, r.notices, loc, at, "not imported (before the title): " + line);
    r.text.title = strip_markdown(source.substr(blocks[title_block].first, blocks[title_block].second - blocks[title_block].first));
    body = title_block + 1;
  } else {
    // No title: leading blocks made only of front-matter lines.
    for (; body < blocks.size(); ++body) {
      const auto ls = block_lines(body);
      const bool all = std::all_of(ls.begin(), ls.end(), [&](const auto& l) { return starts_like_front_matter(l.second); });
      if (!all) break;
      for (const auto& l : ls) front_line(l.second);
    }
  }

  // The body: paragraphs, and the line that opens the operative part.
  bool operative = false;
  struct Numbered {
    std::size_t paragraph;
    std::size_t offset;
    Label label;
  };
  std::vector<Numbered> written;
  int next_id = 0;
  for (std::size_t i = body; i < blocks.size(); ++i) {
    const auto raw = source.substr(blocks[i].first, blocks[i].second - blocks[i].first);
    const auto stripped = trim_copy(raw);
    if (is_heading(stripped) || (is_chapeau(stripped) && !operative)) {
      const auto line = one_line(strip_markdown(stripped));
      if (!operative && r.text.chapeau.empty()) {
        r.text.chapeau = line;
        operative = true;
      } else {
        add(r, r.notices, loc, blocks[i].first, "heading not imported: " + line);
      }
      continue;
    }
    if (title_block == blocks.size() && starts_like_front_matter(stripped)) {
      // Without a title, a paragraph that opens like a header line would be read as one
      // when the text is rendered and imported again.
      add(r, r.errors, loc, blocks[i].first,
          "a paragraph that starts like a header line (Symbol:, Distr, Date:) in a text without a title: "
          "give the text a title line (# ...) first");
      continue;
    }
    Block block{blocks[i].first, std::string(raw)};
    std::replace(block.text.begin(), block.text.end(), '\n', ' ');
    std::replace(block.text.begin(), block.text.end(), '\r', ' ');
    // A Markdown list item ("- 1. We decide ...").
    const auto lead = block.text.find_first_not_of(' ');
    if (block.text.compare(lead, 2, "- ") == 0) block.text.replace(lead, 2, "  ");
    ParagraphParser pp(block, loc, known_state, r);
    auto nodes = pp.parse();
    if (pp.failed()) continue;
    squeeze(nodes);
    trim_edges(nodes);
    if (reads_as_attribution(nodes)) {
      add(r, r.errors, loc, block.begin + lead,
          "text that reads as an attribution once tidied (a tab, or Markdown emphasis, inside \"( +ISR)\"): "
          "write the attribution plainly after a bracket, or leave it out");
      continue;
    }
    Paragraph p;
    // The whole paragraph in one bracket: a paragraph-level proposal.
    if (nodes.size() == 1 && nodes[0].bracket) {
      p.bracketed = true;
      p.attributions = nodes[0].attributions;
      p.content = std::move(nodes[0].children);
      trim_edges(p.content);
    } else {
      p.content = std::move(nodes);
    }
    p.agreed_ad_ref = take_ad_ref(p.content);
    const auto label = take_label(p.content);
    if (label) {
      operative = true;
      p.alternative = label->alternative;
      if (p.alternative && !p.bracketed)
        add(r, r.ambiguities, loc, block.begin, "an alternative paragraph that is not in brackets: nobody proposes it");
    } else if (operative && !r.text.paragraphs.empty() && r.text.paragraphs.back().part == Part::kOperative) {
      // An unnumbered block in the operative part continues the previous paragraph
      // (a page break, or a second sentence set apart).
      auto& prev = r.text.paragraphs.back();
      if (p.content.empty()) {   // only "(ad ref)" on a line of its own: it marks the paragraph above
        prev.agreed_ad_ref = prev.agreed_ad_ref || p.agreed_ad_ref;
        continue;
      }
      const bool lower = !p.content.empty() && !p.content[0].bracket && !p.content[0].text.empty() &&
                         std::islower(static_cast<unsigned char>(p.content[0].text[0]));
      if (lower)
        add(r, r.notices, loc, block.begin + lead, "an unnumbered block starting in lower case: joined to the previous paragraph");
      else
        add(r, r.ambiguities, loc, block.begin + lead,
                                       "an unnumbered paragraph in the operative part: joined to the previous paragraph; "
                                       "confirm, or number it");
      // Joined in place, at the junction only (both sides are squeezed and trimmed
      // already): rebuilding the whole paragraph at every join made a text of many
      // unnumbered blocks cost quadratic time.
      auto& joined = prev.content;
      if (joined.empty() || joined.back().bracket) joined.push_back(Node::run(""));
      bool spans = false;
      {
        auto& tail = joined.back().text;
        while (!tail.empty() && is_space(tail.back())) tail.pop_back();
        const std::size_t junction = tail.size();
        if (!tail.empty() || joined.size() > 1) tail += ' ';
        if (!p.content.front().bracket) {
          const auto& head = p.content.front().text;
          const auto from = std::min(head.find_first_not_of(' '), head.size());
          tail.append(head, from, std::string::npos);
        }
        spans = attribution_across(tail, junction);
      }
      for (std::size_t k = p.content.front().bracket ? 0 : 1; k < p.content.size(); ++k)
        joined.push_back(std::move(p.content[k]));
      if (spans)   // "1. (" then "-RUS)": joined, it would read as one
        add(r, r.errors, loc, block.begin + lead,
            "joined to the paragraph above, this block's text reads as an attribution: number it, or write the "
            "attribution after a bracket");
      continue;
    }
    if (p.content.empty()) {
      add(r, r.errors, loc, block.begin + lead, "a paragraph with no text");
      continue;
    }
    p.part = operative ? Part::kOperative : Part::kPreamble;
    p.id = fmt::format("p{}", ++next_id);
    if (label) written.push_back({r.text.paragraphs.size(), block.begin + lead, *label});
    if (offsets) offsets->push_back(block.begin + lead);
    r.text.paragraphs.push_back(std::move(p));
  }
  if (!r.errors.empty()) {
    r.text.paragraphs.clear();
    return r;
  }

  // Numbers as written against Parley's numbering.
  const auto labels = paragraph_labels(r.text);
  // A numbering that goes wrong once is reported once; the paragraphs that follow with
  // the same shift are notices.
  int shift = 0;
  for (const auto& w : written) {
    const std::string as_written = fmt::format("{}{}{}{}", w.label.alternative ? "Alt " : "", w.label.number,
                                               w.label.suffix.empty() ? "" : " ", w.label.suffix);
    if (as_written == labels[w.paragraph]) {
      shift = 0;
      continue;
    }
    int computed = 0;
    std::sscanf(labels[w.paragraph].c_str() + (w.label.alternative ? 4 : 0), "%d", &computed);
    const int now = computed - w.label.number;
    const auto message = fmt::format("numbered \"{}\" in the text; Parley numbers it \"{}\"", as_written,
                                     labels[w.paragraph]);
    if (now != shift || now == 0)
      add(r, r.ambiguities, loc, w.offset, message + " (operative paragraphs are numbered in sequence); confirm");
    else
      add(r, r.notices, loc, w.offset, message + ", as the paragraphs before it");
    shift = now;
  }
  // Proposal ids in reading order.
  int next = 0;
  std::function<void(std::vector<Node>&)> number = [&](std::vector<Node>& nodes) {
    for (auto& n : nodes)
      if (n.bracket) {
        n.id = fmt::format("P{}", ++next);
        number(n.children);
      }
  };
  for (auto& p : r.text.paragraphs) {
    if (p.bracketed) p.proposal_id = fmt::format("P{}", ++next);
    number(p.content);
  }
  link_replacements(r.text);
  return r;
}

}  // namespace

ParseResult parse_compilation(std::string_view source, const StateCheck& known_state) {
  std::vector<std::size_t> offsets;
  auto r = parse_once(source, known_state, &offsets);
  if (!r.ok()) return r;
  // What is imported is kept, exported and imported again in Parley's notation: it must
  // read back as the same text. A hand-made text can hold what no rule above foresaw (a
  // paragraph that starts like a heading once its emphasis is gone, say); such a text is
  // refused here, at the paragraph, rather than changed by a later round trip.
  // A text already in canonical form (what Parley itself wrote) reads back as itself.
  if (source.substr(0, 3) == "\xEF\xBB\xBF") source.remove_prefix(3);
  const auto canonical = render_compilation(r.text);
  if (canonical == source) return r;
  const auto again = parse_once(canonical, known_state, nullptr);
  if (again.ok() && again.text.same_as(r.text) && (!r.ambiguities.empty() || again.ambiguities.empty())) return r;
  const Locator loc(source);
  const auto& a = r.text;
  const auto& b = again.text;
  std::size_t i = 0;
  while (i < a.paragraphs.size() && i < b.paragraphs.size() && a.paragraphs[i].same_as(b.paragraphs[i])) ++i;
  const bool header = a.title != b.title || a.symbol != b.symbol || a.date != b.date ||
                      a.distribution != b.distribution || a.chapeau != b.chapeau;
  if (header || i >= offsets.size())
    add(r, r.errors, loc, 0,
        "the title, header lines or the line before the operative paragraphs would not read back the same from "
        "Parley's notation: write them plainly");
  else
    add(r, r.errors, loc, offsets[i],
        "this paragraph would not read back the same from Parley's notation (it would start like a heading, a "
        "header line, a list item, a number or an attribution): reword its start or its end");
  r.text.paragraphs.clear();
  return r;
}

// ---------------------------------------------------------------- rendering

namespace {

void render_attrs(std::string& out, const std::vector<Attribution>& as) {
  for (const auto& a : as) {
    out += " (";
    out += a.sign;
    out += a.state;
    out += ')';
  }
}

void render_nodes(std::string& out, const std::vector<Node>& nodes) {
  for (const auto& n : nodes) {
    if (!n.bracket) {
      out += n.text;
      continue;
    }
    out += '[';
    render_nodes(out, n.children);
    out += ']';
    render_attrs(out, n.attributions);
  }
}

// Resolves brackets: `keep(n)` says whether a bracket's text stays (true), goes (false)
// or stays bracketed (nullopt).
template <class Keep>
void resolve(std::string& out, const std::vector<Node>& nodes, const Keep& keep) {
  for (const auto& n : nodes) {
    if (!n.bracket) {
      out += n.text;
      continue;
    }
    const std::optional<bool> k = keep(n.attributions);
    if (k && *k) {
      resolve(out, n.children, keep);
    } else if (!k) {
      out += '[';
      resolve(out, n.children, keep);
      out += ']';
      render_attrs(out, n.attributions);
    }
  }
}

std::string front_matter(const Text& t) {
  std::string out;
  if (!t.symbol.empty()) out += "Symbol: " + t.symbol + "\n";
  if (!t.distribution.empty()) out += "Distr: " + t.distribution + "\n";
  if (!t.date.empty()) out += "Date: " + t.date + "\n";
  if (!out.empty()) out += "\n";
  if (!t.title.empty()) out += "# " + t.title + "\n\n";
  return out;
}

std::string label_prefix(const std::string& label) { return label.empty() ? "" : label + ". "; }

// Walks the paragraphs with their labels; `chapeau` is called once, before the first
// operative paragraph (or at the end when there is none).
template <class Chapeau, class Each>
void walk(const Text& t, const Chapeau& chapeau, const Each& each) {
  const auto labels = paragraph_labels(t);
  bool chapeau_done = false;
  for (std::size_t i = 0; i < t.paragraphs.size(); ++i) {
    if (t.paragraphs[i].part == Part::kOperative && !chapeau_done) {
      chapeau_done = true;
      chapeau();
    }
    each(t.paragraphs[i], labels[i]);
  }
  if (!chapeau_done) chapeau();
}

template <class Body>
std::string render_with(const Text& t, const Body& body) {
  std::string out = front_matter(t);
  walk(
      t, [&] { if (!t.chapeau.empty()) out += "## " + t.chapeau + "\n\n"; },
      [&](const Paragraph& p, const std::string& label) {
        std::string line = body(p, label);
        if (line.empty()) return;
        out += line;
        out += "\n\n";
      });
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

std::string positions_title(const std::vector<Attribution>& as) {
  if (as.empty()) return "Unattributed brackets";
  std::string s = fmt::format("Proposed by {} ({})", as[0].state, as[0].sign == '+' ? "insert" : "delete");
  std::string sup, opp;
  for (std::size_t i = 1; i < as.size(); ++i) (as[i].sign == as[0].sign ? sup : opp) += (i > 1 ? " " : "") + as[i].state;
  if (!sup.empty()) s += "; supported by " + trim_copy(sup);
  if (!opp.empty()) s += "; opposed by " + trim_copy(opp);
  return s;
}

void html_nodes(std::string& out, const std::vector<Node>& nodes) {
  for (const auto& n : nodes) {
    if (!n.bracket) {
      out += escape_markup(n.text);
      continue;
    }
    const char* kind = n.attributions.empty() ? "bracket" : n.attributions[0].sign == '+' ? "insert" : "delete";
    out += fmt::format(R"(<span class="bracket {}" data-proposal="{}" title="{}">[)", kind, escape_markup(n.id),
                       escape_markup(positions_title(n.attributions)));
    html_nodes(out, n.children);
    out += "]";
    for (const auto& a : n.attributions)
      out += fmt::format(R"( <span class="attribution {}">({}{})</span>)", a.sign == '+' ? "plus" : "minus", a.sign, a.state);
    out += "</span>";
  }
}

}  // namespace

std::string render_content(const std::vector<Node>& content) {
  std::string out;
  render_nodes(out, content);
  return out;
}

std::string clean_content(const std::vector<Node>& content) {
  std::string out;
  resolve(out, content, [](const std::vector<Attribution>&) -> std::optional<bool> { return false; });
  return tidy_spaces(out);
}

std::string render_compilation(const Text& t) {
  return render_with(t, [](const Paragraph& p, const std::string& label) {
    std::string out;
    if (p.bracketed) out += '[';
    out += label_prefix(label);
    render_nodes(out, p.content);
    if (p.bracketed) {
      out += ']';
      render_attrs(out, p.attributions);
    }
    if (p.agreed_ad_ref) out += " (agreed ad ref)";
    return out;
  });
}

std::string render_clean(const Text& t) {
  int number = 0;
  return render_with(t, [&number](const Paragraph& p, const std::string&) -> std::string {
    if (p.bracketed) return "";
    auto text = clean_content(p.content);
    if (text.empty()) return "";
    if (p.part == Part::kOperative) return std::to_string(++number) + ". " + text;
    return text;
  });
}

std::string render_state_view(const Text& t, const std::string& state) {
  const auto keep = [&state](const std::vector<Attribution>& as) -> std::optional<bool> {
    for (const auto& a : as)
      if (a.state == state) return a.sign == '+';
    return std::nullopt;
  };
  return render_with(t, [&](const Paragraph& p, const std::string& label) -> std::string {
    std::string out;
    const auto k = p.bracketed ? keep(p.attributions) : std::optional<bool>(true);
    if (k && !*k) return "";
    if (!k) out += '[';
    out += label_prefix(label);
    std::string body;
    resolve(body, p.content, keep);
    out += tidy_spaces(body);
    if (!k) {
      out += ']';
      render_attrs(out, p.attributions);
    }
    return out;
  });
}

std::string render_markdown(const Text& t) {
  std::string out;
  if (!t.symbol.empty()) out += "**" + t.symbol + "**  \n";
  if (!t.date.empty()) out += t.date + "  \n";
  if (!t.distribution.empty()) out += "Distr: " + t.distribution + "\n";
  if (!out.empty()) out += "\n";
  Text body = t;
  body.symbol.clear();
  body.date.clear();
  body.distribution.clear();
  auto text = render_compilation(body);
  // "1. " would become a list that Markdown renumbers; keep Parley's labels as written.
  // "1. " at a line's start would become a list that Markdown renumbers: "1\. ".
  std::string escaped;
  escaped.reserve(text.size() + 64);
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    std::size_t i = 0;
    if (i < line.size() && line[i] == '[') ++i;
    if (line.substr(i, 4) == "Alt ") i += 4;
    const auto digits = i;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
    if (i > digits && i < line.size() && line[i] == ' ' && i + 1 < line.size() && std::islower(static_cast<unsigned char>(line[i + 1]))) {
      auto j = i + 1;
      while (j < line.size() && std::islower(static_cast<unsigned char>(line[j]))) ++j;
      if (line.substr(j, 2) == ". ") i = j;
    }
    if (i > digits && line.substr(i, 2) == ". ") {
      escaped.append(line.substr(0, i));
      escaped += "\\";
      escaped.append(line.substr(i));
    } else {
      escaped.append(line);
    }
    if (end < text.size()) escaped += '\n';
    start = end + 1;
  }
  // A '<' in the text would be raw HTML to a Markdown renderer (a <script> in a
  // proposal, run where the export is viewed): "\<" is a literal '<' in CommonMark.
  std::string md;
  const auto whole = out + escaped + "\n";
  md.reserve(whole.size());
  for (const char c : whole) {
    if (c == '<') md += '\\';
    md += c;
  }
  return md;
}

std::string render_html(const Text& t, const std::string& lang) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n"
      "body{{font-family:serif;max-width:46em;margin:2em auto;line-height:1.5}}\n"
      ".bracket.insert{{background:#e6f4ea}} .bracket.delete{{background:#fce8e6}}\n"
      ".attribution{{font-family:sans-serif;font-size:.8em;font-weight:bold}} .plus{{color:#137333}} .minus{{color:#a50e0e}}\n"
      ".meta{{text-align:right}} .adref{{font-style:italic;color:#555}}\n</style>\n</head>\n<body>\n",
      escape_markup(lang), escape_markup(t.title));
  if (!t.symbol.empty() || !t.date.empty() || !t.distribution.empty())
    out += fmt::format("<p class=\"meta\">{}<br>{}<br>{}</p>\n", escape_markup(t.symbol), escape_markup(t.date),
                       t.distribution.empty() ? "" : "Distr: " + escape_markup(t.distribution));
  if (!t.title.empty()) out += "<h1>" + escape_markup(t.title) + "</h1>\n";
  walk(
      t, [&] { if (!t.chapeau.empty()) out += "<h2>" + escape_markup(t.chapeau) + "</h2>\n"; },
      [&](const Paragraph& p, const std::string& label) {
        out += fmt::format("<p id=\"{}\" class=\"{}\">", escape_markup(p.id), p.part == Part::kPreamble ? "pp" : "op");
        if (p.bracketed) {
          const char* kind = p.alternative ? "alternative" : p.attributions.empty() ? "bracket"
                                                              : p.attributions[0].sign == '+' ? "insert" : "delete";
          out += fmt::format(R"(<span class="bracket {}" data-proposal="{}" title="{}">[)", kind, escape_markup(p.proposal_id),
                             escape_markup(positions_title(p.attributions)));
        }
        if (!label.empty()) out += "<b>" + escape_markup(label) + ".</b> ";
        html_nodes(out, p.content);
        if (p.bracketed) {
          out += "]";
          for (const auto& a : p.attributions)
            out += fmt::format(R"( <span class="attribution {}">({}{})</span>)", a.sign == '+' ? "plus" : "minus", a.sign, a.state);
          out += "</span>";
        }
        if (p.agreed_ad_ref) out += " <span class=\"adref\">(agreed ad ref)</span>";
        out += "</p>\n";
      });
  return out + "</body>\n</html>\n";
}

std::string escape_markup(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string tidy_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty() && out.back() != '(' && c != ',' && c != '.' && c != ';' && c != ':' && c != ')')
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string notation_safe(std::string_view text) {
  if (text.find_first_of("[]") != std::string_view::npos) return "must not contain '[' or ']' (they are the notation's)";
  for (std::size_t i = text.find('('); i != std::string_view::npos; i = text.find('(', i + 1))
    if (group_at(text, i).end != std::string_view::npos)
      return "must not contain an attribution such as \"(+ISR)\": positions are recorded separately";
  for (char c : text)
    if (c == '\n' || c == '\r') return "must be one paragraph (no line breaks)";
  return "";
}

}  // namespace parley::negotiation
