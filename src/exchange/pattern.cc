#include "exchange/pattern.h"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace parley::exchange {

namespace {

// The bounds of one MATCHES evaluation. A pattern is written by another state and run
// over every line of a local log: a catastrophic expression ('^(a+)+$') must cost
// microseconds, not hours, so each match gives up past these limits (and counts as
// no match).
constexpr std::uint32_t kMatchLimit = 100000;    // backtracking steps (JIT and interpreter)
constexpr std::uint32_t kDepthLimit = 1000;      // nested backtracking frames (interpreter)
constexpr std::uint32_t kHeapLimitKiB = 16384;   // heap for backtracking frames (interpreter)

pcre2_match_context* bounded_match_context() {
  static pcre2_match_context* const ctx = [] {
    auto* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, kMatchLimit);
    pcre2_set_depth_limit(c, kDepthLimit);
    pcre2_set_heap_limit(c, kHeapLimitKiB);
    return c;
  }();
  return ctx;
}

// A compiled MATCHES expression: PCRE, as STIX 2.1 (9.3) specifies; compiled to machine
// code by PCRE2's JIT where the platform allows it (else interpreted), and matched
// within the limits above.
class Regex {
 public:
  explicit Regex(const std::string& expr) {
    int code = 0;
    PCRE2_SIZE at = 0;
    re_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expr.data()), expr.size(), PCRE2_UTF, &code, &at, nullptr);
    if (!re_) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(code, msg, sizeof msg);
      error_ = std::string(reinterpret_cast<const char*>(msg)) + " at offset " + std::to_string(at);
      return;
    }
    // Fails harmlessly (e.g. where W^X memory is denied): the interpreter is used then.
    pcre2_jit_compile(re_, PCRE2_JIT_COMPLETE);
  }
  ~Regex() { pcre2_code_free(re_); }
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  const std::string& error() const { return error_; }
  bool search(const std::string& s) const {
    // Whether it matches, not where: one pair of offsets per thread, not one per call.
    thread_local std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> md(
        pcre2_match_data_create(1, nullptr), &pcre2_match_data_free);
    // A match that hits a limit returns a negative error code: no match.
    return pcre2_match(re_, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, md.get(),
                       bounded_match_context()) >= 0;
  }

 private:
  pcre2_code* re_ = nullptr;
  std::string error_;
};

// ---------------------------------------------------------------------------- lexer

struct Token {
  enum Kind { kEnd, kPunct, kWord, kString, kTimestamp, kBinary, kHex, kInt, kFloat } kind = kEnd;
  std::string text;   // punctuation, word, or the literal's content (unescaped)
  std::size_t at = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> all() {
    std::vector<Token> out;
    for (;;) {
      auto t = next();
      out.push_back(t);
      if (t.kind == Token::kEnd) return out;
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what, std::size_t at) { throw PatternError(what, at, false); }

  std::string quoted(std::size_t start) {   // s_[i_] is the opening quote
    std::string out;
    ++i_;
    for (;;) {
      if (i_ >= s_.size()) fail("unterminated string literal", start);
      const char c = s_[i_++];
      if (c == '\'') return out;
      if (c == '\\') {
        if (i_ >= s_.size() || (s_[i_] != '\'' && s_[i_] != '\\'))
          fail("in a string literal, a backslash escapes only a quote or a backslash", i_ - 1);
        out += s_[i_++];
      } else {
        out += c;
      }
    }
  }

  Token next() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    Token t;
    t.at = i_;
    if (i_ >= s_.size()) return t;
    const char c = s_[i_];
    const auto two = s_.substr(i_, 2);
    if (two == "!=" || two == "<>" || two == "<=" || two == ">=") {
      i_ += 2;
      t.kind = Token::kPunct;
      t.text = two == "<>" ? "!=" : std::string(two);
      return t;
    }
    if (std::strchr("[]():,.*=<>", c)) {
      ++i_;
      t.kind = Token::kPunct;
      t.text = std::string(1, c);
      return t;
    }
    if (c == '\'') {
      t.kind = Token::kString;
      t.text = quoted(t.at);
      return t;
    }
    if ((c == 't' || c == 'b' || c == 'h') && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
      ++i_;
      t.kind = c == 't' ? Token::kTimestamp : c == 'b' ? Token::kBinary : Token::kHex;
      t.text = quoted(t.at);
      return t;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') {
      std::size_t j = i_ + ((c == '-' || c == '+') ? 1 : 0);
      bool dot = false;
      const std::size_t digits = j;
      while (j < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[j])) || (s_[j] == '.' && !dot))) {
        if (s_[j] == '.') dot = true;
        ++j;
      }
      if (j == digits) fail("a sign must be followed by a number", i_);
      t.kind = dot ? Token::kFloat : Token::kInt;
      t.text = std::string(s_.substr(i_, j - i_));
      i_ = j;
      return t;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i_;
      while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '_' || s_[j] == '-')) ++j;
      t.kind = Token::kWord;
      t.text = std::string(s_.substr(i_, j - i_));
      i_ = j;
      return t;
    }
    fail(std::string("unexpected character '") + c + "'", i_);
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// --------------------------------------------------------------------------- parser

