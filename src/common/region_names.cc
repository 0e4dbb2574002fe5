#include "common/region_names.h"

#include <unicode/uloc.h>
#include <unicode/ustring.h>

namespace parley {

std::string region_name(std::string_view alpha2, std::string_view language_tag) {
  if (alpha2.size() != 2 || language_tag.empty() || language_tag.size() > 64) return "";
  char locale[ULOC_FULLNAME_CAPACITY];
  int32_t parsed = 0;
  UErrorCode status = U_ZERO_ERROR;
  const std::string tag(language_tag);
  uloc_forLanguageTag(tag.c_str(), locale, sizeof locale, &parsed, &status);
  if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING) return "";
  const std::string region = "und_" + std::string(alpha2);
  UChar name[256];
  status = U_ZERO_ERROR;
  const int32_t n = uloc_getDisplayCountry(region.c_str(), locale, name, 256, &status);
  // A default answer (the root locale's: the code, or English) is not the language's own
  // name; a fallback to the language's parent (zh_Hans -> zh) is.
  if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING || n <= 0)
    return "";
  char out[1024];
  int32_t length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(out, sizeof out, &length, name, n, &status);
  if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING) return "";
  std::string result(out, static_cast<std::size_t>(length));
  return result == alpha2 ? "" : result;
}

}  // namespace parley
