// Fuzz target: a STIX bundle as an upload is read — BundleReader, then StixValidator
// on each object (exchange/bundle_reader.h, exchange/stix_validate.h).
//
// The bytes are a bundle or a TAXII envelope. They are read twice: from memory in one
// piece (BundleReader::of, as a body held in memory is) and through a source that hands
// out a few bytes at a time (as a spooled upload is read, chunk after chunk); both
// readings must give the same objects and the same error. Each object, and the whole
// input as one object, goes through the validator and indicator_fields(). Anything
// thrown but a BundleError is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "exchange/bundle_reader.h"
#include "exchange/stix_validate.h"
#include "fuzz/property.h"

namespace {

using parley::exchange::BundleError;
using parley::exchange::BundleReader;

struct Reading {
  std::vector<std::string> objects;
  std::string type, id;
  std::optional<std::string> error;
};

Reading read_all(BundleReader reader) {
  Reading r;
  try {
    while (auto o = reader.next()) r.objects.emplace_back(*o);
    r.type = reader.type();
    r.id = reader.id();
    FUZZ_PROPERTY(reader.objects_read() == r.objects.size(), "objects_read() counts the objects handed out");
  } catch (const BundleError& e) {
    r.error = e.what();
  }
  return r;
}

void validate(parley::exchange::StixValidator& validator, std::string_view object) {
  const auto check = validator.check(object);
  if (check.ok()) {
    const auto& info = check.info;
    FUZZ_PROPERTY(!info.type.empty(), "a valid object has a type");
    FUZZ_PROPERTY(parley::exchange::is_stix_identifier(info.id), "a valid object has a STIX identifier");
    FUZZ_PROPERTY(info.spec_version == "2.1", "a valid object is STIX 2.1");
    FUZZ_PROPERTY(info.version.empty() || !info.version_key.empty(), "a valid object's version orders");
  }
  for (const auto& e : check.errors) FUZZ_PROPERTY(!e.rule.empty(), "a refusal says why");
  if (auto f = parley::exchange::indicator_fields(object)) FUZZ_PROPERTY(!f->pattern_type.empty(), "an indicator has a pattern type");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = parley::fuzz::text_of(data, size);
  const auto whole = read_all(BundleReader::of(text));

  // A few bytes at a time; how many comes from the input, so that every boundary is tried.
  const std::size_t chunk = size ? 1 + data[size - 1] % 7 : 1;
  std::size_t at = 0;
  const auto pieces = read_all(BundleReader(
      [&](char* buf, std::size_t n) {
        const std::size_t k = std::min({n, chunk, size - at});
        if (k) std::memcpy(buf, data + at, k);
        at += k;
        return k;
      },
      chunk));
  FUZZ_PROPERTY(whole.objects == pieces.objects, "the objects do not depend on how the input is cut");
  FUZZ_PROPERTY(whole.error == pieces.error, "the error does not depend on how the input is cut");
  if (!whole.error) FUZZ_PROPERTY(whole.type == pieces.type && whole.id == pieces.id, "the header does not depend on how the input is cut");

  static parley::exchange::StixValidator validator;
  for (const auto& o : whole.objects) validate(validator, o);
  validate(validator, text);
  (void)parley::exchange::timestamp_key(text);
  (void)parley::exchange::is_stix_identifier(text);
  return 0;
}
