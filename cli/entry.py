"""The console-script entry point: install the signal handlers, then import and run the
program, so that Ctrl-C at any moment — start-up included — ends quietly with status 130."""

from __future__ import annotations


def main() -> None:
    """`cchc-score`."""
    from cchc.cli import signals

    signals.install()
    from cchc.cli.main import main as run

    run()
