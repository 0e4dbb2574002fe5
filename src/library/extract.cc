#include "library/extract.h"

#include <libxml/parser.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "common/text.h"
#include "library/extract_detail.h"
#include "library/text_sink.h"

namespace parley::library {

namespace {

struct Named {
  FileFormat format;
  std::string_view name;
  std::string_view media_type;
};
constexpr std::array<Named, 5> kFormats{{
    {FileFormat::kPdf, "pdf", "application/pdf"},
    {FileFormat::kDocx, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {FileFormat::kOdt, "odt", "application/vnd.oasis.opendocument.text"},
    {FileFormat::kHtml, "html", "text/html; charset=utf-8"},
    {FileFormat::kText, "text", "text/plain; charset=utf-8"},
}};

constexpr std::array<std::pair<ExtractFlag, std::string_view>, 8> kFlags{{
    {ExtractFlag::kNone, ""},
    {ExtractFlag::kTruncated, "truncated"},
    {ExtractFlag::kNoText, "no-text"},
    {ExtractFlag::kCorrupt, "corrupt"},
    {ExtractFlag::kEncrypted, "encrypted"},
    {ExtractFlag::kTooLarge, "too-large"},
    {ExtractFlag::kUnsupported, "unsupported"},
    {ExtractFlag::kFailed, "failed"},
}};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string_view without_bom(std::string_view s) {
  return s.substr(0, 3) == "\xEF\xBB\xBF" ? s.substr(3) : s;
}

bool looks_like_html(std::string_view bytes) {
  auto s = without_bom(bytes.substr(0, 4096));
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  if (s.empty() || s.front() != '<') return false;
  for (std::size_t at = 0; (at = s.find('<', at)) != std::string_view::npos; ++at) {
    const auto tag = s.substr(at);
    if (starts_with_ci(tag, "<!doctype html") || starts_with_ci(tag, "<html") || starts_with_ci(tag, "<body") ||
        starts_with_ci(tag, "<head"))
      return true;
  }
  return false;
}

}  // namespace

std::string_view format_name(FileFormat f) {
  for (const auto& n : kFormats)
    if (n.format == f) return n.name;
  return "";
}

std::optional<FileFormat> format_named(std::string_view name) {
  for (const auto& n : kFormats)
    if (n.name == name) return n.format;
  return std::nullopt;
}

std::string_view media_type(FileFormat f) {
  for (const auto& n : kFormats)
    if (n.format == f) return n.media_type;
  return "application/octet-stream";
}

std::string_view flag_name(ExtractFlag f) {
  for (const auto& [flag, name] : kFlags)
    if (flag == f) return name;
  return "";
}

std::optional<ExtractFlag> flag_named(std::string_view name) {
  for (const auto& [flag, n] : kFlags)
    if (n == name) return flag;
  return std::nullopt;
}

std::size_t Extracted::text_bytes() const {
  std::size_t n = 0;
  for (const auto& p : pages) n += p.size();
  return n;
}

std::optional<FileFormat> sniff_format(std::string_view bytes) {
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return FileFormat::kPdf;
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return detail::zip_format(bytes);
  if (looks_like_html(bytes)) return FileFormat::kHtml;
  if (is_valid_utf8(bytes) && bytes.find('\0') == std::string_view::npos) return FileFormat::kText;
  return std::nullopt;
}

Extracted extract_any(std::string_view bytes, const ExtractLimits& limits) {
  if (const auto f = sniff_format(bytes)) return extract(bytes, *f, limits);
  Extracted out;
  out.flag = ExtractFlag::kUnsupported;
  out.detail = "the file is none of PDF, DOCX, ODT, HTML or UTF-8 text";
  return out;
}

bool crowded_tag(std::string_view markup, std::size_t max) {
  std::size_t in_tag = 0;   // '=' seen since the last '<'; 0 outside a tag too
  bool open = false;
  for (char c : markup) {
    if (c == '<') {
      open = true;
      in_tag = 0;
    } else if (c == '>') {
      open = false;
    } else if (c == '=' && open && ++in_tag > max) {
      return true;
    }
  }
  return false;
}

Extracted extract(std::string_view bytes, FileFormat format, const ExtractLimits& limits) {
  Extracted out;
  switch (format) {
    case FileFormat::kPdf: out = extract_pdf(bytes, limits); break;
    case FileFormat::kDocx: out = extract_docx(bytes, limits); break;
    case FileFormat::kOdt: out = extract_odt(bytes, limits); break;
    case FileFormat::kHtml: out = extract_html(bytes, limits); break;
    case FileFormat::kText: out = extract_text(bytes, limits); break;
  }
  out.format = format;
  // Whatever a reader gave, what leaves here is valid UTF-8 without control characters.
  for (auto& p : out.pages) p = clean_text(p);
  if (out.flag == ExtractFlag::kNone &&
      std::none_of(out.pages.begin(), out.pages.end(), [](const std::string& p) { return has_text(p); })) {
    out.flag = ExtractFlag::kNoText;
    if (out.detail.empty()) out.detail = "the file holds no text";
  }
  return out;
}

Extracted extract_text(std::string_view bytes, const ExtractLimits& limits) {
  Extracted out;
  const auto body = without_bom(bytes);
  if (!is_valid_utf8(body)) {
    out.flag = ExtractFlag::kCorrupt;
    out.detail = "the text is not UTF-8";
    return out;
  }
  TextSink sink(limits.max_text);
  sink.append(body);
  if (sink.truncated()) {
    out.flag = ExtractFlag::kTruncated;
    out.detail = "the text is longer than " + std::to_string(limits.max_text) + " bytes";
  }
  out.pages.push_back(sink.take());
  return out;
}

void init_extraction() {
  xmlInitParser();
  detail::init_pdf();
}

// --- TextSink ----------------------------------------------------------------

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::size_t utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

void TextSink::append(std::string_view s) {
  if (truncated_) return;
  const auto room = max_ - std::min(max_, text_.size());
  const auto n = utf8_prefix(s, room);
  text_.append(s.substr(0, n));
  if (n < s.size()) truncated_ = true;
}

void TextSink::append_collapsed(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = !text_.empty() && is_space(text_.back());
  for (char c : s) {
    if (is_space(c)) {
      if (!space) out.push_back(' ');
      space = true;
    } else {
      out.push_back(c);
      space = false;
    }
  }
  append(out);
}

void TextSink::newline() {
  if (text_.empty()) return;
  while (!text_.empty() && (text_.back() == ' ' || text_.back() == '\t')) text_.pop_back();
  const auto n = text_.size();
  if (n >= 2 && text_[n - 1] == '\n' && text_[n - 2] == '\n') return;
  append("\n");
}

void TextSink::end_line() {
  while (!text_.empty() && (text_.back() == ' ' || text_.back() == '\t')) text_.pop_back();
  if (!text_.empty() && text_.back() != '\n') append("\n");
}

std::string TextSink::take() {
  std::size_t begin = 0;
  while (begin < text_.size() && is_space(text_[begin])) ++begin;
  std::size_t end = text_.size();
  while (end > begin && is_space(text_[end - 1])) --end;
  return text_.substr(begin, end - begin);
}

std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == '\r') {
        out.push_back('\n');
        i += (i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
        continue;
      }
      if (c >= 0x20 || c == '\t' || c == '\n') {
        if (c != 0x7F) out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // The length a lead byte announces, and the checks of RFC 3629 (no overlongs, no
    // surrogates, nothing above U+10FFFF).
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      const unsigned char b = p[i + k];
      ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    }
    if (!ok) {
      out.append("\xEF\xBF\xBD");   // U+FFFD
      ++i;
      continue;
    }
    // C1 controls (U+0080..U+009F) go the way of C0's.
    if (!(c == 0xC2 && p[i + 1] < 0xA0)) out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

bool has_text(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c)) return true;
  }
  return false;
}

}  // namespace parley::library
