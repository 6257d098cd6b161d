"""cchc.engine — from input files to one outcome per rule.

Three stages, each a subpackage, in the order data flows:

- `facts/`    read a facts file (`read`), its shape (`model`), the check against a pack (`check`);
- `pack/`     a rule pack: its lookups (`model`), reading and finding it (`load`), the cross-file
              check (`check`) and what it publishes (`publish`: template, schema, rule listing);
- `evaluate/` derive exact metrics (`derive`), compile the pack to durable_rules (`compile`) and
              evaluate a ward in it (`evaluator`).

`durable` is the one module that talks to durable_rules and owns its fact layout. `errors`,
`messages`, `numbers` and `dates` are shared by every stage. Nothing here imports scoring,
reports or the command line.
"""
