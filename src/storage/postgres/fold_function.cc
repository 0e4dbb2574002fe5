#include "storage/postgres/fold_function.h"

#include <vector>

#include "common/fold.h"

namespace parley::storage {

namespace {

std::string utf8(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return s;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++n;
  return n;
}

std::string literal(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    out.push_back(ch);
    if (ch == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string build() {
  std::string from, to, deleted;
  std::vector<std::pair<std::string, std::string>> several;
  // The planes with characters that fold (0 and 1; 2 and 3 hold ideographs, which do
  // not), and 14 (variation selectors, which are marks); surrogates are not characters.
  for (char32_t cp = 1; cp < 0xE1000; ++cp) {
    if (cp == 0x20000) cp = 0xE0000;
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const auto c = utf8(cp);
    const auto f = fold_for_search(c);
    if (f == c) continue;
    if (f.empty()) deleted += c;
    else if (code_points(f) == 1) {
      from += c;
      to += f;
    } else {
      several.emplace_back(c, f);
    }
  }
  std::string expr = "t";
  for (const auto& [c, f] : several) expr = "replace(" + expr + ", " + literal(c) + ", " + literal(f) + ")";
  expr = "translate(" + expr + ", " + literal(from + deleted) + ", " + literal(to) + ")";
  return "CREATE OR REPLACE FUNCTION fold_for_search(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
         "PARALLEL SAFE AS $parley$ SELECT normalize(" +
         expr + ", NFC) $parley$";
}

}  // namespace

const std::string& postgresql_fold_function_sql() {
  static const std::string sql = build();
  return sql;
}

void install_postgresql_functions(Connection& c) { c.execute(postgresql_fold_function_sql(), {}); }

}  // namespace parley::storage
