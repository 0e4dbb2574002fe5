#include "common/accept_language.h"

#include <algorithm>
#include <cctype>

#include "common/problem.h"

namespace parley {

namespace {

[[noreturn]] void malformed(const std::string& reason) {
  throw Problem::bad_request("The Accept-Language header is not valid (RFC 9110 §12.5.4).",
                             {{"Accept-Language", reason}});
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"
bool valid_range(std::string_view r) {
  if (r == "*") return true;
  if (r.empty()) return false;
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const auto dash = r.find('-', start);
    const auto part = r.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      const auto u = static_cast<unsigned char>(c);
      if (first ? !std::isalpha(u) : !std::isalnum(u)) return false;
      if (u >= 0x80) return false;
    }
    first = false;
    if (dash == std::string_view::npos) return true;
    start = dash + 1;
  }
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; -1 if not.
int parse_qvalue(std::string_view v) {
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return -1;
  int q = (v[0] - '0') * 1000;
  if (v.size() == 1) return q;
  if (v[1] != '.') return -1;
  int scale = 100;
  for (std::size_t i = 2; i < v.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return -1;
    q += (v[i] - '0') * scale;
    scale /= 10;
  }
  return q > 1000 ? -1 : q;
}

}  // namespace

std::vector<LanguageRange> parse_accept_language(std::string_view header) {
  if (header.size() > kMaxAcceptLanguageBytes)
    malformed("is longer than " + std::to_string(kMaxAcceptLanguageBytes) + " bytes");
  std::vector<LanguageRange> out;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto comma = header.find(',', start);
    auto element = trim_ows(header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    if (element.empty()) continue;   // #rule: empty list elements are allowed
    LanguageRange lr;
    const auto semi = element.find(';');
    const auto range = trim_ows(element.substr(0, semi));
    if (!valid_range(range)) malformed(std::string("'").append(range.substr(0, 40)).append("' is not a language range"));
    lr.range = std::string(range);
    if (semi != std::string_view::npos) {
      auto weight = trim_ows(element.substr(semi + 1));
      if (weight.size() < 2 || (weight[0] != 'q' && weight[0] != 'Q') || weight[1] != '=')
        malformed("a language range's parameter must be a weight: ;q=0.5");
      lr.q = parse_qvalue(weight.substr(2));
      if (lr.q < 0) malformed("a weight must be between 0 and 1 with at most three decimals");
    }
    if (out.size() == kMaxLanguageRanges) malformed("names more than " + std::to_string(kMaxLanguageRanges) + " ranges");
    out.push_back(std::move(lr));
  }
  std::stable_sort(out.begin(), out.end(), [](const LanguageRange& a, const LanguageRange& b) { return a.q > b.q; });
  return out;
}

std::string lookup_language(const std::vector<LanguageRange>& ranges, const std::vector<std::string>& available,
                            const std::string& fallback) {
  auto find = [&](const std::string& tag) -> const std::string* {
    for (const auto& a : available)
      if (lower(a) == tag) return &a;
    return nullptr;
  };
  for (const auto& r : ranges) {
    if (r.q == 0 || r.range == "*") continue;
    std::string tag = lower(r.range);
    // Chinese by region: the script the region writes in.
    std::string script;
    for (const char* region : {"zh-tw", "zh-hk", "zh-mo"})
      if (tag == region) script = "zh-hant";
    for (const char* region : {"zh-cn", "zh-sg"})
      if (tag == region) script = "zh-hans";
    if (!script.empty())
      if (const auto* hit = find(script)) return *hit;
    while (!tag.empty()) {
      if (const auto* hit = find(tag)) return *hit;
      auto dash = tag.rfind('-');
      if (dash == std::string::npos) break;
      tag.resize(dash);
      // A single-letter subtag (an extension's singleton) goes with the one after it.
      if (tag.size() >= 2 && tag[tag.size() - 2] == '-') tag.resize(tag.size() - 2);
    }
  }
  return fallback;
}

}  // namespace parley
