#include "library/extract.h"

#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "common/subprocess.h"
#include "library/extract_process.h"
#include "library/text_sink.h"

namespace parley::library {
namespace {

namespace fs = std::filesystem;

class Extraction : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { init_extraction(); }
};

struct ZipEntry {
  std::string name;
  std::string data;
  bool stored = false;   // not compressed (an ODT's mimetype)
};

// A real zip file, written by libzip, returned as bytes.
std::string make_zip(const std::vector<ZipEntry>& entries) {
  const auto path = fs::temp_directory_path() / ("parley-extract-test-" + std::to_string(::getpid()) + ".zip");
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(z, nullptr);
  for (const auto& e : entries) {
    zip_source_t* src = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
    const auto index = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(index, 0);
    if (e.stored) zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  EXPECT_EQ(zip_close(z), 0);   // writes the file while `entries` is alive
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  fs::remove(path);
  return bytes;
}

std::string docx(const std::string& body) {
  const std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")"
      R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>)" +
      body + "</w:body></w:document>";
  return make_zip({{"[Content_Types].xml", R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
                   {"word/document.xml", xml}});
}

std::string odt(const std::string& body) {
  const std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0")"
      R"( xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">)"
      R"(<office:body><office:text>)" + body + "</office:text></office:body></office:document-content>";
  return make_zip({{"mimetype", "application/vnd.oasis.opendocument.text", true},
                   {"META-INF/manifest.xml", R"(<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>)"},
                   {"content.xml", xml}});
}

// A PDF of one page per text, Helvetica, with a correct cross-reference table.
std::string make_pdf(const std::vector<std::string>& pages) {
  std::vector<std::string> objects;
  std::string kids;
  for (std::size_t i = 0; i < pages.size(); ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::string content = pages[i].empty() ? "" : "BT /F1 18 Tf 72 700 Td (" + pages[i] + ") Tj ET";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                      " /Contents " + std::to_string(5 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  }
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t k = 0; k < objects.size(); ++k) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(k + 1) + " 0 obj\n" + objects[k] + "\nendobj\n";
  }
  const auto xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST_F(Extraction, DocxTextInReadingOrderWithoutDeletionsOrDuplicates) {
  const auto file = docx(
      "<w:p><w:r><w:t>Закон о кибербезопасности</w:t></w:r></w:p>"
      "<w:p><w:r><w:t>Cyber</w:t><w:tab/><w:t xml:space=\"preserve\">sécurité </w:t>"
      "<w:delText>struck out</w:delText><w:instrText>PAGE</w:instrText><w:t>nationale</w:t></w:r></w:p>"
      "<w:p/>"
      "<w:p><w:r><w:t>网络安全</w:t><w:br/><w:t>法</w:t></w:r></w:p>"
      "<mc:AlternateContent><mc:Choice><w:p><w:r><w:t>in a box</w:t></w:r></w:p></mc:Choice>"
      "<mc:Fallback><w:p><w:r><w:t>in a box</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>");
  EXPECT_EQ(sniff_format(file), FileFormat::kDocx);
  const auto e = extract(file, FileFormat::kDocx);
  EXPECT_EQ(e.flag, ExtractFlag::kNone) << e.detail;
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0], "Закон о кибербезопасности\nCyber\tsécurité nationale\n\n网络安全\n法\nin a box");
}

TEST_F(Extraction, OdtParagraphsSpacesAndWhatIsNotText) {
  const auto file = odt(
      "<text:h text:outline-level=\"1\">Стратегия  кибербезопасности</text:h>\n  "
      "<text:p>Un<text:s text:c=\"3\"/>texte <text:span>en</text:span>\n français<text:tab/>fin"
      "<office:annotation><text:p>a comment</text:p></office:annotation></text:p>"
      "<text:tracked-changes><text:changed-region><text:p>deleted</text:p></text:changed-region></text:tracked-changes>"
      "<text:p>第一行<text:line-break/>第二行<text:note-citation>1</text:note-citation></text:p>");
  EXPECT_EQ(sniff_format(file), FileFormat::kOdt);
  const auto e = extract(file, FileFormat::kOdt);
  EXPECT_EQ(e.flag, ExtractFlag::kNone) << e.detail;
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0], "Стратегия кибербезопасности\nUn   texte en français\tfin\n第一行\n第二行");
}

