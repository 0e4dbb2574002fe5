#include "common/csv.h"

#include <gtest/gtest.h>

#include "common/problem.h"

namespace parley {
namespace {

using Records = std::vector<std::vector<std::string>>;

std::string reason_of(std::string_view text, const CsvLimits& limits = {}) {
  try {
    parse_csv(text, 0, limits);
  } catch (const Problem& p) {
    EXPECT_EQ(p.status(), 422);
    EXPECT_FALSE(p.errors().empty());
    return p.errors().empty() ? "" : p.errors()[0].field + ": " + p.errors()[0].reason;
  }
  return "accepted";
}

TEST(CsvParse, CommaWithCrlfAndQuotedSeparatorsQuotesAndLineBreaks) {
  const auto t = parse_csv("Name,Note\r\n\"Aigerim, Dr\",\"said \"\"hi\"\"\r\nthen left\"\r\nBo,plain\r\n");
  EXPECT_EQ(t.separator, ',');
  EXPECT_EQ(t.records, (Records{{"Name", "Note"}, {"Aigerim, Dr", "said \"hi\"\r\nthen left"}, {"Bo", "plain"}}));
  // A line break inside a field does not add a spreadsheet row.
  EXPECT_EQ(t.row_numbers, (std::vector<std::size_t>{1, 2, 3}));
}

TEST(CsvParse, ByteOrderMarkIsDroppedAndSemicolonDetected) {
  const auto t = parse_csv("\xEF\xBB\xBF" "Страна;E-mail;Note\nKAZ;a@b.kz;\"x;y\"\n");
  EXPECT_EQ(t.separator, ';');
  EXPECT_EQ(t.records[0][0], "Страна");
  EXPECT_EQ(t.records[1], (std::vector<std::string>{"KAZ", "a@b.kz", "x;y"}));
}

TEST(CsvParse, DetectionIgnoresSeparatorsInsideQuotesAndHonoursAGivenOne) {
  EXPECT_EQ(detect_csv_separator("\"a;b;c;d\",x,y\n"), ',');
  EXPECT_EQ(detect_csv_separator("a\tb\tc\n"), '\t');
  EXPECT_EQ(detect_csv_separator("single\n"), ',');
  const auto t = parse_csv("a,b;c\n", ';');
  EXPECT_EQ(t.records[0], (std::vector<std::string>{"a,b", "c"}));
}

TEST(CsvParse, CrOnlyLineEndsEmptyFieldsBlankRowsAndNoFinalNewline) {
  const auto t = parse_csv("a,b,\r\r,,\n1,\"\",3");
  EXPECT_EQ(t.records, (Records{{"a", "b", ""}, {"1", "", "3"}}));
  EXPECT_EQ(t.row_numbers, (std::vector<std::size_t>{1, 4}));   // blank rows 2 and 3 skipped, still counted
}

TEST(CsvParse, BareQuoteInsideAFieldIsKept) {
  EXPECT_EQ(parse_csv("size\n5\" floppy\n").records[1][0], "5\" floppy");
}

TEST(CsvParse, MalformedInputNamesTheRow) {
  EXPECT_EQ(reason_of("a,b\n1,\"never closed\n2,3\n"), "csv: row 2: a quoted field is never closed (a \" is missing)");
  EXPECT_EQ(reason_of("a,b\nx,y\n\"q\"junk,z\n"), "csv: row 3: text follows the closing quote of column 1");
  EXPECT_NE(reason_of("a,b\n\xff\xfe,x\n").find("not UTF-8"), std::string::npos);
  EXPECT_NE(reason_of(std::string("a,b\nx\0y,z\n", 10)).find("NUL"), std::string::npos);
}

TEST(CsvParse, BoundsOnBytesRowsColumnsAndFieldLength) {
  CsvLimits small;
  small.max_bytes = 100;
  small.max_records = 3;
  small.max_fields = 4;
  small.max_field_bytes = 10;
  EXPECT_NE(reason_of(std::string(101, 'a'), small).find("larger than 100 bytes"), std::string::npos);
  EXPECT_NE(reason_of("a\nb\nc\nd\n", small).find("more than 3 rows"), std::string::npos);
  EXPECT_NE(reason_of("a,b,c,d,e\n", small).find("more than 4 columns"), std::string::npos);
  EXPECT_NE(reason_of("a\n12345678901\n", small).find("row 2: column 1 is longer than 10 bytes"), std::string::npos);
  EXPECT_NE(reason_of("a\n\"12345678901\"\n", small).find("longer than 10 bytes"), std::string::npos);
  EXPECT_EQ(reason_of("a,b,c,d\n1234567890\n", small), "accepted");
}

TEST(CsvField, RoundTripsThroughTheParser) {
  const std::vector<std::string> cells = {"plain", "with, comma", "with \"quotes\"", "two\r\nlines", "=SUM(A1)", ""};
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + csv_field(cells[i]);
  const auto t = parse_csv("h1,h2,h3,h4,h5,h6\r\n" + line + "\r\n");
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[1][1], "with, comma");
  EXPECT_EQ(t.records[1][2], "with \"quotes\"");
  EXPECT_EQ(t.records[1][3], "two\r\nlines");
  EXPECT_EQ(t.records[1][4], "'=SUM(A1)");   // neutralised on export, read back as text
}

}  // namespace
}  // namespace parley
