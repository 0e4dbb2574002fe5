#include "tlog/merkle.h"

#include <sodium.h>

#include <bit>
#include <stdexcept>

#include "crypto/random.h"

namespace parley::tlog {

namespace {
std::uint64_t largest_power_below(std::uint64_t n) {   // n >= 2: largest 2^k < n
  return std::bit_floor(n - 1);
}
bool is_power_of_two(std::uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }
}  // namespace

Hash sha256(std::string_view data) {
  Hash out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

Hash leaf_hash(std::string_view data) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const unsigned char zero = 0x00;
  crypto_hash_sha256_update(&st, &zero, 1);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  Hash out;
  crypto_hash_sha256_final(&st, out.data());
  return out;
}

Hash node_hash(const Hash& left, const Hash& right) {
  unsigned char buf[65];
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 33);
  Hash out;
  crypto_hash_sha256(out.data(), buf, sizeof buf);
  return out;
}

Hash empty_root() { return sha256(""); }

std::string to_base64(const Hash& h) {
  return crypto::base64(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

std::optional<Hash> hash_from_base64(std::string_view text) {
  if (text.size() != 44) return std::nullopt;
  std::string raw;
  try {
    raw = crypto::from_base64(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (raw.size() != 32) return std::nullopt;
  Hash h;
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

std::string to_hex(const Hash& h) {
  static const char* digits = "0123456789abcdef";
  std::string out(64, '0');
  for (std::size_t i = 0; i < 32; ++i) {
    out[2 * i] = digits[h[i] >> 4];
    out[2 * i + 1] = digits[h[i] & 0x0f];
  }
  return out;
}

std::optional<Hash> hash_from_hex(std::string_view text) {
  if (text.size() != 64) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  Hash h;
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return h;
}

Hash subtree_hash(const NodeReader& nodes, std::uint64_t begin, std::uint64_t end) {
  if (end <= begin) throw std::invalid_argument("an empty subtree has no hash");
  const std::uint64_t n = end - begin;
  if (is_power_of_two(n)) {
    const int level = std::countr_zero(n);
    if (begin % n != 0) throw std::invalid_argument("subtree not aligned");
    return nodes(level, begin >> level);
  }
  const std::uint64_t k = largest_power_below(n);
  return node_hash(subtree_hash(nodes, begin, begin + k), subtree_hash(nodes, begin + k, end));
}

Hash root(const NodeReader& nodes, std::uint64_t size) {
  return size == 0 ? empty_root() : subtree_hash(nodes, 0, size);
}

std::vector<Hash> inclusion_proof(const NodeReader& nodes, std::uint64_t index, std::uint64_t size) {
  if (index >= size) throw std::invalid_argument("index beyond the tree");
  // PATH(m, D[begin:end]) unrolled from the top; the RFC lists the deepest sibling first.
  std::vector<Hash> top_down;
  std::uint64_t begin = 0, end = size, m = index;
  while (end - begin > 1) {
    const std::uint64_t k = largest_power_below(end - begin);
    if (m < k) {
      top_down.push_back(subtree_hash(nodes, begin + k, end));
      end = begin + k;
    } else {
      top_down.push_back(subtree_hash(nodes, begin, begin + k));
      begin += k;
      m -= k;
    }
  }
  return {top_down.rbegin(), top_down.rend()};
}

std::vector<Hash> consistency_proof(const NodeReader& nodes, std::uint64_t from, std::uint64_t to) {
  if (from > to) throw std::invalid_argument("consistency proof from a larger tree");
  if (from == 0 || from == to) return {};
  // SUBPROOF(m, D[begin:end], b) unrolled from the top.
  std::vector<Hash> top_down;
  std::uint64_t begin = 0, end = to, m = from;
  bool whole = true;
  while (m != end - begin) {
    const std::uint64_t k = largest_power_below(end - begin);
    if (m <= k) {
      top_down.push_back(subtree_hash(nodes, begin + k, end));
      end = begin + k;
    } else {
      top_down.push_back(subtree_hash(nodes, begin, begin + k));
      begin += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) top_down.push_back(subtree_hash(nodes, begin, end));
  return {top_down.rbegin(), top_down.rend()};
}

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size, const std::vector<Hash>& proof,
                      const Hash& root_hash) {
  if (index >= size) return false;
  std::uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const auto& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      if (!(fn & 1))
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root_hash;
}

bool verify_consistency(std::uint64_t from, std::uint64_t to, const Hash& from_root, const Hash& to_root,
                        const std::vector<Hash>& proof) {
  if (from > to) return false;
  if (from == 0) return proof.empty();
  if (from == to) return proof.empty() && from_root == to_root;
  if (proof.empty()) return false;
  std::vector<Hash> path = proof;
  if (is_power_of_two(from)) path.insert(path.begin(), from_root);
  std::uint64_t fn = from - 1, sn = to - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if (!(fn & 1))
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == from_root && sr == to_root;
}

std::vector<std::pair<int, Hash>> append_leaf(const NodeReader& nodes, std::uint64_t index, const Hash& leaf) {
  std::vector<std::pair<int, Hash>> out;
  out.emplace_back(0, leaf);
  Hash h = leaf;
  std::uint64_t i = index;
  int level = 0;
  while (i & 1) {   // a right child closes its parent
    h = node_hash(nodes(level, i - 1), h);
    i >>= 1;
    ++level;
    out.emplace_back(level, h);
  }
  return out;
}

}  // namespace parley::tlog
