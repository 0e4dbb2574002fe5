// What the work plan's printable documents (the plan itself, the annual review) share:
// escaping for Markdown and HTML, the HTML page they are printed from (its own style
// sheet, screen and print, no script), dates as day numbers for timelines, and a
// horizontal bar chart in SVG. Written here so that the server renders each document
// once, the same for the console, the download and the printer.
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::workplan::printable {

// Text for Markdown: characters that would format or break a table cell are escaped,
// line breaks become spaces.
std::string md(std::string_view s);
// A line of text for Markdown: md(), and a leading character that would open a block
// (a heading, list, quote, rule or setext underline: # - + * = > or "1." / "1)") escaped.
std::string md_line(std::string_view s);
// Text for HTML (and SVG), in elements and double-quoted attributes: & < > " escaped.
std::string html(std::string_view s);
// `s` cut to `most` characters (UTF-8), with an ellipsis when cut.
std::string ellipsize(const std::string& s, std::size_t most);

// English labels of an activity's kind ("Table-top exercise") and status ("In approval").
std::string kind_label(const std::string& kind);
std::string activity_status_label(const std::string& status);

// A whole HTML document: the title, the body (already HTML) and a style sheet for the
// screen and for print (A4, page breaks kept out of tables and charts).
std::string page(const std::string& title, const std::string& body);
// The Content-Security-Policy such a page is served with: its own style, data: images, no script.
inline constexpr const char* kPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian); the date's caller
// has checked it.
std::int64_t day_number(std::string_view ymd);
// The date of a day number, YYYY-MM-DD.
std::string date_of(std::int64_t day);

// A horizontal bar chart: one bar per row, made of coloured segments (a stacked bar), a
// label on the left and a value written after the bar; `scale` is what a full bar means.
struct Segment {
  double value = 0;
  std::string fill;
};
struct Bar {
  std::string label, tooltip, value_text;
  std::vector<Segment> segments;
};
struct Chart {
  std::string title;
  double scale = 1;
  std::vector<Bar> bars;
  std::vector<std::pair<std::string, std::string>> legend;   // label, fill
};
std::string bar_chart(const Chart& c);

}  // namespace parley::workplan::printable
