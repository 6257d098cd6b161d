"""cchc.scoring — from outcomes to a Report: points per rule (`points`), subtotals (`tally`),
explanations (`explain`), the Report itself (`report`), `score(facts, pack) -> Report` (`score`)
and a pack's own YAML tests (`packtest`). Imports the engine, never reports or the CLI."""
