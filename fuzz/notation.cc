// Fuzz target: the bracket notation (negotiation/notation.h, text.h, akn.h).
//
// The bytes are a compilation text, parsed as the API and `parley negotiate` parse it
// (state codes checked against ISO 3166-1). Whatever the outcome, every renderer runs
// on the text: the compilation, the clean text, each attributed state's view,
// Markdown, HTML, Akoma Ntoso, and the proposals, counts and labels. When the input
// parses without errors, the properties notation_test.cc checks on the golden files
// and the seed must hold for it too: the canonical rendering parses without errors or
// ambiguities into the same text and renders to itself again, and the stored JSON
// gives the same text back.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz/property.h"
#include "negotiation/akn.h"
#include "negotiation/notation.h"
#include "negotiation/states.h"

namespace {

using namespace parley::negotiation;

ParseResult parse(std::string_view s) {
  return parse_compilation(s, [](std::string_view code) { return is_iso3166_alpha3(code); });
}

void render_everything(Text t) {
  (void)render_compilation(t);
  (void)render_clean(t);
  (void)render_markdown(t);
  (void)render_html(t);
  AknDocument d;
  d.text = t;
  d.work_date = "2026-11-01";
  (void)render_akn(d);
  (void)paragraph_labels(t);
  const auto counts = count_brackets(t);
  FUZZ_PROPERTY(counts.per_paragraph.size() == t.paragraphs.size(), "brackets are counted per paragraph");
  std::set<std::string> states = {"KAZ"};
  for (const auto& [state, n] : counts.per_state) states.insert(state);
  for (const auto& state : states) (void)render_state_view(t, state);
  for (const auto& p : proposals(t)) FUZZ_PROPERTY(p.paragraph < t.paragraphs.size(), "a proposal is in a paragraph");
  for (const auto& p : t.paragraphs) {
    (void)render_content(p.content);
    (void)clean_content(p.content);
  }
  link_replacements(t);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto source = parley::fuzz::text_of(data, size);
  (void)notation_safe(source);
  (void)tidy_spaces(source);
  (void)escape_markup(source);

  const auto r = parse(source);
  render_everything(r.text);
  if (!r.ok()) {
    FUZZ_PROPERTY(r.text.paragraphs.empty(), "a text with errors is not imported");
    return 0;
  }
  const auto canonical = render_compilation(r.text);
  const auto again = parse(canonical);
  FUZZ_PROPERTY(again.ok(), "the canonical rendering parses without errors");
  // What a person had to confirm may stay to confirm (an "Alt" paragraph nobody
  // proposes is one in any form); what needed no confirming must not need it after.
  FUZZ_PROPERTY(!r.ambiguities.empty() || again.ambiguities.empty(), "the canonical rendering of an unambiguous text is unambiguous");
  FUZZ_PROPERTY(again.text.same_as(r.text), "the canonical rendering parses into the same text");
  FUZZ_PROPERTY(render_compilation(again.text) == canonical, "the canonical rendering renders to itself");
  FUZZ_PROPERTY(Text::from_json(r.text.to_json()).same_as(r.text), "the stored JSON gives the same text");
  return 0;
}