class Parser {
 public:
  explicit Parser(std::string_view s) : tokens_(Lexer(s).all()) {}

  ObservationExpr pattern() {
    auto e = observation_expressions();
    if (peek().kind != Token::kEnd) fail("unexpected '" + peek().text + "' after the pattern");
    return e;
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  Token take() { return tokens_[pos_ == tokens_.size() - 1 ? pos_ : pos_++]; }
  bool is(const char* text) const {
    const auto& t = peek();
    return (t.kind == Token::kPunct || t.kind == Token::kWord) && t.text == text;
  }
  bool accept(const char* text) {
    if (!is(text)) return false;
    ++pos_;
    return true;
  }
  [[noreturn]] void fail(const std::string& what) const { throw PatternError(what, peek().at, false); }
  // Parentheses nest at most kMaxPatternDepth deep: the parser (and evaluation, which
  // walks the same tree) recurse once per level, so the depth is bounded here.
  // Numbers as written, or a PatternError (never std::stoll's out_of_range: a list
  // index of 20 digits, a float beyond a double, a sign followed by only a dot).
  static std::string_view unsigned_text(const Token& t) {
    std::string_view s = t.text;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    return s;
  }
  static std::int64_t whole_number(const Token& t) {
    const auto s = unsigned_text(t);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) throw PatternError("'" + t.text + "' is not a usable whole number", t.at, false);
    return v;
  }
  static double real_number(const Token& t) {
    const auto s = unsigned_text(t);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
      throw PatternError("'" + t.text + "' is not a usable number", t.at, false);
    return v;
  }
  struct Nesting {
    explicit Nesting(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxPatternDepth)
        parser.fail("parentheses nested more than " + std::to_string(kMaxPatternDepth) + " deep");
    }
    ~Nesting() { --parser.depth_; }
    Parser& parser;
  };
  [[noreturn]] void refuse(const std::string& construct, const std::string& why) const {
    throw PatternError(construct + " is not supported: " + why, peek().at, true);
  }
  void expect(const char* text) {
    if (!accept(text)) fail(std::string("expected '") + text + "'" + (peek().kind == Token::kEnd ? " at the end" : " but found '" + peek().text + "'"));
  }

  ObservationExpr observation_expressions() {
    auto e = observation_or();
    if (is("FOLLOWEDBY"))
      refuse("FOLLOWEDBY", "Parley matches what was observed, not the order in which it was");
    return e;
  }
  ObservationExpr observation_or() {
    auto e = observation_and();
    if (!is("OR")) return e;
    ObservationExpr any;
    any.kind = ObservationExpr::kOr;
    any.children.push_back(std::move(e));
    while (accept("OR")) any.children.push_back(observation_and());
    return any;
  }
  ObservationExpr observation_and() {
    auto e = observation();
    if (!is("AND")) return e;
    ObservationExpr all;
    all.kind = ObservationExpr::kAnd;
    all.children.push_back(std::move(e));
    while (accept("AND")) all.children.push_back(observation());
    return all;
  }
  ObservationExpr observation() {
    ObservationExpr e;
    if (accept("[")) {
      e.kind = ObservationExpr::kObservation;
      e.comparison = comparison_or();
      expect("]");
    } else if (accept("(")) {
      const Nesting nested(*this);
      e = observation_expressions();
      expect(")");
    } else {
      fail("expected '[' or '(' to start an observation expression");
    }
    if (is("START")) refuse("The START … STOP qualifier", "Parley matches what was observed, not when");
    if (is("WITHIN")) refuse("The WITHIN qualifier", "Parley matches what was observed, not when");
    if (is("REPEATS")) refuse("The REPEATS qualifier", "Parley does not count repeated observations");
    return e;
  }
  ComparisonExpr comparison_or() {
    auto e = comparison_and();
    if (!is("OR")) return e;
    ComparisonExpr any;
    any.kind = ComparisonExpr::kOr;
    any.children.push_back(std::move(e));
    while (accept("OR")) any.children.push_back(comparison_and());
    return any;
  }
  ComparisonExpr comparison_and() {
    auto e = prop_test();
    if (!is("AND")) return e;
    ComparisonExpr all;
    all.kind = ComparisonExpr::kAnd;
    all.children.push_back(std::move(e));
    while (accept("AND")) all.children.push_back(prop_test());
    return all;
  }
  ComparisonExpr prop_test() {
    if (accept("(")) {
      const Nesting nested(*this);
      auto e = comparison_or();
      expect(")");
      return e;
    }
    ComparisonExpr e;
    auto& c = e.test;
    if (accept("NOT")) {
      c.negated = true;
      if (!is("EXISTS")) fail("NOT before an object path is written after it: path NOT = value");
    }
    if (accept("EXISTS")) {
      c.op = Comparison::kExists;
      c.path = object_path();
      return e;
    }
    c.path = object_path();
    if (accept("NOT")) c.negated = true;
    const auto op = take();
    static const std::map<std::string, Comparison::Op> ops = {
        {"=", Comparison::kEq},        {"!=", Comparison::kNe},         {"<", Comparison::kLt},
        {"<=", Comparison::kLe},       {">", Comparison::kGt},          {">=", Comparison::kGe},
        {"IN", Comparison::kIn},       {"LIKE", Comparison::kLike},     {"MATCHES", Comparison::kMatches},
        {"ISSUBSET", Comparison::kIsSubset}, {"ISSUPERSET", Comparison::kIsSuperset}};
    const auto it = ops.find(op.text);
    if ((op.kind != Token::kPunct && op.kind != Token::kWord) || it == ops.end()) {
      --pos_;
      fail("expected a comparison operator after " + c.path.text());
    }
    c.op = it->second;
    if (c.op == Comparison::kIn) {
      expect("(");
      if (!is(")")) {
        c.values.push_back(literal());
        while (accept(",")) c.values.push_back(literal());
      }
      expect(")");
    } else {
      const auto at = peek().at;
      c.values.push_back(literal());
      const bool needs_string = c.op == Comparison::kLike || c.op == Comparison::kMatches ||
                                c.op == Comparison::kIsSubset || c.op == Comparison::kIsSuperset;
      if (needs_string && c.values.back().kind != Literal::kString)
        throw PatternError(op.text + " takes a string literal", at, false);
      if ((c.op == Comparison::kIsSubset || c.op == Comparison::kIsSuperset) && !IpNetwork::parse(c.values.back().text))
        throw PatternError(op.text + " takes an IPv4 or IPv6 network such as '10.0.0.0/8'", at, false);
      if (c.op == Comparison::kMatches) {
        auto re = std::make_shared<const Regex>(c.values.back().text);
        if (!re->error().empty()) throw PatternError("MATCHES: not a valid regular expression: " + re->error(), at, false);
        c.regex = re;
      }
    }
    return e;
  }
  ObjectPath object_path() {
    ObjectPath p;
    const auto type = take();
    if (type.kind != Token::kWord) {
      --pos_;
      fail("expected an object type such as ipv4-addr");
    }
    p.type = type.text;
    expect(":");
    const auto first = take();
    if (first.kind != Token::kWord && first.kind != Token::kString) {
      --pos_;
      fail("expected a property name after '" + p.type + ":'");
    }
    p.steps.push_back({PathStep::kKey, first.text, 0});
    for (;;) {
      if (accept(".")) {
        const auto key = take();
        if (key.kind != Token::kWord && key.kind != Token::kString) {
          --pos_;
          fail("expected a property name after '.'");
        }
        p.steps.push_back({PathStep::kKey, key.text, 0});
      } else if (is("[") && (tokens_[pos_ + 1].kind == Token::kInt || tokens_[pos_ + 1].text == "*")) {
        ++pos_;
        const auto index = take();
        if (index.text == "*") p.steps.push_back({PathStep::kAnyIndex, "", 0});
        else p.steps.push_back({PathStep::kIndex, "", whole_number(index)});
        expect("]");
      } else {
        return p;
      }
    }
  }
  Literal literal() {
    const auto t = take();
    Literal l;
    l.text = t.text;
    switch (t.kind) {
      case Token::kString: l.kind = Literal::kString; break;
      case Token::kTimestamp: l.kind = Literal::kTimestamp; break;
      case Token::kBinary: l.kind = Literal::kBinary; break;
      case Token::kHex: l.kind = Literal::kHex; break;
      case Token::kInt:
        l.kind = Literal::kInt;
        l.number = real_number(t);
        break;
      case Token::kFloat:
        l.kind = Literal::kFloat;
        l.number = real_number(t);
        break;
      case Token::kWord:
        if (t.text == "true" || t.text == "false") {
          l.kind = Literal::kBool;
          l.boolean = t.text == "true";
          break;
        }
        [[fallthrough]];
      default:
        --pos_;
        fail("expected a literal value ('text', a number, true/false, t'…', b'…' or h'…')");
    }
    return l;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;   // open parentheses (Nesting)
};