TEST_F(Extraction, FormatsAreKnownByTheirBytes) {
  EXPECT_EQ(sniff_format(make_pdf({"x"})), FileFormat::kPdf);
  EXPECT_EQ(sniff_format("\xEF\xBB\xBF  <!DOCTYPE html><html><body>x</body></html>"), FileFormat::kHtml);
  EXPECT_EQ(sniff_format("<p>a fragment</p>"), FileFormat::kText);
  EXPECT_EQ(sniff_format("Закон, plain text\n"), FileFormat::kText);
  EXPECT_EQ(sniff_format(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), std::nullopt);
  EXPECT_EQ(sniff_format(make_zip({{"a.txt", "not a document"}})), std::nullopt);
  EXPECT_EQ(format_named("odt"), FileFormat::kOdt);
  EXPECT_EQ(format_name(FileFormat::kDocx), "docx");
  EXPECT_EQ(format_named("exe"), std::nullopt);
}

TEST_F(Extraction, AZipBombIsStoppedByItsSizeOrItsRatio) {
  // 3 MiB of one letter inflate from a few kilobytes.
  const auto bomb = docx("<w:p><w:r><w:t>" + std::string(3 << 20, 'a') + "</w:t></w:r></w:p>");
  ASSERT_LT(bomb.size(), 64u << 10);
  ExtractLimits small;
  small.max_part = 1 << 20;
  auto e = extract(bomb, FileFormat::kDocx, small);
  EXPECT_EQ(e.flag, ExtractFlag::kTooLarge);
  EXPECT_TRUE(e.pages.empty());
  // Under the size limit, the ratio (some thousand to one) stops it.
  e = extract(bomb, FileFormat::kDocx);
  EXPECT_EQ(e.flag, ExtractFlag::kTooLarge);
  EXPECT_NE(e.detail.find("word/document.xml"), std::string::npos) << e.detail;
}

TEST_F(Extraction, AnEntryThatLiesAboutItsSizeIsStoppedWhileItInflates) {
  auto bomb = docx("<w:p><w:r><w:t>" + std::string(3 << 20, 'a') + "</w:t></w:r></w:p>");
  // Declare word/document.xml 1,000 bytes long, in its local header (offset 22) and its
  // central directory entry (offset 24).
  const std::string name = "word/document.xml";
  auto patch = [&](const char* signature, std::size_t size_at) {
    for (std::size_t at = 0; (at = bomb.find(std::string(signature, 4), at)) != std::string::npos; ++at) {
      const std::size_t name_at = size_at == 22 ? at + 30 : at + 46;
      if (bomb.compare(name_at, name.size(), name) != 0) continue;
      const std::uint32_t lie = 1000;
      for (int b = 0; b < 4; ++b) bomb[at + size_at + b] = static_cast<char>((lie >> (8 * b)) & 0xFF);
      return true;
    }
    return false;
  };
  ASSERT_TRUE(patch("PK\x03\x04", 22));
  ASSERT_TRUE(patch("PK\x01\x02", 24));
  ExtractLimits limits;
  limits.max_part = 1 << 20;
  const auto e = extract(bomb, FileFormat::kDocx, limits);
  EXPECT_TRUE(e.flag == ExtractFlag::kTooLarge || e.flag == ExtractFlag::kCorrupt) << flag_name(e.flag);
  EXPECT_TRUE(e.pages.empty());
}

TEST_F(Extraction, TextInsideTextIsStreamedAndDeletionsInsideItStayOut) {
  // A hostile w:t wrapping other elements: its text is read as it streams, and deleted
  // text inside it is still left out.
  const auto file = docx("<w:p><w:r><w:t>keep<w:delText>DELETED</w:delText><w:instrText>PAGE</w:instrText>"
                         "<x>inner</x></w:t></w:r></w:p>");
  const auto e = extract(file, FileFormat::kDocx);
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0], "keepinner");
}

