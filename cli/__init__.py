"""cchc.cli — the `cchc-score` command: parse options, call the library, render, write (`main`);
writing outputs whole or not at all (`output`); quiet, clean stops on signals (`signals`,
installed by the console-script `entry`). No scoring logic lives here."""
