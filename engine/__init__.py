"""cchc.engine — from input files to one outcome per rule.

Three stages, each a subpackage, in the order data flows:

- `facts/`    read a facts file (`read`), its shape (`model`), the check against a pack (`check`);
- `pack/`     a rule pack: its lookups (`model`), reading and finding it (`load`) and the
              cross-file check (`check`);
- `evaluate/` derive exact metrics (`derive`), compile the pack to durable_rules (`compile`) and
              evaluate a ward in it (`evaluator`).

`inputs` chains read → resolve pack → check. `publish` is what a pack offers wards: the facts
template, the facts JSON Schema, the rule listing. `durable` is the one module that talks to
durable_rules and owns its fact layout. `errors`, `messages`, `numbers` and `dates` are shared
by every stage. Nothing here imports scoring, reports or the command line.
"""