// ------------------------------------------------------------------------ evaluation

std::string normalised_key(std::string_view k) {
  std::string out;
  for (char c : k)
    if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const nlohmann::json* child(const nlohmann::json& node, const std::string& key) {
  if (!node.is_object()) return nullptr;
  if (auto it = node.find(key); it != node.end()) return &*it;
  // Hash names: 'SHA-256', sha256 and SHA256 are one algorithm (the OASIS examples use
  // file:hashes.md5 for objects whose key is MD5).
  const auto want = normalised_key(key);
  for (auto it = node.begin(); it != node.end(); ++it)
    if (normalised_key(it.key()) == want) return &*it;
  return nullptr;
}

struct Evaluator {
  const Observation& obs;

  const nlohmann::json* deref(const nlohmann::json& ref) const {
    if (!ref.is_string()) return nullptr;
    const auto& r = ref.get_ref<const std::string&>();
    for (std::size_t i = 0; i < obs.objects.size(); ++i) {
      if (i < obs.keys.size() && obs.keys[i] == r) return &obs.objects[i];
      if (auto id = obs.objects[i].find("id"); id != obs.objects[i].end() && *id == r) return &obs.objects[i];
    }
    return nullptr;
  }

  void resolve(const nlohmann::json& node, const std::vector<PathStep>& steps, std::size_t i, bool refs,
               std::vector<const nlohmann::json*>& out) const {
    if (i == steps.size()) {
      out.push_back(&node);
      return;
    }
    const auto& s = steps[i];
    const nlohmann::json* target = &node;
    if (refs && i > 0 && node.is_string()) target = deref(node);   // an element of *_refs
    if (!target) return;
    if (s.kind == PathStep::kKey) {
      const auto* c = child(*target, s.key);
      if (!c) return;
      if (s.key.ends_with("_ref") && i + 1 < steps.size()) {
        c = deref(*c);
        if (!c) return;
      }
      resolve(*c, steps, i + 1, s.key.ends_with("_refs"), out);
    } else {
      if (!target->is_array()) return;
      const auto n = static_cast<std::int64_t>(target->size());
      const bool deref_next = refs && i + 1 < steps.size();
      const auto visit = [&](const nlohmann::json& e) {
        const nlohmann::json* el = deref_next ? deref(e) : &e;
        if (el) resolve(*el, steps, i + 1, false, out);
      };
      if (s.kind == PathStep::kAnyIndex) {
        for (const auto& e : *target) visit(e);
      } else {
        const auto k = s.index < 0 ? n + s.index : s.index;
        if (k >= 0 && k < n) visit((*target)[static_cast<std::size_t>(k)]);
      }
    }
  }

  static bool like(std::string_view v, std::string_view p) {
    // SQL LIKE: % any run, _ one character; iterative with backtracking on %.
    std::size_t vi = 0, pi = 0, star = std::string_view::npos, mark = 0;
    while (vi < v.size()) {
      if (pi < p.size() && (p[pi] == '_' || p[pi] == v[vi])) {
        ++vi;
        ++pi;
      } else if (pi < p.size() && p[pi] == '%') {
        star = pi++;
        mark = vi;
      } else if (star != std::string_view::npos) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.size() && p[pi] == '%') ++pi;
    return pi == p.size();
  }

  static bool equal(const nlohmann::json& v, const Literal& l, const std::string& type) {
    switch (l.kind) {
      case Literal::kBool: return v.is_boolean() && v.get<bool>() == l.boolean;
      case Literal::kInt:
      case Literal::kFloat: return v.is_number() && v.get<double>() == l.number;
      default:
        if (!v.is_string()) return false;
        const auto& s = v.get_ref<const std::string&>();
        if (s == l.text) return true;
        if ((type == "ipv4-addr" || type == "ipv6-addr") && l.text.find('/') != std::string::npos) {
          auto net = IpNetwork::parse(l.text);
          auto ip = IpNetwork::parse(s);
          return net && ip && net->contains(*ip);
        }
        return false;
    }
  }

  static int order(const nlohmann::json& v, const Literal& l, bool& ok) {
    ok = true;
    if ((l.kind == Literal::kInt || l.kind == Literal::kFloat) && v.is_number()) {
      const double a = v.get<double>();
      return a < l.number ? -1 : a > l.number ? 1 : 0;
    }
    if (v.is_string() && l.kind != Literal::kBool && l.kind != Literal::kInt && l.kind != Literal::kFloat) {
      const int c = v.get_ref<const std::string&>().compare(l.text);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    ok = false;
    return 0;
  }

  static bool test_value(const Comparison& c, const nlohmann::json& v) {
    bool ok = false;
    switch (c.op) {
      case Comparison::kEq: return equal(v, c.values[0], c.path.type);
      case Comparison::kNe: return !equal(v, c.values[0], c.path.type);
      case Comparison::kIn:
        return std::any_of(c.values.begin(), c.values.end(), [&](const Literal& l) { return equal(v, l, c.path.type); });
      case Comparison::kLt: return order(v, c.values[0], ok) < 0 && ok;
      case Comparison::kLe: return order(v, c.values[0], ok) <= 0 && ok;
      case Comparison::kGt: return order(v, c.values[0], ok) > 0 && ok;
      case Comparison::kGe: return order(v, c.values[0], ok) >= 0 && ok;
      case Comparison::kLike: return v.is_string() && like(v.get_ref<const std::string&>(), c.values[0].text);
      case Comparison::kMatches:
        return v.is_string() && std::static_pointer_cast<const Regex>(c.regex)->search(v.get_ref<const std::string&>());
      case Comparison::kIsSubset:
      case Comparison::kIsSuperset: {
        if (!v.is_string()) return false;
        auto value = IpNetwork::parse(v.get_ref<const std::string&>());
        auto lit = IpNetwork::parse(c.values[0].text);
        if (!value || !lit) return false;
        return c.op == Comparison::kIsSubset ? lit->contains(*value) : value->contains(*lit);
      }
      case Comparison::kExists: return true;
    }
    return false;
  }

  bool test(const Comparison& c, const nlohmann::json* object) const {
    if (!object) return false;
    std::vector<const nlohmann::json*> values;
    resolve(*object, c.path.steps, 0, false, values);
    if (c.op == Comparison::kExists) return values.empty() == c.negated;
    if (values.empty()) return false;
    const bool any = std::any_of(values.begin(), values.end(), [&](const nlohmann::json* v) { return test_value(c, *v); });
    return any != c.negated;
  }

  // Comparisons on the same object type inside one observation expression are bound
  // to the same object (STIX 2.1, 9.5): tries each binding of types to objects.
  bool eval(const ComparisonExpr& e, const std::map<std::string, const nlohmann::json*>& bound) const {
    switch (e.kind) {
      case ComparisonExpr::kTest: return test(e.test, bound.at(e.test.path.type));
      case ComparisonExpr::kAnd:
        return std::all_of(e.children.begin(), e.children.end(), [&](const auto& c) { return eval(c, bound); });
      case ComparisonExpr::kOr:
        return std::any_of(e.children.begin(), e.children.end(), [&](const auto& c) { return eval(c, bound); });
    }
    return false;
  }

  static void types_of(const ComparisonExpr& e, std::vector<std::string>& out) {
    if (e.kind == ComparisonExpr::kTest) {
      if (std::find(out.begin(), out.end(), e.test.path.type) == out.end()) out.push_back(e.test.path.type);
      return;
    }
    for (const auto& c : e.children) types_of(c, out);
  }

  bool matches(const ComparisonExpr& e) const {
    std::vector<std::string> types;
    types_of(e, types);
    std::map<std::string, std::vector<const nlohmann::json*>> candidates;
    for (const auto& t : types) {
      auto& list = candidates[t];
      for (const auto& o : obs.objects)
        if (auto it = o.find("type"); it != o.end() && *it == t) list.push_back(&o);
      if (list.empty()) list.push_back(nullptr);   // tests on an absent type are false
    }
    std::map<std::string, const nlohmann::json*> bound;
    const std::function<bool(std::size_t)> bind = [&](std::size_t i) {
      if (i == types.size()) return eval(e, bound);
      for (const auto* o : candidates[types[i]]) {
        bound[types[i]] = o;
        if (bind(i + 1)) return true;
      }
      return false;
    };
    return bind(0);
  }
};

bool observation_matches(const ObservationExpr& e, const std::vector<Observation>& observations) {
  switch (e.kind) {
    case ObservationExpr::kObservation:
      return std::any_of(observations.begin(), observations.end(),
                         [&](const Observation& o) { return Evaluator{o}.matches(e.comparison); });
    case ObservationExpr::kAnd:
      return std::all_of(e.children.begin(), e.children.end(),
                         [&](const auto& c) { return observation_matches(c, observations); });
    case ObservationExpr::kOr:
      return std::any_of(e.children.begin(), e.children.end(),
                         [&](const auto& c) { return observation_matches(c, observations); });
  }
  return false;
}

bool collect_equalities(const ComparisonExpr& e, std::vector<Pattern::Equality>& out) {
  if (e.kind == ComparisonExpr::kAnd) return false;
  if (e.kind == ComparisonExpr::kOr) {
    for (const auto& c : e.children)
      if (!collect_equalities(c, out)) return false;
    return true;
  }
  const auto& c = e.test;
  if (c.negated || (c.op != Comparison::kEq && c.op != Comparison::kIn)) return false;
  for (const auto& v : c.values) {
    if (v.kind != Literal::kString) return false;
    out.push_back({c.path.text(), v.text});
  }
  return true;
}

}  // namespace

std::string ObjectPath::text() const {
  std::string s = type + ":";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& st = steps[i];
    if (st.kind == PathStep::kKey) {
      if (i) s += '.';
      const bool plain = !st.key.empty() && std::all_of(st.key.begin(), st.key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      });
      s += plain ? st.key : "'" + st.key + "'";
    } else {
      s += st.kind == PathStep::kAnyIndex ? std::string("[*]") : fmt::format("[{}]", st.index);
    }
  }
  return s;
}