TEST_F(Extraction, ATagWithThousandsOfAttributesIsRefusedBeforeParsing) {
  // libxml2 2.9 takes time quadratic in one tag's attributes.
  std::string attributes;
  for (int i = 0; i < 2000; ++i) attributes += " a" + std::to_string(i) + "=\"1\"";
  auto e = extract(docx("<w:p" + attributes + "><w:r><w:t>x</w:t></w:r></w:p>"), FileFormat::kDocx);
  EXPECT_EQ(e.flag, ExtractFlag::kTooLarge);
  EXPECT_NE(e.detail.find("more than 1000 attributes"), std::string::npos) << e.detail;
  e = extract("<html><body><p" + attributes + ">x</p></body></html>", FileFormat::kHtml);
  EXPECT_EQ(e.flag, ExtractFlag::kTooLarge);
  EXPECT_TRUE(crowded_tag("<a " + attributes + ">", 1000));
  EXPECT_FALSE(crowded_tag("<a href=\"x?a=1&b=2\">x</a> = = =", 1000));
}

TEST_F(Extraction, HostileXmlLoadsNothingAndExpandsNothing) {
  // An external entity naming a file of this machine: never read.
  const auto outside = make_zip({{"word/document.xml",
                                  "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                                  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                                  "<w:body><w:p><w:r><w:t>A&x;B</w:t></w:r></w:p></w:body></w:document>"}});
  auto e = extract(outside, FileFormat::kDocx);
  for (const auto& p : e.pages) EXPECT_EQ(p.find("root:"), std::string::npos) << p;
  // A billion laughs: refused by libxml2's amplification guard, not expanded.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY l0 \"ha\">";
  for (int i = 1; i < 10; ++i)
    laughs += "<!ENTITY l" + std::to_string(i) + " \"" + [&] {
      std::string ten;
      for (int k = 0; k < 10; ++k) ten += "&l" + std::to_string(i - 1) + ";";
      return ten;
    }() + "\">";
  laughs += "]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r>"
            "<w:t>&l9;</w:t></w:r></w:p></w:body></w:document>";
  e = extract(make_zip({{"word/document.xml", laughs}}), FileFormat::kDocx);
  EXPECT_LT(e.text_bytes(), 1u << 20);
  // Ten thousand nested elements: past libxml2's depth limit, an error, not a crash.
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<w:p>";
  e = extract(docx(deep), FileFormat::kDocx);
  EXPECT_EQ(e.flag, ExtractFlag::kCorrupt);
}

TEST_F(Extraction, BrokenOfficeFilesAreFlaggedWithTheTextBeforeTheFault) {
  auto e = extract("PK\x03\x04 but not a zip", FileFormat::kDocx);
  EXPECT_EQ(e.flag, ExtractFlag::kCorrupt);
  e = extract(make_zip({{"a.txt", "x"}}), FileFormat::kOdt);
  EXPECT_EQ(e.flag, ExtractFlag::kCorrupt);
  EXPECT_EQ(e.detail, "the file has no content.xml");
  e = extract(make_zip({{"word/document.xml",
                         "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
                         "<w:p><w:r><w:t>kept</w:t></w:r></w:p><w:p><w:r><w:t>cut"}}),
              FileFormat::kDocx);
  EXPECT_EQ(e.flag, ExtractFlag::kCorrupt);
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0].substr(0, 4), "kept");
}

TEST_F(Extraction, HtmlIsTheTextAReaderSees) {
  const std::string page =
      "<!DOCTYPE html><html><head><title>Not shown</title><style>p { color: red }</style>"
      "<script>var secret = 1;</script></head><body><h1>Politique&nbsp;nationale</h1>"
      "<p>Cyber&shy;sécurité &amp; <b>résilience</b>\n   des   infrastructures</p>"
      "<ul><li>一</li><li>二</li></ul><pre>  kept   as\n  written</pre><noscript>no</noscript>"
      "<div>end<br>line</div></body></html>";
  const auto e = extract(page, FileFormat::kHtml);
  EXPECT_EQ(e.flag, ExtractFlag::kNone) << e.detail;
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0],
            "Politique\u00a0nationale\nCyber\u00adsécurité & résilience des infrastructures\n一\n二\n"
            "  kept   as\n  written\nend\nline");
}

