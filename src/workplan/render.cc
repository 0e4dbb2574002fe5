#include "workplan/render.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/text.h"

namespace parley::workplan::printable {

std::string md(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char ch : s) {
    switch (ch) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '|': case '#': case '~':
        out += '\\';
        out += ch;
        break;
      case '\r': case '\n': case '\t':
        out += ' ';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string md_line(std::string_view s) {
  auto out = md(s);
  if (out.empty()) return out;
  if (out[0] == '-' || out[0] == '+' || out[0] == '=') return "\\" + out;
  // An ordered list's marker: digits then '.' or ')'.
  std::size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9') ++digits;
  if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')'))
    return out.substr(0, digits) + "\\" + out.substr(digits);
  return out;   // # * > are escaped by md() wherever they stand
}

std::string html(std::string_view s) { return xml_escape(s); }

std::string ellipsize(const std::string& s, std::size_t most) {
  if (most == 0 || utf8_length(s) <= most) return s;
  std::size_t chars = 0, i = 0;
  for (; i < s.size() && chars < most - 1; ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++chars;
  while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  return s.substr(0, i) + "\xE2\x80\xA6";
}

std::string kind_label(const std::string& kind) {
  if (kind == "table_top_exercise") return "Table-top exercise";
  if (kind.empty() || kind[0] < 'a' || kind[0] > 'z') return kind;
  return static_cast<char>(kind[0] - 'a' + 'A') + kind.substr(1);
}

std::string activity_status_label(const std::string& status) {
  if (status.empty() || status[0] < 'a' || status[0] > 'z') return status;
  std::string out = status;
  std::replace(out.begin(), out.end(), '_', ' ');
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string page(const std::string& title, const std::string& body) {
  static const char* kStyle = R"css(
body { font-family: 'Noto Sans', 'DejaVu Sans', Arial, sans-serif; color: #212121; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #bdbdbd; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #bdbdbd; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; overflow-x: auto; } figcaption { color: #555; font-size: .9rem; }
.status { white-space: nowrap; } .empty { color: #757575; font-style: italic; }
@media print {
  @page { size: A4; margin: 18mm 15mm; }
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; } table, figure, svg { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\">\n<title>" +
         html(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
}

std::int64_t day_number(std::string_view ymd) {
  if (ymd.size() < 10) return 0;
  auto num = [&](std::size_t at, std::size_t n) {
    std::int64_t v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (ymd[i] - '0');
    return v;
  };
  std::int64_t y = num(0, 4);
  const std::int64_t m = num(5, 2), d = num(8, 2);
  // H. Hinnant's days_from_civil.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string date_of(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string bar_chart(const Chart& c) {
  constexpr int kMargin = 16, kRow = 24, kBarMax = 360, kTop = 44;
  std::size_t longest = 8;
  for (const auto& b : c.bars) longest = std::max(longest, utf8_length(ellipsize(b.label, 40)));
  const int left = kMargin + static_cast<int>(longest) * 7 + 8;
  const int width = std::max(left + kBarMax + 120, 640);
  const int legend_y = kTop + kRow * static_cast<int>(c.bars.size()) + 14;
  const int height = legend_y + (c.legend.empty() ? 0 : 26) + kMargin;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"'Noto Sans', 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\" role=\"img\">\n<title>{2}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text x=\"{3}\" y=\"{4}\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      width, height, html(c.title), kMargin, kMargin + 12);
  const double scale = c.scale > 0 ? c.scale : 1;
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const auto& b = c.bars[i];
    const int y = kTop + static_cast<int>(i) * kRow;
    out += fmt::format("<g><title>{}</title><text x=\"{}\" y=\"{}\">{}</text>", html(b.tooltip.empty() ? b.label : b.tooltip),
                       kMargin, y + 15, html(ellipsize(b.label, 40)));
    double x = left;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#f5f5f5\"/>", left, y + 3, kBarMax);
    for (const auto& s : b.segments) {
      const double w = std::clamp(s.value / scale, 0.0, 1.0) * kBarMax;
      if (w <= 0) continue;
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\"/>", x, y + 3, w, html(s.fill));
      x += w;
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#424242\">{}</text></g>\n", left + kBarMax + 8, y + 15, html(b.value_text));
  }
  int x = kMargin;
  for (const auto& [label, fill] : c.legend) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{}\" stroke=\"#9e9e9e\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
                       x, legend_y, html(fill), x + 20, legend_y + 12, html(label));
    x += 36 + static_cast<int>(utf8_length(label)) * 7;
  }
  return out + "</svg>\n";
}

}  // namespace parley::workplan::printable
