// Text extraction from the files of the library's contributions (national laws,
// strategies, views...): PDF through Poppler, DOCX and ODT by reading their XML parts
// (libzip, libxml2's streaming reader), HTML stripped of its markup by libxml2's HTML
// parser, and plain UTF-8 text.
//
// A file is never refused here: what cannot be read comes back with a flag saying why
// (corrupt, encrypted, no text, too large...) so that the caller keeps the file and says
// so. Every reader is bounded: the text kept, the pages read, the bytes inflated from a
// zip entry (counted as they come, since an entry's declared size can lie), its
// compression ratio, the number of entries, XML depth (libxml2's own limit) and entity
// expansion (none: no DTD is loaded, no network is used).
//
// PDF parsing is Poppler's, a large C++ library with a history of crashes on hostile
// files; the server therefore runs every extraction in a child process
// (library/extract_process.h), and a crash there costs one file its text, not the server.
//
// Pure functions, safe to call from several threads at once for different inputs, once
// init_extraction() has run (at start-up, before any thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::library {

enum class FileFormat { kPdf, kDocx, kOdt, kHtml, kText };

// "pdf", "docx", "odt", "html", "text", and back.
std::string_view format_name(FileFormat f);
std::optional<FileFormat> format_named(std::string_view name);
// The media type a file of this format is served with.
std::string_view media_type(FileFormat f);

// The format of a file by its first bytes, not by what the uploader called it: "%PDF-"
// near the start; a zip holding word/document.xml (DOCX) or an OpenDocument text
// mimetype (ODT); markup that starts like HTML; otherwise valid UTF-8 is text. nullopt:
// none of these (an image, a spreadsheet, a Word 97 file...). A zip is opened to look at
// its entries' names: the server asks the child process (library/extract_process.h).
std::optional<FileFormat> sniff_format(std::string_view bytes);

struct ExtractLimits {
  std::size_t max_text = 16u << 20;          // bytes of text kept; more: flag "truncated"
  int max_pages = 5000;                      // PDF pages read
  std::size_t max_part = 64u << 20;          // bytes inflated from one zip entry
  std::size_t max_ratio = 200;               // inflated / compressed size of a zip entry
  std::size_t max_entries = 10000;           // entries in a zip
  std::size_t max_markup = 32u << 20;        // bytes of an HTML page (parsed into a tree)
  std::size_t max_attributes = 1000;         // attributes in one tag (libxml2 2.9 is
                                             // quadratic in them)
};

// Why a file's text is missing or partial. kNone: all of its text was read.
enum class ExtractFlag {
  kNone,
  kTruncated,     // text beyond max_text (or pages beyond max_pages) was left out
  kNoText,        // read, but holds no text (a scanned PDF, an empty document)
  kCorrupt,       // not a readable file of its format
  kEncrypted,     // protected by a password
  kTooLarge,      // a part inflates beyond the limits (a zip bomb, or just too big)
  kUnsupported,   // a format this reader does not know
  kFailed,        // the extraction process crashed or ran out of time or memory
};
std::string_view flag_name(ExtractFlag f);   // "", "truncated", "no-text", "corrupt", ...
std::optional<ExtractFlag> flag_named(std::string_view name);

struct Extracted {
  std::optional<FileFormat> format;   // what it was read as
  std::vector<std::string> pages;   // UTF-8, valid; one per PDF page, one in all for the rest
  ExtractFlag flag = ExtractFlag::kNone;
  std::string detail;               // for the flag, in plain words ("the PDF has no trailer")
  std::size_t text_bytes() const;
};

Extracted extract(std::string_view bytes, FileFormat format, const ExtractLimits& limits = {});
// The same, the format sniffed first; none known: flag kUnsupported.
Extracted extract_any(std::string_view bytes, const ExtractLimits& limits = {});

// True when a tag of `markup` (XML or HTML) has more than `max` attributes (counted as
// the '=' between its '<' and '>'), which libxml2 2.9 would take quadratic time over.
bool crowded_tag(std::string_view markup, std::size_t max);

// The readers one by one (extract() dispatches to them).
Extracted extract_pdf(std::string_view bytes, const ExtractLimits& limits);
Extracted extract_docx(std::string_view bytes, const ExtractLimits& limits);
Extracted extract_odt(std::string_view bytes, const ExtractLimits& limits);
Extracted extract_html(std::string_view bytes, const ExtractLimits& limits);
Extracted extract_text(std::string_view bytes, const ExtractLimits& limits);

// Once per process, before any thread starts: libxml2's parser globals, and Poppler's
// error output routed away from stderr (it would otherwise print one line per broken
// object of a hostile PDF).
void init_extraction();

}  // namespace parley::library