TEST_F(Extraction, HtmlInItsOwnCharsetAndNestedDeep) {
  // "Привет, мир" in windows-1251, said so by the page.
  const std::string cp1251 = "<html><head><meta charset=\"windows-1251\"></head><body><p>\xCF\xF0\xE8\xE2\xE5\xF2, "
                             "\xEC\xE8\xF0</p></body></html>";
  auto e = extract(cp1251, FileFormat::kHtml);
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0], "Привет, мир");
  // Deeper than libxml2 reads (256 levels): the text before is kept, and the page is
  // flagged for what it misses.
  std::string deep = "<html><body><p>before</p>";
  for (int i = 0; i < 300; ++i) deep += "<div>";
  deep += "bottom";
  e = extract(deep, FileFormat::kHtml);
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0].substr(0, 6), "before");
  EXPECT_EQ(e.flag, ExtractFlag::kTruncated);
  EXPECT_NE(e.detail.find("deeper than 256 levels"), std::string::npos) << e.detail;
  // Within the limit, the bottom is reached.
  std::string fine = "<html><body>";
  for (int i = 0; i < 200; ++i) fine += "<div>";
  e = extract(fine + "bottom", FileFormat::kHtml);
  EXPECT_EQ(e.flag, ExtractFlag::kNone) << e.detail;
  EXPECT_EQ(e.pages.at(0), "bottom");
  ExtractLimits small;
  small.max_markup = 100;
  EXPECT_EQ(extract(fine + "bottom", FileFormat::kHtml, small).flag, ExtractFlag::kTooLarge);
}

TEST_F(Extraction, PlainTextIsCheckedAndCut) {
  auto e = extract("\xEF\xBB\xBFline one\r\nline two\rthree\x01", FileFormat::kText);
  EXPECT_EQ(e.flag, ExtractFlag::kNone);
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0], "line one\nline two\nthree");
  e = extract("caf\xE9", FileFormat::kText);   // Latin-1, not UTF-8
  EXPECT_EQ(e.flag, ExtractFlag::kCorrupt);
  ExtractLimits five;
  five.max_text = 5;
  e = extract("жжжжжж", FileFormat::kText, five);   // 2 bytes each: cut between characters
  EXPECT_EQ(e.flag, ExtractFlag::kTruncated);
  ASSERT_EQ(e.pages.size(), 1u);
  EXPECT_EQ(e.pages[0], "жж");
  e = extract(" \n\t.,;", FileFormat::kText);
  EXPECT_EQ(e.flag, ExtractFlag::kNoText);
}

