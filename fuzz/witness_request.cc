// Fuzz target: a witness's add-checkpoint request (witness/add_checkpoint.h), the body
// any client on the network may send to `parley witness serve`. Parsing either refuses
// (MalformedRequest) or yields at most 63 proof hashes; the decision always answers one
// of the specification's statuses, 409 with a text/x.tlog.size body, 200 only with a
// record to persist; nothing else escapes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz/property.h"
#include "witness/add_checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parley;
  const auto body = fuzz::text_of(data, size);
  static const auto log = tlog::Signer::generate("example.org/log", tlog::kEd25519);
  static const auto witness = tlog::Signer::generate("witness.example/w1", tlog::kCosignatureV1);
  static const witness::LogKeys logs = {{"example.org/log", {log.verifier()}}};
  try {
    const auto req = witness::parse_add_checkpoint(body);
    FUZZ_PROPERTY(req.proof.size() <= witness::kMaxProofLines, "more proof lines than the bound");
    FUZZ_PROPERTY(!req.checkpoint.empty() && req.checkpoint.size() < size, "an empty or invented checkpoint");
  } catch (const witness::MalformedRequest&) {
  }
  const auto out = witness::add_checkpoint(
      body, logs, witness, [](const std::string&) -> std::optional<std::string> { return std::nullopt; }, 1);
  const int s = out.status;
  FUZZ_PROPERTY(s == 200 || s == 400 || s == 403 || s == 404 || s == 409 || s == 422, "a status the spec does not give");
  FUZZ_PROPERTY(s != 409 || out.content_type == "text/x.tlog.size", "a 409 without text/x.tlog.size");
  FUZZ_PROPERTY((s == 200) == out.record.has_value(), "a record without a cosignature, or the reverse");
  return 0;
}
