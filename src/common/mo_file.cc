#include "common/mo_file.h"

#include <cstdint>
#include <fstream>
#include <iterator>

namespace parley {

namespace {

constexpr std::uint32_t kMagic = 0x950412de;
constexpr std::uint32_t kMagicSwapped = 0xde120495;

class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}

  std::uint32_t u32(std::size_t at) const {
    if (at > b_.size() || b_.size() - at < 4) throw MoError("truncated: no 32-bit word at offset " + std::to_string(at));
    const auto* p = reinterpret_cast<const unsigned char*>(b_.data() + at);
    if (swapped_)
      return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
  }

  // The string of the table entry `i` of the table at `table`: {length, offset}.
  std::string_view entry(std::size_t table, std::size_t i) const {
    const std::size_t at = table + i * 8;   // table + i * 8 <= size checked by the caller's bound on i
    const std::uint32_t length = u32(at);
    const std::uint32_t offset = u32(at + 4);
    if (offset > b_.size() || b_.size() - offset < length)
      throw MoError("string " + std::to_string(i) + " lies outside the file");
    return b_.substr(offset, length);
  }

  void set_swapped(bool s) { swapped_ = s; }
  std::size_t size() const { return b_.size(); }

 private:
  std::string_view b_;
  bool swapped_ = false;
};

std::string_view first_part(std::string_view s) {
  const auto nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

}  // namespace

std::map<std::string, std::string> read_mo(std::string_view bytes) {
  if (bytes.size() > kMaxMoBytes) throw MoError("larger than " + std::to_string(kMaxMoBytes) + " bytes");
  Reader r(bytes);
  const std::uint32_t magic = r.u32(0);
  if (magic == kMagicSwapped) r.set_swapped(true);
  else if (magic != kMagic) throw MoError("not a GNU .mo file (bad magic number)");
  const std::uint32_t revision = r.u32(4);
  if ((revision >> 16) > 1) throw MoError("unsupported major revision " + std::to_string(revision >> 16));
  const std::uint32_t n = r.u32(8);
  const std::uint32_t originals = r.u32(12);
  const std::uint32_t translations = r.u32(16);
  // Each table holds n entries of 8 bytes, inside the file.
  const auto table_fits = [&](std::uint32_t table) {
    return table <= r.size() && (r.size() - table) / 8 >= n;
  };
  if (!table_fits(originals)) throw MoError("the table of original strings lies outside the file");
  if (!table_fits(translations)) throw MoError("the table of translations lies outside the file");
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = first_part(r.entry(originals, i));
    const auto str = first_part(r.entry(translations, i));
    if (id.empty() || str.empty()) continue;
    out.emplace(std::string(id), std::string(str));
  }
  return out;
}

std::map<std::string, std::string> read_mo_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MoError("cannot open " + path);
  std::string bytes;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxMoBytes) throw MoError(path + ": larger than " + std::to_string(kMaxMoBytes) + " bytes");
  }
  try {
    return read_mo(bytes);
  } catch (const MoError& e) {
    throw MoError(path + ": " + e.what());
  }
}

}  // namespace parley
