#include "ledger/witness_protocol.h"

#include <charconv>

namespace parley::ledger {

std::string add_checkpoint_body(std::uint64_t old_size, const std::vector<tlog::Hash>& proof,
                                std::string_view checkpoint_note) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const auto& h : proof) body.append(tlog::to_base64(h)).append("\n");
  body.append("\n").append(checkpoint_note);
  return body;
}

namespace {
// The first line of a witness's text, trimmed and bounded, for a refusal's reason.
std::string first_line(std::string_view body) {
  auto line = body.substr(0, body.find('\n'));
  if (line.size() > 200) line = line.substr(0, 200);
  std::string out;
  for (char ch : line) out.push_back(static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f ? ' ' : ch);
  return out;
}
WitnessAnswer refused(std::string reason) {
  WitnessAnswer a;
  a.kind = WitnessAnswer::Kind::kRefused;
  a.reason = std::move(reason);
  return a;
}
}  // namespace

WitnessAnswer interpret_witness_answer(int status, std::string_view content_type, std::string_view body,
                                       std::string_view checkpoint_text, const tlog::Verifier& witness,
                                       std::uint64_t tree_size) {
  const auto said = first_line(body);
  const auto with = [&](std::string s) { return said.empty() ? s : s.append(": ").append(said); };
  if (status == 200) {
    std::vector<tlog::NoteSignature> sigs;
    try {
      sigs = tlog::parse_signature_lines(body);
    } catch (const tlog::NoteError& e) {
      WitnessAnswer a;
      a.reason = std::string("the witness answered 200 with malformed signature lines: ").append(e.what());
      return a;   // kDown: a broken answer is retried, it is not a statement about the log
    }
    for (const auto& s : sigs) {
      if (!witness.matches(s)) continue;   // other keys' lines are ignored
      std::uint64_t ts = 0;
      if (witness.verify(checkpoint_text, s, &ts) && ts > 0) {
        WitnessAnswer a;
        a.kind = WitnessAnswer::Kind::kCosigned;
        a.line = s.line();
        a.timestamp = ts;
        return a;
      }
    }
    WitnessAnswer a;
    a.reason = "the witness answered 200 without a valid cosignature from its key";
    return a;
  }
  if (status == 409) {
    auto text = body;
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    std::uint64_t size = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
    const bool is_size = content_type.starts_with("text/x.tlog.size") && !text.empty() && ec == std::errc() &&
                         end == text.data() + text.size();
    if (!is_size) return refused(with("the witness answered 409 without its size"));
    if (size > tree_size)
      return refused("the witness has cosigned a checkpoint of " + std::to_string(size) +
                     " entries, more than this log holds (" + std::to_string(tree_size) + ")");
    WitnessAnswer a;
    a.kind = WitnessAnswer::Kind::kRetry;
    a.size = size;
    return a;
  }
  if (status == 400) return refused(with("the witness found the request malformed (400)"));
  if (status == 403) return refused(with("the witness does not accept this log's signature (403)"));
  if (status == 404) return refused(with("the witness does not follow this log (404)"));
  if (status == 422) return refused(with("the witness found the checkpoint inconsistent with what it cosigned (422)"));
  WitnessAnswer a;
  a.reason = with("the witness answered " + std::to_string(status));
  return a;
}

}  // namespace parley::ledger
