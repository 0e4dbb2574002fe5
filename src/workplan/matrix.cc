#include "workplan/matrix.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/text.h"
#include "workplan/input.h"
#include "workplan/render.h"

namespace parley::workplan {

StatusLook status_look(const std::string& status) {
  if (status == "implemented") return {"#2e7d32", "#ffffff", "I", "Implemented"};
  if (status == "in_progress") return {"#f9a825", "#000000", "P", "In progress"};
  if (status == "not_started") return {"#c62828", "#ffffff", "N", "Not started"};
  if (status == "not_applicable") return {"#9e9e9e", "#000000", "\xE2\x80\x93", "Not applicable"};
  return {"#ffffff", "#616161", "?", "Not reported"};
}

const std::vector<std::string>& matrix_statuses() {
  static const std::vector<std::string> all = [] {
    auto v = kStatuses;
    v.push_back(kNotReported);
    return v;
  }();
  return all;
}

Matrix build_matrix(const std::string& forum, const std::string& forum_name, const std::string& as_of,
                    const std::vector<Measure>& measures, const std::vector<Matrix::Row>& states,
                    const std::vector<Report>& reports, const MatrixFilter& filter) {
  Matrix m;
  m.forum = forum;
  m.forum_name = forum_name;
  m.as_of = as_of;
  std::map<std::int64_t, std::size_t> column_of;
  for (const auto& x : measures) {
    if (!filter.measures.empty() && !input::one_of(filter.measures, x.code)) continue;
    column_of[x.id] = m.measures.size();
    m.measures.push_back({x.id, x.code, x.title});
  }
  std::map<std::string, std::size_t> row_of;
  std::vector<Matrix::Row> rows;
  for (const auto& s : states) {
    if (!filter.states.empty() && !input::one_of(filter.states, s.state)) continue;
    row_of[s.state] = rows.size();
    rows.push_back(s);
  }
  std::vector<std::vector<MatrixCell>> cells(rows.size(), std::vector<MatrixCell>(m.measures.size()));
  for (const auto& r : reports) {   // oldest first: the last one written is the latest
    if (!as_of.empty() && r.as_of > as_of) continue;
    const auto col = column_of.find(r.measure_id);
    const auto row = row_of.find(r.state);
    if (col == column_of.end() || row == row_of.end()) continue;
    cells[row->second][col->second] = {r.status, r.as_of, r.id, true};
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    bool any = filter.statuses.empty();
    for (auto& cell : cells[i]) {
      cell.shown = filter.statuses.empty() || input::one_of(filter.statuses, cell.status);
      any = any || cell.shown;
    }
    if (!any) continue;
    m.states.push_back(rows[i]);
    m.cells.push_back(std::move(cells[i]));
  }
  return m;
}

std::vector<std::vector<std::size_t>> matrix_totals(const Matrix& m) {
  const auto& statuses = matrix_statuses();
  std::vector<std::vector<std::size_t>> totals(m.measures.size(), std::vector<std::size_t>(statuses.size()));
  for (const auto& row : m.cells)
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (!row[j].shown) continue;
      const auto k = std::find(statuses.begin(), statuses.end(), row[j].status) - statuses.begin();
      ++totals[j][static_cast<std::size_t>(k)];
    }
  return totals;
}

std::string matrix_csv(const Matrix& m) {
  std::string out = "state,name";
  // Appended piece by piece ("," + a temporary trips g++ 12's -Wrestrict at -O2).
  for (const auto& c : m.measures) {
    out += ',';
    out += csv_field(c.code);
  }
  out += "\r\n";
  for (std::size_t i = 0; i < m.states.size(); ++i) {
    out += csv_field(m.states[i].state);
    out += ',';
    out += csv_field(m.states[i].name);
    for (const auto& cell : m.cells[i]) {
      out += ',';
      if (cell.shown) out += cell.status;
    }
    out += "\r\n";
  }
  return out;
}

