#include "exchange/bundle_reader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace parley::exchange {

namespace {
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
constexpr int kMaxDepth = 256;
}  // namespace

BundleReader::BundleReader(Source source, std::size_t chunk) : source_(std::move(source)), chunk_(chunk) {}

BundleReader BundleReader::of(std::string_view text) {
  auto offset = std::make_shared<std::size_t>(0);
  return BundleReader(
      [text, offset](char* buf, std::size_t n) {
        const std::size_t k = std::min(n, text.size() - *offset);
        std::memcpy(buf, text.data() + *offset, k);
        *offset += k;
        return k;
      },
      std::max<std::size_t>(text.size(), 1));
}

BundleReader BundleReader::from_file(const std::string& path) {
  std::shared_ptr<std::FILE> file(std::fopen(path.c_str(), "rb"), [](std::FILE* f) {
    if (f) std::fclose(f);
  });
  if (!file) throw BundleError("cannot open the uploaded body", 0);
  return BundleReader([file](char* buf, std::size_t n) { return std::fread(buf, 1, n, file.get()); });
}

bool BundleReader::fill() {
  if (eof_) return false;
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    consumed_ += pos_;
    pos_ = 0;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + chunk_);
  const std::size_t n = source_(buf_.data() + old, chunk_);
  buf_.resize(old + n);
  if (n == 0) eof_ = true;
  return n > 0;
}

int BundleReader::peek() {
  for (;;) {
    while (pos_ < buf_.size() && is_space(buf_[pos_])) ++pos_;
    if (pos_ < buf_.size()) return static_cast<unsigned char>(buf_[pos_]);
    if (!fill()) return -1;
  }
}

char BundleReader::take() { return buf_[pos_++]; }

void BundleReader::expect(char c) {
  const int p = peek();
  if (p != c) {
    const std::string got = p < 0 ? "the end of the input" : std::string("'") + static_cast<char>(p) + "'";
    throw BundleError(std::string("expected '") + c + "' but found " + got, consumed_ + pos_);
  }
  ++pos_;
}

std::string BundleReader::read_string() {
  std::string out;
  read_value(&out);
  if (out.empty() || out.front() != '"') throw BundleError("expected a string", consumed_ + pos_);
  return out;
}

// Copies one JSON value, minified, into *out (or skips it when out is null). Strings
// are copied byte for byte, escapes included; the structure is only balanced here.
namespace {
// The top-level "id" of an object's (minified) text, when its first bytes hold it: so
// that a refusal can name the object it refuses. "" when it cannot be told for sure.
std::string top_level_id(std::string_view text) {
  int depth = 0;
  std::size_t i = 0;
  const auto string_at = [&](std::size_t at, std::size_t& end) -> std::string_view {
    std::size_t j = at + 1;
    while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
    end = j + 1;
    return j < text.size() ? text.substr(at + 1, j - at - 1) : std::string_view();
  };
  bool expect_key = false;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      std::size_t end = 0;
      const auto s = string_at(i, end);
      if (depth == 1 && expect_key && s == "id" && end + 1 < text.size() && text[end] == ':' && text[end + 1] == '"') {
        std::size_t value_end = 0;
        const auto id = string_at(end + 1, value_end);
        const auto dashes = id.find("--");
        const bool stix = dashes != std::string_view::npos && dashes > 0 && id.size() == dashes + 38 &&
                          id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
        return stix ? std::string(id) : std::string();
      }
      expect_key = false;
      i = end;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
    expect_key = (c == '{' || c == ',') && depth == 1;
    ++i;
  }
  return {};
}
}  // namespace

