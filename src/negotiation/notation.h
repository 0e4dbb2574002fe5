// The bracket notation, both ways: a parser that imports a compilation text (Parley's
// canonical form, or the looser form secretariats write by hand) into a Text, and the
// renderers of a Text: the compilation, the clean text (agreed text only), a state's
// view (the text as that state would have it), Markdown and HTML.
//
// For the canonical form Parley renders, parse and render are inverses:
// parse(render(t)) shows the same text as t, and render(parse(s)) == s.
// For a hand-made text the parser reports what it had to decide (ambiguities: a person
// must confirm them) and what it normalised (notices), each with a line and column;
// errors (unbalanced brackets, unknown state codes, an attribution with no text) leave
// no text at all. Pure functions: thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "negotiation/text.h"

namespace parley::negotiation {

struct Finding {
  int line = 0;
  int column = 0;   // in characters, from 1
  std::string message;
};

// Each kind of finding lists at most this many; the rest are counted in `omitted`.
inline constexpr std::size_t kMaxFindings = 100;

struct ParseResult {
  Text text;
  std::vector<Finding> errors;        // the text is not imported when there is any
  std::vector<Finding> ambiguities;   // decisions a person must confirm
  std::vector<Finding> notices;       // normalisations made without doubt
  std::size_t omitted = 0;            // findings past kMaxFindings of their kind
  bool ok() const { return errors.empty(); }
};

// Is `code` a state code attributions may use? (The CLI uses ISO 3166-1; a forum its members.)
using StateCheck = std::function<bool(std::string_view code)>;

ParseResult parse_compilation(std::string_view source, const StateCheck& known_state);

// The compilation text in canonical notation.
std::string render_compilation(const Text& t);
// Agreed text only: every bracket and bracketed paragraph left out, operative
// paragraphs renumbered in sequence.
std::string render_clean(const Text& t);
// The text as `state` would have it: brackets it supports (+) resolved in, brackets it
// opposes (-) resolved out, the others still bracketed.
std::string render_state_view(const Text& t, const std::string& state);
// One paragraph's content in notation (no label), and as clean text.
std::string render_content(const std::vector<Node>& content);
std::string clean_content(const std::vector<Node>& content);

std::string render_markdown(const Text& t);
// A whole HTML document; brackets are <span class="bracket"> with the proposer and the
// positions in attributes and a title, so a reader sees who stands where.
std::string render_html(const Text& t, const std::string& lang = "en");

// Text made safe inside XML and HTML elements and attribute values.
std::string escape_markup(std::string_view s);

// Tidies clean text: one space between words, none before , . ; : ) or after (.
std::string tidy_spaces(std::string_view s);

// Whether a run of text can be written in the notation (no brackets, nothing an
// attribution could be mistaken for). Empty when it can; else the reason.
std::string notation_safe(std::string_view text);

}  // namespace parley::negotiation
