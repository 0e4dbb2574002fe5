// Where the extractors (library/extract.h) put the text they read: kept up to a limit,
// cut on a UTF-8 character boundary, with blank lines collapsed (a document's empty
// paragraphs and a PDF's layout add many). Internal to the extractors. Not thread-safe:
// one per extraction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::library {

class TextSink {
 public:
  explicit TextSink(std::size_t max_bytes) : max_(max_bytes) {}

  // Appends `s` (UTF-8); what would pass the limit is left out and truncated() is set.
  void append(std::string_view s);
  // Appends `s` with every run of white space made one space, as HTML and ODF read
  // the text of a paragraph.
  void append_collapsed(std::string_view s);
  // Ends a line; at most one empty line in a row is kept.
  void newline();
  // Ends the line unless it has just ended (HTML's blocks: no empty line between them).
  void end_line();

  bool full() const { return truncated_; }
  bool truncated() const { return truncated_; }
  std::size_t size() const { return text_.size(); }
  // The text, without leading or trailing blank lines.
  std::string take();

 private:
  std::size_t max_;
  std::string text_;
  bool truncated_ = false;
};

// The length of the longest prefix of `s` no longer than `max` bytes that ends on a
// UTF-8 character boundary.
std::size_t utf8_prefix(std::string_view s, std::size_t max);

// `s` with every invalid UTF-8 sequence replaced by U+FFFD, "\r\n" and lone "\r" made
// "\n", and control characters other than tab and newline removed.
std::string clean_text(std::string_view s);

// True when `s` holds something other than white space and ASCII punctuation: a
// letter or digit of any script, or any other non-ASCII character.
bool has_text(std::string_view s);

}  // namespace parley::library