void BundleReader::read_value(std::string* out) {
  // A value past the size limit is read on to its end but no longer kept (only its id,
  // when its first bytes say it).
  const auto over = [&] {
    if (out && out->size() > max_object_bytes_) {
      oversized_id_ = top_level_id(*out);
      out->clear();
      out = nullptr;
      oversized_ = true;
    }
  };
  int depth = 0;
  bool in_string = false, escape = false, scalar = false;
  const int first = peek();
  if (first < 0) throw BundleError("unexpected end of the input", consumed_ + pos_);
  for (;;) {
    if (pos_ >= buf_.size() && !fill()) {
      if (scalar && depth == 0) return;
      throw BundleError("unexpected end of the input", consumed_ + pos_);
    }
    // Copy a run of string bytes at once.
    if (in_string) {
      std::size_t i = pos_;
      for (; i < buf_.size(); ++i) {
        const char c = buf_[i];
        if (escape) {
          escape = false;
        } else if (c == '\\') {
          escape = true;
        } else if (c == '"') {
          in_string = false;
          ++i;
          break;
        } else if (static_cast<unsigned char>(c) < 0x20) {
          throw BundleError("control character in a string", consumed_ + i);
        }
      }
      if (out) out->append(buf_, pos_, i - pos_);
      over();
      pos_ = i;
      if (!in_string && depth == 0) return;
      continue;
    }
    const char c = buf_[pos_];
    if (is_space(c)) {
      if (scalar && depth == 0) return;
      ++pos_;
      continue;
    }
    if (scalar && depth == 0 && (c == ',' || c == '}' || c == ']')) return;
    ++pos_;
    if (out) out->push_back(c);
    over();
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > kMaxDepth) throw BundleError("nested too deeply", consumed_ + pos_);
        break;
      case '}':
      case ']':
        if (--depth < 0) throw BundleError(std::string("unexpected '") + c + "'", consumed_ + pos_ - 1);
        if (depth == 0) return;
        break;
      default:
        if (depth == 0) scalar = true;
    }
  }
}

void BundleReader::note_member(const std::string& key) {
  // RFC 7493: a bundle naming "objects" (or "type") twice is refused, not read two ways;
  // so is a name spelled with escapes ("obj\u0065cts"), which this reader would not
  // recognise and another reader would.
  if (key.find('\\') != std::string::npos)
    throw BundleError("a top-level member name is written with escapes: " + key.substr(0, 40), consumed_ + pos_);
  if (std::find(members_.begin(), members_.end(), key) != members_.end())
    throw BundleError("the bundle names " + key + " twice", consumed_ + pos_);
  if (members_.size() < 64) members_.push_back(key);
  else throw BundleError("the bundle has more than 64 top-level members", consumed_ + pos_);
}

void BundleReader::read_header() {
  expect('{');
  if (peek() == '}') {
    ++pos_;
    state_ = State::kDone;
    return;
  }
  for (;;) {
    const auto key = read_string();
    note_member(key);
    expect(':');
    if (key == "\"objects\"") {
      expect('[');
      state_ = State::kInArray;
      return;
    }
    std::string value;
    read_value(&value);
    if (key == "\"type\"") type_ = value;
    else if (key == "\"id\"") id_ = value;
    if (peek() == '}') {
      ++pos_;
      state_ = State::kDone;
      return;
    }
    expect(',');
  }
}

void BundleReader::read_trailer() {
  for (;;) {
    const int p = peek();
    if (p == '}') {
      ++pos_;
      break;
    }
    expect(',');
    const auto key = read_string();
    note_member(key);
    expect(':');
    std::string value;
    read_value(&value);
    if (key == "\"type\"") type_ = value;
    else if (key == "\"id\"") id_ = value;
  }
  if (peek() >= 0) throw BundleError("text after the end of the bundle", consumed_ + pos_);
}

std::optional<std::string_view> BundleReader::next() {
  if (state_ == State::kStart) read_header();
  if (state_ == State::kDone) return std::nullopt;
  const int p = peek();
  if (p == ']') {
    ++pos_;
    read_trailer();
    state_ = State::kDone;
    return std::nullopt;
  }
  if (!first_) {
    expect(',');
  }
  first_ = false;
  if (peek() != '{') throw BundleError("each entry of \"objects\" must be a JSON object", consumed_ + pos_);
  object_.clear();
  oversized_ = false;
  oversized_id_.clear();
  read_value(&object_);
  ++count_;
  return std::string_view(object_);
}

}  // namespace parley::exchange
