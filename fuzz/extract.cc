// Fuzz target: the library's text extraction (library/extract.h) of what states
// contribute, for the formats read in this process's own code: DOCX and ODT (libzip,
// libxml2's reader), HTML (libxml2's HTML parser) and plain text. (PDF is Poppler's
// code, run by the server in a child process that may crash; it is not fuzzed here.)
//
// The bytes are a file. Each reader takes it under small limits: nothing escapes it,
// what it gives is valid UTF-8 within the text limit, a flag comes with a reason, and
// sniff_format names a format or none.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/text.h"
#include "fuzz/property.h"
#include "library/extract.h"

namespace {

using parley::library::ExtractFlag;
using parley::library::ExtractLimits;
using parley::library::FileFormat;

bool initialised = [] {
  parley::library::init_extraction();
  return true;
}();

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = parley::fuzz::text_of(data, size);
  ExtractLimits limits;
  limits.max_text = 4096;
  limits.max_part = 1 << 20;
  limits.max_entries = 64;
  (void)parley::library::sniff_format(bytes);
  for (auto format : {FileFormat::kDocx, FileFormat::kOdt, FileFormat::kHtml, FileFormat::kText}) {
    const auto e = parley::library::extract(bytes, format, limits);
    FUZZ_PROPERTY(e.text_bytes() <= limits.max_text, "the text kept is within the limit");
    for (const auto& page : e.pages) FUZZ_PROPERTY(parley::is_valid_utf8(page), "the text is UTF-8");
    FUZZ_PROPERTY(e.flag == ExtractFlag::kNone || !e.detail.empty(), "a flag comes with its reason");
    FUZZ_PROPERTY(e.flag != ExtractFlag::kFailed, "only a child process fails");
  }
  return 0;
}
