"""Rule packs: the loaded pack and its lookups (`model`), reading and finding packs (`load`), the
cross-file check (`check`), and what a pack publishes about itself (`publish`)."""
