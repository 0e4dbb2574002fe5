#include "common/mo_file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

namespace parley {
namespace {

void put32(std::string& out, std::uint32_t v, bool big_endian) {
  for (int i = 0; i < 4; ++i) {
    const int shift = big_endian ? (3 - i) * 8 : i * 8;
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

// A catalogue laid out as msgfmt does: header, the two tables, then the strings.
std::string make_mo(const std::vector<std::pair<std::string, std::string>>& entries, bool big_endian = false) {
  const auto n = static_cast<std::uint32_t>(entries.size());
  const std::uint32_t originals = 28, translations = originals + 8 * n;
  std::uint32_t offset = translations + 8 * n;
  std::string head, tables_o, tables_t, strings;
  put32(head, 0x950412de, big_endian);
  put32(head, 0, big_endian);
  put32(head, n, big_endian);
  put32(head, originals, big_endian);
  put32(head, translations, big_endian);
  put32(head, 0, big_endian);
  put32(head, 0, big_endian);
  for (const auto& [id, _] : entries) {
    put32(tables_o, static_cast<std::uint32_t>(id.size()), big_endian);
    put32(tables_o, offset, big_endian);
    strings += id;
    strings.push_back('\0');
    offset += static_cast<std::uint32_t>(id.size() + 1);
  }
  for (const auto& [_, str] : entries) {
    put32(tables_t, static_cast<std::uint32_t>(str.size()), big_endian);
    put32(tables_t, offset, big_endian);
    strings += str;
    strings.push_back('\0');
    offset += static_cast<std::uint32_t>(str.size() + 1);
  }
  return head + tables_o + tables_t + strings;
}

const std::vector<std::pair<std::string, std::string>> kEntries = {
    {"", "Content-Type: text/plain; charset=UTF-8\n"},
    {"Kazakhstan", "Казахстан"},
    {"Russian Federation", "Российская Федерация"},
    {std::string("Country\0Countries", 17), std::string("Страна\0Страны", 25)},
    {"Untranslated", ""},
};

TEST(MoFile, ReadsEntriesInEitherByteOrder) {
  for (bool big : {false, true}) {
    const auto mo = read_mo(make_mo(kEntries, big));
    EXPECT_EQ(mo.size(), 3u) << "header and untranslated entries are left out";
    EXPECT_EQ(mo.at("Kazakhstan"), "Казахстан");
    EXPECT_EQ(mo.at("Russian Federation"), "Российская Федерация");
    EXPECT_EQ(mo.at("Country"), "Страна") << "plural entries give their singular";
    EXPECT_FALSE(mo.count(""));
  }
}

TEST(MoFile, RefusesEveryTruncationAndBadMagic) {
  const auto whole = make_mo(kEntries);
  for (std::size_t n = 0; n < whole.size(); ++n) {
    // A string's NUL terminator may be cut without losing the string itself: only a
    // cut through the header, a table or a string's bytes must be refused.
    try {
      const auto mo = read_mo(whole.substr(0, n));
      EXPECT_GE(n, whole.size() - 1) << "a truncation to " << n << " bytes was accepted";
    } catch (const MoError&) {
    }
  }
  auto bad = whole;
  bad[0] = 'X';
  EXPECT_THROW(read_mo(bad), MoError);
  EXPECT_THROW(read_mo(""), MoError);
}

TEST(MoFile, RefusesOffsetsOutsideTheFile) {
  auto mo = make_mo(kEntries);
  // The first original's offset (at 28 + 4) pointed far past the end.
  mo[32] = '\xff';
  mo[33] = '\xff';
  mo[34] = '\xff';
  mo[35] = '\x7f';
  EXPECT_THROW(read_mo(mo), MoError);
  // A string count that would need tables larger than the file.
  auto many = make_mo(kEntries);
  many[8] = '\xff';
  many[9] = '\xff';
  many[10] = '\xff';
  many[11] = '\x0f';
  EXPECT_THROW(read_mo(many), MoError);
  EXPECT_THROW(read_mo(std::string(kMaxMoBytes + 1, '\0')), MoError);
}

TEST(MoFile, ReadsDebianIsoCodesCatalogue) {
  const std::string path = "/usr/share/locale/ru/LC_MESSAGES/iso_3166-1.mo";
  ASSERT_TRUE(std::filesystem::exists(path)) << "Debian's iso-codes is a build dependency (scripts/install-deps.sh)";
  const auto mo = read_mo_file(path);
  EXPECT_EQ(mo.at("Kazakhstan"), "Казахстан");
  EXPECT_GT(mo.size(), 200u);
  EXPECT_THROW(read_mo_file("/nonexistent/iso_3166-1.mo"), MoError);
}

}  // namespace
}  // namespace parley
