// The difference between two revisions of a text: per paragraph (matched by its stable
// id), whether it was added, removed, changed or left as it was, with a word-level diff
// of its compilation text; and which proposals appeared, which were closed (accepted,
// rejected or withdrawn) and which paragraphs became agreed ad ref. Pure: thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "negotiation/text.h"

namespace parley::negotiation {

struct WordChange {
  char op;            // '=' same, '+' added, '-' removed
  std::string text;   // words with their spaces
};

struct ParagraphChange {
  std::string id;
  std::string status;            // added | removed | changed | unchanged
  std::string from_label, to_label;
  std::string from, to;          // compilation text (with the label)
  std::vector<WordChange> words; // changed: the word-level diff of from -> to
  bool agreed_ad_ref = false;    // became agreed ad ref in `to`
};

struct TextDiff {
  std::vector<ParagraphChange> paragraphs;
  std::vector<std::string> proposals_added;    // ids open in `to`, not in `from`
  std::vector<std::string> proposals_closed;   // ids open in `from`, gone in `to`
  int brackets_from = 0, brackets_to = 0;
  nlohmann::json to_json() const;
};

TextDiff diff_texts(const Text& from, const Text& to);

// Word-level diff (longest common subsequence over words and the spaces after them).
std::vector<WordChange> diff_words(const std::string& a, const std::string& b);

}  // namespace parley::negotiation
