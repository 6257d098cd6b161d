"""Fuzz harness for cchc-score's input loaders (facts files and rule packs).

Run `python fuzz/fuzz_inputs.py --help`; see fuzz/README.md. Nothing here is part of the
installed package: it drives the real loaders with hostile inputs and reports what escapes
them (an exception that is not a CchcError, an internal EngineError, a timeout, a crash).
"""
