// PDF text through Poppler's C++ interface (poppler-cpp). See library/extract.h.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string>

#include "library/extract.h"
#include "library/extract_detail.h"
#include "library/text_sink.h"

namespace parley::library {

namespace {

// Poppler reports a broken file through a process-wide function; the first message of
// the extraction running on this thread becomes the flag's detail.
thread_local std::string t_first_error;

void note_error(const std::string& message, void*) {
  if (t_first_error.empty()) t_first_error = message.substr(0, 300);
}

}  // namespace

void detail::init_pdf() { poppler::set_debug_error_function(note_error, nullptr); }

Extracted extract_pdf(std::string_view bytes, const ExtractLimits& limits) {
  Extracted out;
  t_first_error.clear();
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    out.flag = ExtractFlag::kTooLarge;
    out.detail = "the PDF is larger than 2 GiB";
    return out;
  }
  // Poppler reads the caller's buffer in place: `bytes` outlives the document.
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    out.flag = ExtractFlag::kCorrupt;
    out.detail = t_first_error.empty() ? "Poppler could not read the PDF" : "Poppler: " + t_first_error;
    return out;
  }
  // A document locked by a user password: nothing else may be asked of it (Poppler
  // 22.12 crashes counting the pages of one).
  if (doc->is_locked()) {
    out.flag = ExtractFlag::kEncrypted;
    out.detail = "the PDF is protected by a password";
    return out;
  }
  const int pages = doc->pages();
  const int n = std::min(pages, limits.max_pages);
  std::size_t total = 0;
  bool cut = false;
  for (int i = 0; i < n && !cut; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      out.pages.emplace_back();
      continue;
    }
    const auto utf8 = page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
    // Poppler ends each line with a newline and pads the page's end with blank lines.
    std::string_view text(utf8.data(), utf8.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\f' || text.back() == '\r'))
      text.remove_suffix(1);
    const auto keep = utf8_prefix(text, limits.max_text - total);
    out.pages.emplace_back(text.substr(0, keep));
    total += keep;
    cut = keep < text.size();
  }
  if (cut || pages > n) {
    out.flag = ExtractFlag::kTruncated;
    out.detail = cut ? "the text is longer than " + std::to_string(limits.max_text) + " bytes"
                     : "only the first " + std::to_string(n) + " of " + std::to_string(pages) + " pages were read";
  }
  return out;
}

}  // namespace parley::library