std::string matrix_svg(const Matrix& m) {
  constexpr int kCellW = 56, kCellH = 22, kTop = 120, kMargin = 16;
  std::size_t longest = 12;
  for (const auto& s : m.states) longest = std::max(longest, utf8_length(printable::ellipsize(s.name, 36)));
  const int left = kMargin + 40 + static_cast<int>(longest) * 7;
  const int grid_w = kCellW * static_cast<int>(m.measures.size());
  const int grid_h = kCellH * static_cast<int>(m.states.size());
  // Wide enough for the grid, the legend and the heading (some 7 pixels a character).
  const int heading = kMargin * 2 + 7 * static_cast<int>(std::max<std::size_t>(utf8_length(printable::ellipsize(m.forum_name, 100)), 60));
  const int width = std::max({left + grid_w + kMargin + 40, 820, heading});
  const int legend_y = kTop + grid_h + 28;
  const int height = legend_y + 30 + kMargin;

  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"'Noto Sans', 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\" role=\"img\">\n",
      width, height);
  const auto title = m.forum + ": implementation of measures" + (m.as_of.empty() ? std::string() : " as of " + m.as_of);
  out += "<title>" + xml_escape(title + (m.forum_name.empty() ? "" : " (" + m.forum_name + ")")) + "</title>\n";
  out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", width, height);
  out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"15\" font-weight=\"bold\">{}</text>\n", kMargin, kMargin + 12,
                     xml_escape(title));
  if (!m.forum_name.empty())
    out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#424242\">{}</text>\n", kMargin, kMargin + 30,
                       xml_escape(printable::ellipsize(m.forum_name, 100)));
  // Column headers, slanted so that long codes fit.
  for (std::size_t j = 0; j < m.measures.size(); ++j) {
    const int x = left + static_cast<int>(j) * kCellW + kCellW / 2;
    out += fmt::format("<text x=\"{0}\" y=\"{1}\" transform=\"rotate(-45 {0} {1})\"><title>{2}</title>{3}</text>\n", x,
                       kTop - 6, xml_escape(m.measures[j].title), xml_escape(printable::ellipsize(m.measures[j].code, 16)));
  }
  for (std::size_t i = 0; i < m.states.size(); ++i) {
    const int y = kTop + static_cast<int>(i) * kCellH;
    const auto& s = m.states[i];
    out += fmt::format("<text x=\"{}\" y=\"{}\"><tspan font-weight=\"bold\">{}</tspan> {}</text>\n", kMargin,
                       y + kCellH - 7, xml_escape(s.state), xml_escape(printable::ellipsize(s.name, 36)));
    for (std::size_t j = 0; j < m.cells[i].size(); ++j) {
      const auto& cell = m.cells[i][j];
      const int x = left + static_cast<int>(j) * kCellW;
      if (!cell.shown) {
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#e0e0e0\"/>\n", x,
                           y, kCellW, kCellH);
        continue;
      }
      const auto look = status_look(cell.status);
      std::string tip = s.state + " \xC2\xB7 " + m.measures[j].code + ": " + look.label;
      if (!cell.as_of.empty()) tip += " (as of " + cell.as_of + ")";
      out += fmt::format(
          "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#bdbdbd\"/>"
          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text></g>\n",
          xml_escape(tip), x, y, kCellW, kCellH, look.fill, x + kCellW / 2, y + kCellH - 7, look.ink, look.letter);
    }
  }
  // The legend, with how many cells of the matrix have each status.
  std::vector<std::size_t> counts(matrix_statuses().size());
  for (const auto& per_measure : matrix_totals(m))
    for (std::size_t k = 0; k < per_measure.size(); ++k) counts[k] += per_measure[k];
  int x = kMargin;
  for (std::size_t k = 0; k < matrix_statuses().size(); ++k) {
    const auto look = status_look(matrix_statuses()[k]);
    const auto label = fmt::format("{} ({})", look.label, counts[k]);
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"18\" fill=\"{}\" stroke=\"#bdbdbd\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>"
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        x, legend_y, look.fill, x + 9, legend_y + 13, look.ink, look.letter, x + 24, legend_y + 13, xml_escape(label));
    x += 34 + static_cast<int>(label.size()) * 7;
  }
  return out + "</svg>\n";
}

}  // namespace parley::workplan
