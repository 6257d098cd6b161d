"""cchc.reports — renderers: a Report (or a pack's listing, or pack-test results) as a terminal
table or Markdown (`text`), JSON (`json_report`), a one-line-per-rule scorecard (`scorecard`).
A new format is a new module here. Imports scoring and the engine, never the CLI."""
