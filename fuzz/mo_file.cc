// Fuzz target: GNU .mo catalogues (common/mo_file.h), the files the ISO 3166-1
// migration reads from iso-codes. Only MoError may escape; every entry read is a
// non-empty msgid with a non-empty translation, each no longer than the input.
#include <cstddef>
#include <cstdint>

#include "common/mo_file.h"
#include "fuzz/property.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = parley::fuzz::text_of(data, size);
  try {
    for (const auto& [id, str] : parley::read_mo(bytes)) {
      FUZZ_PROPERTY(!id.empty() && !str.empty(), "an empty msgid or translation was returned");
      FUZZ_PROPERTY(id.size() <= size && str.size() <= size, "a string longer than the file");
    }
  } catch (const parley::MoError&) {
  }
  return 0;
}
