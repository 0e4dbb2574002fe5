// DOCX and ODT text: the document's XML part read out of the zip with libzip, under
// limits counted as the bytes inflate, then walked with libxml2's streaming reader
// (no DTD, no entities from outside, no network). See library/extract.h.
#include <libxml/xmlreader.h>
#include <zip.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "library/extract.h"
#include "library/extract_detail.h"
#include "library/text_sink.h"

namespace parley::library {

namespace {

constexpr const char* kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kCompatNs = "http://schemas.openxmlformats.org/markup-compatibility/2006";
constexpr const char* kTextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr const char* kOfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view kOdtMime = "application/vnd.oasis.opendocument.text";

// An archive opened read-only over the caller's bytes (not copied: they outlive it).
class Zip {
 public:
  explicit Zip(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
      zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (!zip_) zip_source_free(source);   // on success the archive owns it
    }
    if (!zip_) error_ = zip_error_strerror(&error);
    zip_error_fini(&error);
  }
  ~Zip() {
    if (zip_) zip_discard(zip_);   // read-only: discard, never write back
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;

  zip_t* get() const { return zip_; }
  const std::string& error() const { return error_; }

 private:
  zip_t* zip_ = nullptr;
  std::string error_;
};

enum class Entry { kRead, kMissing, kEncrypted, kTooLarge, kCorrupt };

// Reads entry `name` into `out`: at most `limits.max_part` bytes, counted as they
// inflate (an entry's declared size can lie), and no more than `max_ratio` times its
// compressed size once past a mebibyte (ordinary XML compresses 5 to 20 times).
Entry read_entry(zip_t* zip, const char* name, const ExtractLimits& limits, std::string& out, std::string& why) {
  const zip_int64_t index = zip_name_locate(zip, name, 0);
  if (index < 0) return Entry::kMissing;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
    why = std::string(name) + " cannot be read";
    return Entry::kCorrupt;
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    why = std::string(name) + " is encrypted";
    return Entry::kEncrypted;
  }
  const std::size_t max = limits.max_part;
  const std::size_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? static_cast<std::size_t>(st.comp_size) : 0;
  auto too_large = [&](std::size_t size) {
    if (size > max) return true;
    return size > (1u << 20) && size / std::max<std::size_t>(compressed, 1) > limits.max_ratio;
  };
  if ((st.valid & ZIP_STAT_SIZE) && too_large(static_cast<std::size_t>(st.size))) {
    why = std::string(name) + " inflates to " + std::to_string(st.size) + " bytes";
    return Entry::kTooLarge;
  }
  zip_file_t* file = zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
  if (!file) {
    why = std::string(name) + ": " + zip_strerror(zip);
    return Entry::kCorrupt;
  }
  out.clear();
  char buffer[64 * 1024];
  Entry result = Entry::kRead;
  for (;;) {
    const zip_int64_t got = zip_fread(file, buffer, sizeof buffer);
    if (got < 0) {
      why = std::string(name) + ": " + zip_file_strerror(file);
      result = Entry::kCorrupt;
      break;
    }
    if (got == 0) break;
    out.append(buffer, static_cast<std::size_t>(got));
    if (too_large(out.size())) {
      why = std::string(name) + " inflates beyond " + std::to_string(out.size()) + " bytes";
      result = Entry::kTooLarge;
      break;
    }
  }
  zip_fclose(file);
  return result;
}

// Opens the zip and reads its document part into `xml`; false with `out`'s flag set when
// that cannot be done.
bool document_part(std::string_view bytes, const char* part, const ExtractLimits& limits, std::string& xml,
                   Extracted& out) {
  Zip zip(bytes);
  if (!zip.get()) {
    out.flag = ExtractFlag::kCorrupt;
    out.detail = "not a readable zip file: " + zip.error();
    return false;
  }
  const zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  if (entries < 0 || static_cast<std::size_t>(entries) > limits.max_entries) {
    out.flag = ExtractFlag::kTooLarge;
    out.detail = "the zip has " + std::to_string(entries) + " entries";
    return false;
  }
  std::string why;
  switch (read_entry(zip.get(), part, limits, xml, why)) {
    case Entry::kRead:
      if (crowded_tag(xml, limits.max_attributes)) {
        out.flag = ExtractFlag::kTooLarge;
        out.detail = std::string(part) + " has a tag with more than " + std::to_string(limits.max_attributes) +
                     " attributes";
        return false;
      }
      return true;
    case Entry::kMissing:
      out.flag = ExtractFlag::kCorrupt;
      out.detail = std::string("the file has no ") + part;
      return false;
    case Entry::kEncrypted: out.flag = ExtractFlag::kEncrypted; break;
    case Entry::kTooLarge: out.flag = ExtractFlag::kTooLarge; break;
    case Entry::kCorrupt: out.flag = ExtractFlag::kCorrupt; break;
  }
  out.detail = why;
  return false;
}

struct ReaderFree {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};
using Reader = std::unique_ptr<xmlTextReader, ReaderFree>;

void ignore_errors(void*, xmlErrorPtr) {}

// A reader over `xml` that loads nothing from outside (no DTD, no external entities, no
// network) and keeps libxml2's limits on depth and text size (no XML_PARSE_HUGE).
Reader reader_of(const std::string& xml) {
  if (xml.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  Reader r(xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (r) xmlTextReaderSetStructuredErrorHandler(r.get(), ignore_errors, nullptr);
  return r;
}

bool is(const xmlChar* a, const char* b) { return a && std::strcmp(reinterpret_cast<const char*>(a), b) == 0; }

// The reader's current node, by namespace and local name.
struct Node {
  int type;
  const xmlChar* ns;
  const xmlChar* name;
  bool in(const char* n) const { return is(ns, n); }
  bool named(const char* n) const { return is(name, n); }
};

Node node_of(xmlTextReaderPtr r) {
  return {xmlTextReaderNodeType(r), xmlTextReaderConstNamespaceUri(r), xmlTextReaderConstLocalName(r)};
}

// The document part `part` read out of the zip into `xml` and a reader over it; null
// with `out`'s flag set when that cannot be done.
Reader open_part(std::string_view bytes, const char* part, const ExtractLimits& limits, std::string& xml, Extracted& out) {
  if (!document_part(bytes, part, limits, xml, out)) return nullptr;
  Reader r = reader_of(xml);
  if (!r) {
    out.flag = ExtractFlag::kTooLarge;
    out.detail = std::string(part) + " is too large";
  }
  return r;
}

// The reader's end: a document that is not well-formed keeps the text read before the
// fault, flagged.
void finish(int ret, const char* part, TextSink& sink, const ExtractLimits& limits, Extracted& out) {
  if (ret < 0 && !sink.full()) {
    out.flag = ExtractFlag::kCorrupt;
    out.detail = std::string(part) + " is not well-formed XML (the text before the fault is kept)";
  } else if (sink.truncated()) {
    out.flag = ExtractFlag::kTruncated;
    out.detail = "the text is longer than " + std::to_string(limits.max_text) + " bytes";
  }
  out.pages.push_back(sink.take());
}

}  // namespace

std::optional<FileFormat> detail::zip_format(std::string_view bytes) {
  Zip zip(bytes);
  if (!zip.get()) return std::nullopt;
  ExtractLimits small;
  const zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  if (entries < 0 || static_cast<std::size_t>(entries) > small.max_entries) return std::nullopt;
  small.max_part = 256;
  std::string mime, why;
  if (read_entry(zip.get(), "mimetype", small, mime, why) == Entry::kRead) {
    while (!mime.empty() && (mime.back() == '\n' || mime.back() == '\r' || mime.back() == ' ')) mime.pop_back();
    if (mime == kOdtMime) return FileFormat::kOdt;
  }
  if (zip_name_locate(zip.get(), "word/document.xml", 0) >= 0) return FileFormat::kDocx;
  return std::nullopt;
}

Extracted extract_docx(std::string_view bytes, const ExtractLimits& limits) {
  Extracted out;
  std::string xml;
  constexpr const char* kPart = "word/document.xml";
  Reader r = open_part(bytes, kPart, limits, xml, out);
  if (!r) return out;
  TextSink sink(limits.max_text);
  int in_text = 0;   // open w:t elements: their text is the document's, streamed as read
  int ret = xmlTextReaderRead(r.get());
  while (ret == 1 && !sink.full()) {
    const Node n = node_of(r.get());
    if (n.type == XML_READER_TYPE_ELEMENT) {
      const bool empty = xmlTextReaderIsEmptyElement(r.get());
      // Text boxes come twice: in mc:Choice and again in mc:Fallback for older readers.
      if (n.in(kCompatNs) && n.named("Fallback")) {
        ret = xmlTextReaderNext(r.get());
        continue;
      }
      if (n.in(kWordNs)) {
        // Deleted revisions and field codes are not the document's text.
        if (n.named("delText") || n.named("instrText")) {
          ret = xmlTextReaderNext(r.get());
          continue;
        }
        if (n.named("t") && !empty) ++in_text;
        else if (n.named("tab")) sink.append("\t");
        else if (n.named("br") || n.named("cr")) sink.append("\n");
        else if (n.named("noBreakHyphen")) sink.append("-");
        else if (n.named("p") && empty) sink.newline();
      }
    } else if (n.type == XML_READER_TYPE_END_ELEMENT && n.in(kWordNs)) {
      if (n.named("t") && in_text > 0) --in_text;
      else if (n.named("p")) sink.newline();
    } else if ((n.type == XML_READER_TYPE_TEXT || n.type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                n.type == XML_READER_TYPE_CDATA) &&
               in_text > 0) {
      if (const xmlChar* v = xmlTextReaderConstValue(r.get())) sink.append(reinterpret_cast<const char*>(v));
    }
    ret = xmlTextReaderRead(r.get());
  }
  finish(ret, kPart, sink, limits, out);
  return out;
}

Extracted extract_odt(std::string_view bytes, const ExtractLimits& limits) {
  Extracted out;
  std::string xml;
  constexpr const char* kPart = "content.xml";
  Reader r = open_part(bytes, kPart, limits, xml, out);
  if (!r) return out;
  TextSink sink(limits.max_text);
  int paragraphs = 0;   // open text:p and text:h: text outside them is layout white space
  int ret = xmlTextReaderRead(r.get());
  while (ret == 1 && !sink.full()) {
    const Node n = node_of(r.get());
    if (n.type == XML_READER_TYPE_ELEMENT) {
      const bool empty = xmlTextReaderIsEmptyElement(r.get());
      // Tracked changes, comments and footnote numbers are not the document's text.
      if ((n.in(kTextNs) && (n.named("tracked-changes") || n.named("note-citation"))) ||
          (n.in(kOfficeNs) && n.named("annotation"))) {
        ret = xmlTextReaderNext(r.get());
        continue;
      }
      if (n.in(kTextNs)) {
        if (n.named("p") || n.named("h")) {
          if (empty) sink.newline();
          else ++paragraphs;
        } else if (n.named("s")) {
          long count = 1;
          if (xmlChar* c = xmlTextReaderGetAttributeNs(r.get(), BAD_CAST "c", BAD_CAST kTextNs)) {
            count = std::clamp(std::strtol(reinterpret_cast<const char*>(c), nullptr, 10), 1L, 1000L);
            xmlFree(c);
          }
          sink.append(std::string(static_cast<std::size_t>(count), ' '));
        } else if (n.named("tab")) {
          sink.append("\t");
        } else if (n.named("line-break")) {
          sink.append("\n");
        }
      }
    } else if (n.type == XML_READER_TYPE_END_ELEMENT) {
      if (n.in(kTextNs) && (n.named("p") || n.named("h")) && paragraphs > 0) {
        --paragraphs;
        sink.newline();
      }
    } else if ((n.type == XML_READER_TYPE_TEXT || n.type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                n.type == XML_READER_TYPE_CDATA) &&
               paragraphs > 0) {
      if (const xmlChar* v = xmlTextReaderConstValue(r.get())) sink.append_collapsed(reinterpret_cast<const char*>(v));
    }
    ret = xmlTextReaderRead(r.get());
  }
  finish(ret, kPart, sink, limits, out);
  return out;
}

}  // namespace parley::library
