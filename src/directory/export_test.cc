#include "directory/export.h"

#include <gtest/gtest.h>

namespace parley::directory {
namespace {

Contact sample() {
  Contact k;
  k.id = 7;
  k.state = "KAZ";
  k.state_name = "Kazakhstan";
  k.name = "Aigerim, \"the\" Analyst";
  k.type = "technical";
  k.agency_name = "CERT; National";
  k.languages = {"kk", "ru"};
  k.timezone = "Asia/Almaty";
  k.availability = "24/7";
  k.channels = {{"email", "cert@example.org", "primary"}, {"phone", "+7 (717) 270-00-00", ""}};
  return k;
}

TEST(Export, CsvQuotesAndNeutralisesFormulas) {
  auto k = sample();
  k.position = "=HYPERLINK(\"http://evil\")";
  const auto csv = to_csv({k});
  EXPECT_NE(csv.find("\"Aigerim, \"\"the\"\" Analyst\""), std::string::npos);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos);
  EXPECT_NE(csv.find("\r\n"), std::string::npos);
  EXPECT_EQ(csv.substr(0, 9), "id,state,");
}

TEST(Export, VcardEscapesAndStructures) {
  const auto v = to_vcard({sample()});
  EXPECT_EQ(v.rfind("BEGIN:VCARD\r\nVERSION:4.0\r\n", 0), 0u);
  EXPECT_NE(v.find("FN:Aigerim\\, \"the\" Analyst\r\n"), std::string::npos);
  EXPECT_NE(v.find("ORG:CERT\\; National\r\n"), std::string::npos);
  EXPECT_NE(v.find("EMAIL;TYPE=work;PREF=1:cert@example.org\r\n"), std::string::npos);
  EXPECT_NE(v.find("TEL;VALUE=uri;TYPE=\"voice,work\":tel:+77172700000\r\n"), std::string::npos);
  EXPECT_NE(v.find("LANG;PREF=2:ru\r\n"), std::string::npos);
  EXPECT_NE(v.find("END:VCARD\r\n"), std::string::npos);
}

TEST(Export, VcardFoldsAt75OctetsWithoutSplittingCharacters) {
  std::string line = "NOTE:";
  for (int i = 0; i < 60; ++i) line += "Қ";   // 2 octets each
  const auto folded = vcard_fold(line);
  std::size_t start = 0;
  while (start < folded.size()) {
    const auto end = folded.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 75u);
    start = end + 2;
  }
  // Unfolding (remove CRLF + one space) restores the line exactly.
  std::string unfolded;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded.push_back(folded[i]);
  }
  EXPECT_EQ(unfolded, line + "\r\n");
}

}  // namespace
}  // namespace parley::directory
