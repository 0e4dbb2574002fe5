#include "common/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace parley {

std::string fold_for_search(std::string_view utf8) {
  if (utf8.size() > kFoldMaxInput) utf8 = utf8.substr(0, kFoldMaxInput);
  // Plain ASCII (most codes, addresses and numbers): the ICU round trip is not needed.
  bool ascii = true;
  for (unsigned char ch : utf8)
    if (ch >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {
    std::string out(utf8);
    for (auto& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
  }

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (U_FAILURE(status)) {   // ICU's data is missing: fold what ASCII folding can
    std::string out(utf8);
    for (auto& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
  }
  text.foldCase(U_FOLD_CASE_DEFAULT);   // "İ" -> "i̇", "ß" -> "ss", "ς" -> "σ"
  icu::UnicodeString decomposed = nfd->normalize(text, status);
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 cp = decomposed.char32At(i);
    i += U16_LENGTH(cp);
    if (u_charType(cp) == U_NON_SPACING_MARK) continue;
    stripped.append(cp == 0x0131 ? UChar32{'i'} : cp);   // Turkish dotless ı
  }
  icu::UnicodeString composed = nfc->normalize(stripped, status);
  std::string out;
  (U_FAILURE(status) ? stripped : composed).toUTF8String(out);
  return out;
}

}  // namespace parley
