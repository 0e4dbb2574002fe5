// BundleReader: reads a STIX bundle ({"type": "bundle", "id": …, "objects": [ … ]}) or
// a TAXII envelope ({"objects": [ … ], "more": …}) as a stream, handing out the raw
// text of one object at a time, so that a bundle of any size is read in bounded
// memory (the buffer holds the largest single object plus one read chunk). An object
// larger than `max_object_bytes` (8 MiB by default) is read past, not kept: next()
// gives it as empty text and oversized() says so, so that one huge object costs
// neither memory nor the rest of the bundle. Objects
// come out minified (whitespace outside strings removed), otherwise byte for byte as
// sent. Only the structure is checked here; the objects' content is the validator's.
//
// Thread-safety: one reader per stream, used by one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parley::exchange {

// Malformed bundle text; `offset` is the byte position in the input.
class BundleError : public std::runtime_error {
 public:
  BundleError(const std::string& what, std::size_t offset)
      : std::runtime_error(what + " at byte " + std::to_string(offset)), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

class BundleReader {
 public:
  // `source(buf, n)` fills up to n bytes and returns how many (0 at the end).
  using Source = std::function<std::size_t(char* buf, std::size_t n)>;
  static constexpr std::size_t kMaxObjectBytes = 8u << 20;
  explicit BundleReader(Source source, std::size_t chunk = 1 << 20);
  // Reads from a string held by the caller (kept alive while reading).
  static BundleReader of(std::string_view text);
  // Reads a file (closed when the reader is destroyed). Throws BundleError if it cannot.
  static BundleReader from_file(const std::string& path);

  // The next object's text (valid until the next call), or nullopt after the last.
  // Throws BundleError on malformed input.
  std::optional<std::string_view> next();
  // Top-level members other than "objects" (e.g. type, id, spec_version), once read:
  // after next() returned nullopt, all of them; values are raw JSON text.
  const std::string& type() const { return type_; }
  const std::string& id() const { return id_; }
  std::size_t objects_read() const { return count_; }
  // Whether the object next() gave last was larger than the limit (its text is empty).
  bool oversized() const { return oversized_; }
  // Its "id", when the first bytes held it at the top level; else "".
  const std::string& oversized_id() const { return oversized_id_; }
  void set_max_object_bytes(std::size_t n) { max_object_bytes_ = n; }

 private:
  bool fill();                    // reads one more chunk; false at the end
  int peek();                     // next non-space byte, or -1 at the end
  char take();                    // consumes one byte (after peek)
  void expect(char c);
  std::string read_string();      // a JSON string's raw text, quotes included
  void read_value(std::string* out);   // skips or copies (minified) one JSON value
  void read_header();             // up to the '[' of "objects"
  void read_trailer();            // after the ']' to the end
  void note_member(const std::string& key);   // refuses a top-level name given twice

  Source source_;
  std::size_t chunk_;
  std::string buf_;
  std::size_t pos_ = 0;           // in buf_
  std::size_t consumed_ = 0;      // bytes dropped from the front of buf_
  bool eof_ = false;
  enum class State { kStart, kInArray, kDone } state_ = State::kStart;
  bool first_ = true;
  std::string object_;
  std::string type_, id_;
  std::vector<std::string> members_;   // top-level names seen, quotes included
  std::size_t count_ = 0;
  std::size_t max_object_bytes_ = kMaxObjectBytes;
  bool oversized_ = false;
  std::string oversized_id_;
};

}  // namespace parley::exchange
