"""cchc.cli — the `cchc-score` command: parse options, call the library, render, write (`main`);
writing outputs whole or not at all (`output`). No scoring logic lives here."""
