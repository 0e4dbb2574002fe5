// Fuzz target: the CSV reader (common/csv.h) that reads the spreadsheets secretariats
// import into the directory.
//
// The bytes are a CSV file. Read with the separator detected and with each one given,
// under small limits and the defaults: a refusal is a 422 Problem on the "csv" field;
// anything else escaping is a finding. What is accepted respects the limits, numbers its
// rows in increasing order, and reads back the same after being written again with every
// field quoted (the reader and the quoting agree).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/csv.h"
#include "common/problem.h"
#include "fuzz/property.h"

namespace {

using parley::CsvLimits;
using parley::CsvTable;
using parley::Problem;

std::string quoted(const CsvTable& t) {
  std::string out;
  for (const auto& record : t.records) {
    for (std::size_t i = 0; i < record.size(); ++i) {
      if (i) out.push_back(t.separator);
      out.push_back('"');
      for (char c : record[i]) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out += "\r\n";
  }
  return out;
}

void check(std::string_view text, char separator, const CsvLimits& limits) {
  CsvTable t;
  try {
    t = parley::parse_csv(text, separator, limits);
  } catch (const Problem& p) {
    FUZZ_PROPERTY(p.status() == 422, "a refusal is a 422");
    FUZZ_PROPERTY(p.errors().size() == 1 && p.errors()[0].field == "csv", "a refusal names the csv field");
    return;
  }
  FUZZ_PROPERTY(t.records.size() == t.row_numbers.size(), "one row number per record");
  FUZZ_PROPERTY(t.records.size() <= limits.max_records, "records within the limit");
  for (std::size_t i = 0; i < t.records.size(); ++i) {
    FUZZ_PROPERTY(!t.records[i].empty() && t.records[i].size() <= limits.max_fields, "fields within the limit");
    for (const auto& f : t.records[i]) FUZZ_PROPERTY(f.size() <= limits.max_field_bytes, "field length within the limit");
    if (i) FUZZ_PROPERTY(t.row_numbers[i] > t.row_numbers[i - 1], "row numbers increase");
  }
  if (separator == 0) FUZZ_PROPERTY(t.separator == parley::detect_csv_separator(text), "the detected separator is used");
  CsvLimits roomy = limits;
  roomy.max_bytes = SIZE_MAX;
  const auto again = parley::parse_csv(quoted(t), t.separator, roomy);
  FUZZ_PROPERTY(again.records == t.records, "quoted output reads back the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  CsvLimits small;
  small.max_bytes = 4096;
  small.max_records = 8;
  small.max_fields = 6;
  small.max_field_bytes = 32;
  for (char sep : {'\0', ',', ';', '\t'}) {
    check(text, sep, small);
    check(text, sep, CsvLimits{});
  }
  return 0;
}
