#include "storage/dialect.h"

#include <cctype>
#include <regex>

namespace parley::storage {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Calls `code(i)` for each index of `sql` that is SQL text (not inside a string literal,
// a quoted identifier, a comment or a $tag$ body); `code` returns how many characters
// it consumed (0: copy the character). Everything else is copied to `out` as is.
template <class F>
std::string scan(std::string_view sql, F&& code) {
  std::string out;
  out.reserve(sql.size() + 64);
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const std::size_t start = i++;
      while (i < sql.size()) {
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
      out.append(sql.substr(start, i - start));
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const auto end = sql.find('\n', i);
      const auto stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const auto end = sql.find("*/", i + 2);
      const auto stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '$' && (i == 0 || !word_char(sql[i - 1])) && i + 1 < sql.size() &&
               (sql[i + 1] == '$' || std::isalpha(static_cast<unsigned char>(sql[i + 1])))) {
      // A dollar-quoted body ($$...$$ or $tag$...$tag$); $1 is not one.
      auto tag_end = sql.find('$', i + 1);
      bool tag = tag_end != std::string_view::npos;
      for (std::size_t k = i + 1; tag && k < tag_end; ++k) tag = word_char(sql[k]);
      if (!tag) {
        out.push_back(c);
        ++i;
        continue;
      }
      const auto delimiter = sql.substr(i, tag_end + 1 - i);
      const auto close = sql.find(delimiter, tag_end + 1);
      const auto stop = close == std::string_view::npos ? sql.size() : close + delimiter.size();
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else {
      const std::size_t used = code(i, out);
      if (used == 0) {
        out.push_back(c);
        ++i;
      } else {
        i += used;
      }
    }
  }
  return out;
}

// The word starting at i (letters, digits, _), or empty when i is inside a word.
std::string_view word_at(std::string_view sql, std::size_t i) {
  if (i > 0 && word_char(sql[i - 1])) return {};
  std::size_t j = i;
  while (j < sql.size() && word_char(sql[j])) ++j;
  return sql.substr(i, j - i);
}

}  // namespace

std::string dollar_placeholders(std::string_view sql, std::string_view types, int* count) {
  int n = 0;
  auto out = scan(sql, [&](std::size_t i, std::string& o) -> std::size_t {
    if (sql[i] != '?') return 0;
    const auto index = static_cast<std::size_t>(n);
    o.append("$").append(std::to_string(++n));
    // `? IS [NOT] NULL`: nothing around the placeholder says its type.
    std::size_t j = i + 1;
    while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
    if (iequals(word_at(sql, j), "IS")) {
      const char kind = index < types.size() ? types[index] : 'n';
      o.append(kind == 'i' ? "::int8" : kind == 'd' ? "::float8" : "::text");
    }
    return 1;
  });
  if (count) *count = n;
  return out;
}

std::string schema_to_postgresql(std::string_view sqlite_sql) {
  // Word-level rewrites, outside literals and comments.
  std::string sql = scan(sqlite_sql, [&](std::size_t i, std::string& o) -> std::size_t {
    const auto w = word_at(sqlite_sql, i);
    if (w.empty()) return 0;
    if (iequals(w, "INTEGER")) o.append("BIGINT");
    else if (iequals(w, "CURRENT_DATE")) o.append("to_char(CURRENT_DATE, 'YYYY-MM-DD')");
    else o.append(w);
    return w.size();
  });
  using std::regex;
  const auto icase = regex::ECMAScript | regex::icase;
  static const regex pragma(R"(\bPRAGMA\s[^;]*;?)", icase);
  static const regex without_rowid(R"(\)\s*WITHOUT\s+ROWID\b)", icase);
  static const regex autoincrement(R"(\b(\w+)\s+BIGINT\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b)", icase);
  static const regex id_key(R"(\bid\s+BIGINT\s+PRIMARY\s+KEY\b)", icase);
  static const regex drop_table(R"(\bDROP\s+TABLE\s+(IF\s+EXISTS\s+)?(\w+)\s*(;|$))", icase);
  static const regex drop_trigger(R"(\bDROP\s+TRIGGER\s+(IF\s+EXISTS\s+)?(\w+)\s*(;|$))", icase);
  static const regex trigger(
      R"(\bCREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+(UPDATE|DELETE|INSERT)\s+ON\s+(\w+)\s*(?:WHEN\s+([\s\S]*?))?\s*BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'((?:[^']|'')*)'\s*\)\s*;\s*END\b)",
      icase);
  static const regex is_not(R"(\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b))", icase);
  sql = std::regex_replace(sql, pragma, "");
  sql = std::regex_replace(sql, without_rowid, ")");
  sql = std::regex_replace(sql, autoincrement, "$1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  sql = std::regex_replace(sql, id_key, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  sql = std::regex_replace(sql, drop_table, "DROP TABLE $1$2 CASCADE$3");
  {
    std::string out;
    auto begin = std::sregex_iterator(sql.begin(), sql.end(), drop_trigger);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      out.append(sql, last, static_cast<std::size_t>(m.position()) - last);
      const std::string name = m[2];
      out.append("DO $parley$ DECLARE r record; BEGIN FOR r IN SELECT c.relname FROM pg_trigger t JOIN pg_class c")
          .append(" ON c.oid = t.tgrelid WHERE t.tgname = '")
          .append(name)
          .append("' AND NOT t.tgisinternal LOOP EXECUTE format('DROP TRIGGER %I ON %I', '")
          .append(name)
          .append("', r.relname); END LOOP; END $parley$")
          .append(m[3].str());
      last = static_cast<std::size_t>(m.position() + m.length());
    }
    out.append(sql, last);
    sql = std::move(out);
  }
  {
    std::string out;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), trigger); it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      out.append(sql, last, static_cast<std::size_t>(m.position()) - last);
      const std::string name = m[1], timing = m[2], event = m[3], table = m[4], message = m[6];
      std::string when = m[5].matched ? std::regex_replace(m[5].str(), is_not, "IS DISTINCT FROM ") : "";
      std::string escaped;   // RAISE's format string: % is its placeholder
      for (char ch : message) {
        escaped.push_back(ch);
        if (ch == '%') escaped.push_back('%');
      }
      out.append("CREATE OR REPLACE FUNCTION ").append(name).append("_fn() RETURNS trigger LANGUAGE plpgsql AS $parley$")
          .append(" BEGIN RAISE EXCEPTION '").append(escaped).append("' USING ERRCODE = '23000'; END $parley$;\n")
          .append("CREATE TRIGGER ").append(name).append(" ").append(timing).append(" ").append(event)
          .append(" ON ").append(table).append(" FOR EACH ROW");
      if (!when.empty()) {
        while (!when.empty() && std::isspace(static_cast<unsigned char>(when.back()))) when.pop_back();
        out.append(" WHEN (").append(when).append(")");
      }
      out.append(" EXECUTE FUNCTION ").append(name).append("_fn()");
      last = static_cast<std::size_t>(m.position() + m.length());
    }
    out.append(sql, last);
    sql = std::move(out);
  }
  return sql;
}

}  // namespace parley::storage
