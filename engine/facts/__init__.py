"""Facts: read a facts file (`read`), its pydantic shape (`model`), and check it against a pack
(`check`). The pipeline: `read_facts(path)` → `resolve_pack(…)` → `check_facts(document, pack)`.
"""
