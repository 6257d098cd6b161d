"""Rule packs: the loaded pack and its lookups (`model`), reading and finding packs (`load`), the
cross-file check (`check`). What a pack publishes for wards (template, schema, listing) is
`cchc.engine.publish`."""
