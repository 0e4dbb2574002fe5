#include "common/csv.h"

#include <fmt/format.h>

#include "common/problem.h"
#include "common/text.h"

namespace parley {

std::string csv_field(std::string v) {
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

namespace {

std::string_view without_bom(std::string_view text) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF)
    text.remove_prefix(3);
  return text;
}

[[noreturn]] void fail(std::size_t row, const std::string& reason) {
  throw Problem::invalid("csv", fmt::format("row {}: {}", row, reason));
}

}  // namespace

char detect_csv_separator(std::string_view text) {
  text = without_bom(text);
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') quoted = false;   // a doubled quote re-opens at once: same counts
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '\n' || c == '\r') break;
    else if (c == ',') ++comma;
    else if (c == ';') ++semicolon;
    else if (c == '\t') ++tab;
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

CsvTable parse_csv(std::string_view text, char separator, const CsvLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw Problem::invalid("csv", fmt::format("is larger than {} bytes", limits.max_bytes));
  text = without_bom(text);
  if (!is_valid_utf8(text)) throw Problem::invalid("csv", "is not UTF-8 text (save the spreadsheet as CSV UTF-8)");
  if (text.find('\0') != std::string_view::npos) throw Problem::invalid("csv", "holds a NUL byte: it is not a text file");
  if (separator != ',' && separator != ';' && separator != '\t') separator = detect_csv_separator(text);

  CsvTable table;
  table.separator = separator;
  std::vector<std::string> record;
  std::string field;
  std::size_t row = 1;   // the spreadsheet row of the record being read
  bool field_started = false;   // the record has at least one field (even empty)

  const auto end_field = [&] {
    if (record.size() >= limits.max_fields) fail(row, fmt::format("has more than {} columns", limits.max_fields));
    record.push_back(std::move(field));
    field.clear();
  };
  const auto end_record = [&] {
    end_field();
    bool blank = true;
    for (const auto& f : record)
      if (!trim(f).empty()) blank = false;
    if (!blank) {
      if (table.records.size() >= limits.max_records)
        fail(row, fmt::format("the file has more than {} rows", limits.max_records));
      table.records.push_back(std::move(record));
      table.row_numbers.push_back(row);
    }
    record.clear();
    field_started = false;
    ++row;
  };
  const auto add = [&](char c) {
    if (field.size() >= limits.max_field_bytes)
      fail(row, fmt::format("column {} is longer than {} bytes", record.size() + 1, limits.max_field_bytes));
    field.push_back(c);
  };

  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (c == '"' && field.empty()) {
      // A quoted field: up to the closing quote; "" is a quote; separators and line
      // breaks inside are data.
      const std::size_t opened_row = row;
      ++i;
      bool closed = false;
      while (i < n) {
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            add('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        add(text[i]);
        ++i;
      }
      if (!closed) fail(opened_row, "a quoted field is never closed (a \" is missing)");
      // Only blanks may stand between the closing quote and the separator or line end.
      while (i < n && (text[i] == ' ' || text[i] == '\t') && text[i] != separator) ++i;
      if (i < n && text[i] != separator && text[i] != '\r' && text[i] != '\n')
        fail(opened_row, fmt::format("text follows the closing quote of column {}", record.size() + 1));
      field_started = true;
      continue;
    }
    if (c == separator) {
      end_field();
      field_started = true;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      end_record();
      i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    add(c);   // a quote inside an unquoted field is kept as it is (5" floppy)
    field_started = true;
    ++i;
  }
  if (field_started || !field.empty() || !record.empty()) end_record();
  return table;
}

}  // namespace parley
