// CSV (RFC 4180) both ways.
//  * csv_field: cells for exports people open in spreadsheets, quoted when needed, and a
//    cell that a spreadsheet would evaluate as a formula (= + - @ tab CR) neutralised
//    with a leading apostrophe.
//  * parse_csv: the spreadsheets people keep (Excel, LibreOffice, Google Sheets exports):
//    UTF-8 with or without a byte-order mark, comma, semicolon or tab separated (given,
//    or detected from the header record), quoted fields holding separators, doubled
//    quotes and line breaks, CRLF, LF or CR line ends. Untrusted input: bounded in bytes,
//    records, fields per record and bytes per field; malformed input throws
//    Problem::invalid naming the record ("csv" field, "record N: reason").
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

std::string csv_field(std::string value);

struct CsvLimits {
  std::size_t max_bytes = 4u << 20;    // the whole text
  std::size_t max_records = 10000;     // header included
  std::size_t max_fields = 64;         // per record
  std::size_t max_field_bytes = 4000;  // per field
};

struct CsvTable {
  char separator = ',';
  std::vector<std::vector<std::string>> records;
  // The spreadsheet row number of each record (1 = the first record), which is what a
  // person sees in the spreadsheet: a field holding a line break does not add rows.
  // Records whose fields are all blank are dropped, so numbers may skip.
  std::vector<std::size_t> row_numbers;
};

// Separator that the first record uses most outside quotes: ',' ';' or '\t' (',' on a tie).
char detect_csv_separator(std::string_view text);

// `separator` 0: detect. Throws Problem::invalid("csv", ...) on malformed or oversized input.
CsvTable parse_csv(std::string_view text, char separator = 0, const CsvLimits& limits = {});

}  // namespace parley