Pattern Pattern::parse(std::string_view text) {
  Pattern p;
  p.root_ = Parser(text).pattern();
  return p;
}

bool Pattern::matches(const std::vector<Observation>& observations) const {
  return observation_matches(root_, observations);
}

bool Pattern::matches(const Observation& observation) const {
  return observation_matches(root_, std::vector<Observation>{observation});
}

std::optional<std::vector<Pattern::Equality>> Pattern::equalities() const {
  if (root_.kind != ObservationExpr::kObservation) return std::nullopt;
  std::vector<Equality> out;
  if (!collect_equalities(root_.comparison, out)) return std::nullopt;
  return out;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  IpNetwork n;
  std::string addr(text);
  int prefix = -1;
  if (auto slash = addr.find('/'); slash != std::string::npos) {
    const auto p = addr.substr(slash + 1);
    if (p.empty() || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    prefix = std::stoi(p);
    addr.resize(slash);
  }
  if (inet_pton(AF_INET, addr.c_str(), n.bytes) == 1) {
    n.v6 = false;
    if (prefix > 32) return std::nullopt;
    n.prefix = prefix < 0 ? 32 : prefix;
  } else if (inet_pton(AF_INET6, addr.c_str(), n.bytes) == 1) {
    n.v6 = true;
    if (prefix > 128) return std::nullopt;
    n.prefix = prefix < 0 ? 128 : prefix;
  } else {
    return std::nullopt;
  }
  return n;
}

bool IpNetwork::contains(const IpNetwork& other) const {
  if (v6 != other.v6 || other.prefix < prefix) return false;
  const int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(bytes, other.bytes, static_cast<std::size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (bytes[full] & mask) == (other.bytes[full] & mask);
}

}  // namespace parley::exchange
