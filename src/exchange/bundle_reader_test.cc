#include "exchange/bundle_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace parley::exchange {
namespace {

std::vector<std::string> all(BundleReader& r) {
  std::vector<std::string> out;
  while (auto o = r.next()) out.emplace_back(*o);
  return out;
}

TEST(BundleReader, HandsOutEachObjectMinifiedWithStringsAndNumbersUntouched) {
  const std::string text = R"({ "type" : "bundle", "id": "bundle--1",
    "objects": [ { "a" : "x  y, \"}]\" ", "n": 1.50e3 },
                 {"b":[1, {"c":null}]} ] })";
  auto r = BundleReader::of(text);
  auto objects = all(r);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0], R"({"a":"x  y, \"}]\" ","n":1.50e3})");
  EXPECT_EQ(objects[1], R"({"b":[1,{"c":null}]})");
  EXPECT_EQ(r.type(), "\"bundle\"");
  EXPECT_EQ(r.id(), "\"bundle--1\"");
}

TEST(BundleReader, ReadsInSmallChunksWithBoundedBuffer) {
  std::string text = "{\"objects\":[";
  for (int i = 0; i < 1000; ++i) text += (i ? "," : "") + std::string("{\"i\":") + std::to_string(i) + ",\"pad\":\"" + std::string(100, 'x') + "\"}";
  text += "],\"type\":\"bundle\"}";
  std::size_t at = 0;
  BundleReader r(
      [&](char* buf, std::size_t n) {
        const std::size_t k = std::min<std::size_t>(n, text.size() - at);
        std::memcpy(buf, text.data() + at, k);
        at += k;
        return k;
      },
      7);   // 7-byte reads: objects and strings cross chunk boundaries
  int count = 0;
  while (auto o = r.next()) {
    EXPECT_EQ(*o, "{\"i\":" + std::to_string(count) + ",\"pad\":\"" + std::string(100, 'x') + "\"}");
    ++count;
  }
  EXPECT_EQ(count, 1000);
  EXPECT_EQ(r.type(), "\"bundle\"");   // read after the objects
}

TEST(BundleReader, ReportsMalformedInputWithItsOffset) {
  auto bad = BundleReader::of(R"({"objects":[{"a":1},2]})");
  EXPECT_TRUE(bad.next());
  try {
    bad.next();
    FAIL() << "expected an error";
  } catch (const BundleError& e) {
    EXPECT_EQ(e.offset(), 20u);
    EXPECT_NE(std::string(e.what()).find("JSON object"), std::string::npos);
  }
  auto cut = BundleReader::of(R"({"objects":[{"a":"unterminated)");
  EXPECT_THROW(cut.next(), BundleError);
  auto trailing = BundleReader::of(R"({"objects":[]} x)");
  EXPECT_THROW(trailing.next(), BundleError);
  auto none = BundleReader::of(R"({"type":"bundle","id":"bundle--2"})");
  EXPECT_FALSE(none.next());
}

TEST(BundleReader, AnObjectOverTheLimitIsReadPastNotKept) {
  const std::string text = R"({"objects":[{"a":1},{"x":{"id":"note--00000000-0000-4000-8000-000000000001"},"id":"note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","content":")" +
                           std::string(5000, 'x') + R"(","n":[1,2]},{"b":2}]})";
  auto r = BundleReader::of(text);   // reads the caller's text: it must outlive the reader
  r.set_max_object_bytes(1000);
  EXPECT_EQ(*r.next(), R"({"a":1})");
  EXPECT_FALSE(r.oversized());
  const auto huge = r.next();
  ASSERT_TRUE(huge.has_value());
  EXPECT_TRUE(huge->empty());
  EXPECT_TRUE(r.oversized());
  EXPECT_EQ(r.oversized_id(), "note--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");   // the top-level one, not the nested
  EXPECT_EQ(*r.next(), R"({"b":2})");
  EXPECT_FALSE(r.oversized());
  EXPECT_FALSE(r.next().has_value());
}

TEST(BundleReader, ATopLevelNameGivenTwiceIsRefused) {
  for (const char* text : {R"({"objects":[{"a":1}],"objects":[{"b":2}]})", R"({"type":"bundle","type":"x","objects":[]})",
                           R"({"objects":[{"a":1}],"obj\u0065cts":[{"b":2}]})"}) {
    auto r = BundleReader::of(text);
    EXPECT_THROW(
        {
          while (r.next()) {
          }
        },
        BundleError)
        << text;
  }
}

}  // namespace
}  // namespace parley::exchange