TEST_F(Extraction, CleanTextReplacesWhatIsNotUtf8) {
  EXPECT_EQ(clean_text("a\xFF" "b\xC0\xAF" "c"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c");
  EXPECT_EQ(clean_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");   // a surrogate
  EXPECT_EQ(clean_text("x\x7F\xC2\x85y\tz"), "xy\tz");                            // DEL and C1 NEL
  EXPECT_EQ(clean_text("ok: é 网 🙂"), "ok: é 网 🙂");
}

TEST_F(Extraction, PdfTextPageByPage) {
  const auto file = make_pdf({"National cybersecurity strategy", "Article 2 (definitions)", ""});
  const auto e = extract(file, FileFormat::kPdf);
  EXPECT_EQ(e.flag, ExtractFlag::kNone) << e.detail;
  ASSERT_EQ(e.pages.size(), 3u);
  EXPECT_EQ(e.pages[0], "National cybersecurity strategy");
  EXPECT_EQ(e.pages[1], "Article 2 (definitions)");
  EXPECT_EQ(e.pages[2], "");
  ExtractLimits one;
  one.max_pages = 1;
  const auto first = extract(file, FileFormat::kPdf, one);
  EXPECT_EQ(first.flag, ExtractFlag::kTruncated);
  EXPECT_EQ(first.pages.size(), 1u);
  EXPECT_EQ(first.detail, "only the first 1 of 3 pages were read");
}

TEST_F(Extraction, APdfWithoutTextOrStructureIsFlagged) {
  EXPECT_EQ(extract(make_pdf({""}), FileFormat::kPdf).flag, ExtractFlag::kNoText);
  const auto broken = extract("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", FileFormat::kPdf);
  EXPECT_EQ(broken.flag, ExtractFlag::kCorrupt);
  EXPECT_FALSE(broken.detail.empty());
  auto truncated = make_pdf({"half a file"});
  truncated.resize(truncated.size() / 2);
  EXPECT_NE(extract(truncated, FileFormat::kPdf).flag, ExtractFlag::kFailed);
}

// The server's way: `parley extract` as a child process (the executable beside this one).
std::string parley_executable() { return (fs::read_symlink("/proc/self/exe").parent_path() / "parley").string(); }

TEST_F(Extraction, InAChildProcessTheSameTextComesBack) {
  ExtractProcessOptions options;
  options.executable = parley_executable();
  const auto file = docx("<w:p><w:r><w:t>Закон</w:t><w:tab/><w:t>网络安全 \"quoted\"</w:t></w:r></w:p>");
  const auto in_child = extract_in_child(file, FileFormat::kDocx, options);
  const auto here = extract(file, FileFormat::kDocx);
  EXPECT_EQ(in_child.flag, here.flag) << in_child.detail;
  EXPECT_EQ(in_child.pages, here.pages);
  const auto pdf = extract_in_child(make_pdf({"one", "two"}), FileFormat::kPdf, options);
  EXPECT_EQ(pdf.pages, (std::vector<std::string>{"one", "two"}));
  // The child sniffs the format when asked to (opening a zip is parsing it).
  const auto sniffed = extract_in_child(file, std::nullopt, options);
  EXPECT_EQ(sniffed.format, FileFormat::kDocx);
  EXPECT_EQ(sniffed.pages, here.pages);
  const auto unknown = extract_in_child(std::string("\x89PNG\r\n\x1a\n\0\0", 10), std::nullopt, options);
  EXPECT_EQ(unknown.flag, ExtractFlag::kUnsupported);
  // Every limit reaches the child, not only the text's.
  options.limits.max_pages = 1;
  EXPECT_EQ(extract_in_child(make_pdf({"one", "two"}), FileFormat::kPdf, options).pages.size(), 1u);
  options.limits.max_pages = ExtractLimits{}.max_pages;
  options.limits.max_text = 2;
  EXPECT_EQ(extract_in_child(file, FileFormat::kDocx, options).flag, ExtractFlag::kTruncated);
}

TEST_F(Extraction, AChildThatFailsCostsTheFileItsTextOnly) {
  ExtractProcessOptions options;
  options.executable = parley_executable();
  options.child.deadline = std::chrono::milliseconds(1);
  auto e = extract_in_child(make_pdf({"x"}), FileFormat::kPdf, options);
  EXPECT_EQ(e.flag, ExtractFlag::kFailed);
  EXPECT_TRUE(e.pages.empty());
  EXPECT_NE(e.detail.find("the extraction"), std::string::npos) << e.detail;
  options = {};
  options.executable = "/bin/echo";   // answers, but not with the JSON object
  e = extract_in_child("x", FileFormat::kText, options);
  EXPECT_EQ(e.flag, ExtractFlag::kFailed);
  EXPECT_EQ(e.detail, "the extraction gave no readable answer");
}

TEST_F(Extraction, TheJsonBetweenParentAndChildRoundTrips) {
  Extracted e;
  e.flag = ExtractFlag::kTruncated;
  e.detail = "cut";
  e.pages = {"Закон \"x\"\n", "", "网"};
  const auto back = extracted_from_json(extracted_json(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->flag, e.flag);
  EXPECT_EQ(back->detail, e.detail);
  EXPECT_EQ(back->pages, e.pages);
  EXPECT_FALSE(extracted_from_json("{\"flag\":\"weird\",\"pages\":[]}"));
  EXPECT_FALSE(extracted_from_json("{\"flag\":\"\",\"pages\":[1]}"));
  EXPECT_FALSE(extracted_from_json("not json"));
}

}  // namespace
}  // namespace parley::library
