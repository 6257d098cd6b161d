"""Load a rule pack: read its YAML files, check their shape, check the whole, and hash them.

A pack is found by id among the shipped packs (`cchc.rules`), by a folder path, or by the year of
the facts file. Every problem becomes a PackError (exit status 3) naming the pack file, the rule
id and the field; a duplicate YAML key is an error, not a silent overwrite.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from cchc.engine.errors import (
    PackError,
    Problem,
    input_error,
    pack_error,
    usage_error,
)
from cchc.engine.messages import capped_errors, describe
from cchc.engine.numbers import fmt
from cchc.engine.pack.cache import cached, cached_pack, file_hashes
from cchc.engine.pack.discover import FoundPack, active_ids, discover, lookup
from cchc.engine.pack.model import Pack
from cchc.rules import PACK_MANIFEST, shipped_packs
from cchc.rules.schema import (
    Bilingual,
    Convention,
    ConventionRef,
    FactsSection,
    OnTime,
    PackMeta,
    RequirementsSection,
    Rule,
    RulesFile,
    RuleSpec,
)

if TYPE_CHECKING:  # only the type is needed; importlib.resources.abc is 3.11+
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

FACTS_FILE = "facts.yaml"
REQUIREMENTS_FILE = "requirements.yaml"
RULES_DIR = "rules"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """A safe YAML loader that refuses a key given twice in one mapping, and aliases (`*name`):
    a pack has no need of them, and nested aliases (a "billion laughs") expand into gigabytes
    the moment anything walks the structure."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # the pure-Python composer
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a rule pack: write the value out",
                event.start_mark)
        return super().compose_node(parent, index)


    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be a plain word or number, not {type(key).__name__}",
                    key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _refuse_aliases(text: str) -> None:
    """Refuse aliases before composing: the C composer (CSafeLoader) never calls the Python
    `StrictLoader.compose_node`. Only a text that defines an anchor (`&`) can use one."""
    if "&" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a rule pack: write the value out",
                event.start_mark)  # type: ignore[arg-type]  # the C parser's Mark, same fields


def _refuse_binary(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(None, None, "!!binary is not text a pack may hold",
                                            node.start_mark)


StrictLoader.add_constructor("tag:yaml.org,2002:binary", _refuse_binary)

# A pack file is text a person writes: far below this.
MAX_PACK_FILE_BYTES = 512 * 1024  # the shipped pack's largest file is about 80 KB


def read_yaml(folder: Traversable, relative: str, display: str, hashes: dict[str, str],
              loader: type[StrictLoader] = StrictLoader) -> Any:
    """Parse the pack file `relative` (a '/' path) of `folder` with `loader`, recording its
    sha256 in `hashes`; any problem is a PackError naming `display`/`relative` and the line."""
    entry = folder.joinpath(*relative.split("/"))
    try:
        if not entry.is_file():
            raise pack_error(display, relative, "thiếu tệp của gói quy tắc", "missing pack file")
        with entry.open("rb") as stream:
            raw = stream.read(MAX_PACK_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise pack_error(display, relative, f"không đọc được tệp ({exc})",
                         f"cannot read the file ({exc})") from None
    if len(raw) > MAX_PACK_FILE_BYTES:
        raise pack_error(display, relative, f"tệp quá lớn (trên {MAX_PACK_FILE_BYTES:,} byte)",
                         f"the file is too large (over {MAX_PACK_FILE_BYTES:,} bytes)")
    hashes[relative] = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
        _refuse_aliases(text)
        return yaml.load(text, Loader=loader)
    except UnicodeDecodeError:
        raise pack_error(f"{display}/{relative}", "$", "tệp không phải UTF-8",
                         "the file is not UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"dòng {mark.line + 1} / line {mark.line + 1}" if mark else "$"
        problem = getattr(exc, "problem", None) or str(exc)
        raise pack_error(f"{display}/{relative}", where, f"YAML không hợp lệ: {problem}",
                         f"invalid YAML: {problem}") from None
    except (ValueError, TypeError, OverflowError, RecursionError, AttributeError, KeyError,
            IndexError) as exc:
        # a date that does not exist (2024-02-30), a number YAML cannot hold, nesting too deep,
        # an explicit tag on a value it cannot read (!!bool maybe, !!timestamp on a word)
        raise pack_error(f"{display}/{relative}", "$", f"giá trị không đọc được: {exc}",
                         f"a value cannot be read: {exc}") from None


_INTERNAL = re.compile(r"^(tagged-union|function-(after|before|wrap|plain))\[")


def _yaml_path(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(the path as the YAML writes it, the union members it went through): pydantic's
    internal steps (`tagged-union[…]` and the tag after it, `function-after[…]`, a model's class
    name in a union) are left out of the path."""
    path: list[Any] = []
    members: list[Any] = []
    skip_tag = False
    for step in loc:
        if isinstance(step, str) and _INTERNAL.match(step):
            skip_tag = step.startswith("tagged-union")
            members.append(step)
            continue
        if skip_tag:  # the discriminator's value (the method chosen): already in the input
            skip_tag = False
            members.append(step)
            continue
        if isinstance(step, str) and step[:1].isupper():
            members.append(step)
            continue
        path.append(step)
    return tuple(path), tuple(members)


def _closest_members(errors: list[Any]) -> list[Any]:
    """Of the errors a union gives (one set per member it tried), those of the member that came
    closest (fewest errors), at each place: a typo in one method must not read as a missing
    `convention`."""
    by_place: dict[tuple[Any, ...], dict[tuple[Any, ...], list[Any]]] = {}
    for error in errors:
        members = _yaml_path(tuple(error["loc"]))[1]
        if members:
            place = tuple(error["loc"][:next(i for i, step in enumerate(error["loc"])
                                             if step == members[0])])
            by_place.setdefault(place, {}).setdefault(members[:1], []).append(error)
    keep = {id(error) for tried in by_place.values()
            for error in min(tried.values(), key=len)}
    return [error for error in errors if not _yaml_path(tuple(error["loc"]))[1]
            or id(error) in keep]


def validated(model: type[BaseModel], data: Any, file: str, raw_rules: Any = None) -> Any:
    """`data` checked by `model`; a PackError naming `file`, the rule id and the field if not."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems, errors = capped_errors(exc, "$")
        for error in _closest_members(list(errors)):
            loc = list(_yaml_path(tuple(error["loc"]))[0])
            where = ".".join(str(p) for p in loc) or "$"
            if raw_rules is not None and len(loc) >= 2 and loc[0] == "rules":
                try:
                    rule_id = raw_rules["rules"][loc[1]]["id"]
                    where = f"quy tắc / rule {rule_id}: " + ".".join(str(p) for p in loc[2:])
                except (KeyError, IndexError, TypeError):
                    pass
            vi, en = describe(error)
            problems.append(Problem(where, vi, en))
        raise PackError(file, problems) from None


def _convention_numbers(convention: Convention) -> dict[str, str]:
    """The numbers a convention's words may name: {share} (the late share, or the first step's,
    as a percent) and {per_unit} (points off per case), in Vietnamese and English forms."""
    method = convention.scoring
    share = method.tiers()[0].share if method.method == "on_time" else (
        method.partial[0].share if method.method == "steps" else None)
    out: dict[str, str] = {}
    if share is not None:
        out["share"] = fmt(share * 100)
        out["share_en"] = fmt(share * 100, "en")
    if method.method == "deductions":
        out["per_unit"] = fmt(method.per_unit)
        out["per_unit_en"] = fmt(method.per_unit, "en")
    return out


def with_numbers(meta: PackMeta, display: str) -> PackMeta:
    """The manifest with each convention's {share} and {per_unit} filled in from its own
    method, so a city that edits a share edits one number and every sentence follows."""
    conventions = []
    for index, convention in enumerate(meta.conventions):
        numbers = _convention_numbers(convention)
        try:
            title = Bilingual(vi=convention.title.vi.format(**numbers),
                              en=convention.title.en.format(**numbers))
            text = Bilingual(vi=convention.text.vi.format(**numbers),
                             en=convention.text.en.format(**numbers))
        except (KeyError, IndexError, ValueError) as exc:
            raise pack_error(f"{display}/{PACK_MANIFEST}", f"conventions[{index}] "
                             f"({convention.id})", f"chỗ điền không hợp lệ {exc} trong lời văn; "
                             f"dùng {{share}}, {{per_unit}} (tiếng Anh: {{share_en}}, "
                             f"{{per_unit_en}})", f"invalid placeholder {exc} in the words; use "
                             f"{{share}}, {{per_unit}} ({{share_en}}, {{per_unit_en}} in "
                             f"English)") from None
        conventions.append(convention.model_copy(update={"title": title, "text": text}))
    return meta.model_copy(update={"conventions": conventions})


def resolve_rule(spec: RuleSpec, meta: PackMeta, file: str) -> Rule:
    """The rule with its scoring method resolved: its convention's, if it names one (an
    unknown convention is a PackError), with a year-end late limit made a date."""
    method = spec.scoring
    convention = None
    if isinstance(method, ConventionRef):
        known = {c.id: c for c in meta.conventions}
        if method.convention not in known:
            raise pack_error(file, f"quy tắc / rule {spec.id}: scoring.convention",
                             f"không có quy ước '{method.convention}' trong pack.yaml",
                             f"no convention '{method.convention}' in pack.yaml")
        convention = method.convention
        method = known[convention].scoring
    if isinstance(method, OnTime):
        method = method.for_year(meta.year)
    fields = {name: getattr(spec, name) for name in type(spec).model_fields if name != "scoring"}
    return Rule.model_construct(**fields, scoring=method, convention=convention)


def pack_file_names(folder: Traversable) -> list[str] | None:
    """The files `load_files` reads, as '/' paths, in its order; None without a rules folder."""
    rules_dir = folder.joinpath(RULES_DIR)
    try:
        if not rules_dir.is_dir():
            return None
        rule_files = sorted(entry.name for entry in rules_dir.iterdir()
                            if entry.name.endswith(".yaml"))
    except (OSError, ValueError):
        return None
    return [PACK_MANIFEST, FACTS_FILE, REQUIREMENTS_FILE,
            *(f"{RULES_DIR}/{name}" for name in rule_files)]


def load_pack(folder: Traversable, display: str) -> Pack:
    """Read and check the pack in `folder`; `display` names it in errors. A pack loaded before
    from the same bytes comes from the cache (`cchc.engine.pack.cache`)."""
    pack = cached_pack(display,
                       lambda: file_hashes(folder, pack_file_names, MAX_PACK_FILE_BYTES),
                       lambda: load_files(folder, display))
    pack.folder = folder
    return pack


def load_files(folder: Traversable, display: str) -> Pack:
    """Read and check the pack in `folder` from its files (no cache)."""
    from cchc.engine.pack.check import check_pack  # only a pack read from its files is checked

    hashes: dict[str, str] = {}
    meta = with_numbers(validated(PackMeta, read_yaml(folder, PACK_MANIFEST, display, hashes),
                                  f"{display}/{PACK_MANIFEST}"), display)
    facts = validated(FactsSection, read_yaml(folder, FACTS_FILE, display, hashes),
                       f"{display}/{FACTS_FILE}")
    requirements = validated(RequirementsSection,
                              read_yaml(folder, REQUIREMENTS_FILE, display, hashes),
                              f"{display}/{REQUIREMENTS_FILE}")
    rules_dir = folder.joinpath(RULES_DIR)
    if not rules_dir.is_dir():
        raise pack_error(display, RULES_DIR, "thiếu thư mục quy tắc", "missing rules folder")
    rules: list[Rule] = []
    rule_files: dict[str, str] = {}
    for entry in sorted(rules_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        relative = f"{RULES_DIR}/{entry.name}"
        raw = read_yaml(folder, relative, display, hashes)
        for spec in validated(RulesFile, raw, f"{display}/{relative}", raw_rules=raw).rules:
            rules.append(resolve_rule(spec, meta, f"{display}/{relative}"))
            rule_files.setdefault(spec.id, relative)
    pack = Pack(meta=meta, facts=facts.facts, metrics=facts.metrics,
                requirements=requirements.requirements, rules=rules, location=display,
                folder=folder,
                file_hashes=hashes, rule_files=rule_files)
    check_pack(pack)
    return pack


def read_manifest(folder: Traversable, display: str) -> PackMeta:
    """A pack's pack.yaml, checked (a PackError if not): enough to know its id and year. One
    read before from the same bytes comes from the cache."""
    def source() -> str | None:  # the manifest's sha256, when the cache is on
        hashes = file_hashes(folder, lambda _: [PACK_MANIFEST], MAX_PACK_FILE_BYTES)
        return hashes[PACK_MANIFEST] if hashes else None

    def read() -> PackMeta:
        meta: PackMeta = validated(PackMeta, read_yaml(folder, PACK_MANIFEST, display, {}),
                                   f"{display}/{PACK_MANIFEST}")
        return meta

    return cached("manifest", source, PackMeta, read)


def find_packs(packs_dir: str | None = None) -> list[FoundPack]:
    """Every pack found in the packs folders then among the shipped packs, in search order
    (`discover`); `packs_dir` defaults to the one chosen for this command (`--packs-dir`)."""
    return discover(read_manifest, packs_dir)


def _load_folder(folder: Path) -> Pack:
    """The pack in a folder outside the tool, marked shipped only when its bytes are a shipped
    pack's of the same id."""
    pack = load_pack(folder, str(folder))
    same = shipped_packs().get(pack.meta.id)
    pack.shipped = same is not None and load_pack(same, pack.meta.id).sha256 == pack.sha256
    return pack


def _load_found(item: FoundPack) -> Pack:
    if item.source == "shipped":
        assert item.id is not None
        return load_pack(item.folder, item.id)
    return _load_folder(Path(item.path))


def resolve_pack(option: str | None, facts_pack: str | None, year: int | None,
                 facts_file: str = "", option_name: str = "--pack",
                 packs_dir: str | None = None) -> Pack:
    """The pack named on the command line, else the one the facts file names, else by year.

    `option` may be a pack id (searched as `discover` says: `packs_dir`, `$CCHC_SCORE_PACKS`,
    the user folder, the shipped packs) or a folder path; a facts file may name an id only. A
    facts file naming another pack than the one the command line chose is an input error at
    `$.pack`. A year no pack found covers is an input error (exit status 2), naming the years
    that are covered.
    """
    found = find_packs(packs_dir)
    ids = list(dict.fromkeys(active_ids(found)))
    if facts_pack and not option and lookup(found, facts_pack, facts_file) is None \
            and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", facts_pack):
        raise input_error(facts_file, "$.pack", f"không tìm thấy gói quy tắc mã '{facts_pack}'",
                          f"no rule pack of id '{facts_pack}' was found",
                          f"một trong: {', '.join(ids)}; gói ở thư mục khác thì chỉ nơi tìm: "
                          "--packs-dir THƯ_MỤC hoặc biến môi trường CCHC_SCORE_PACKS",
                          f"one of: {', '.join(ids)}; for a pack kept elsewhere, say where to "
                          "look: --packs-dir DIR or the environment variable CCHC_SCORE_PACKS")
    if facts_pack and not option and lookup(found, facts_pack, facts_file) is None:
        raise input_error(facts_file, "$.pack", f"tệp dữ kiện chỉ được nêu mã của một gói quy tắc "
                          f"tìm thấy (đi kèm công cụ hoặc trong thư mục gói), không nêu thư mục: "
                          f"'{facts_pack}'",
                          f"a facts file may name a rule pack found (shipped, or in a packs "
                          f"folder) by id only, not a folder: '{facts_pack}'",
                          f"một trong: {', '.join(ids)}; muốn chấm theo "
                          "một thư mục gói quy tắc thì người chấm chọn trên dòng lệnh: --pack "
                          "THƯ_MỤC", f"one of: {', '.join(ids)}; to score against a pack "
                          "folder, the reviewer chooses it on the command line: --pack DIR")
    wanted = option or facts_pack
    if wanted:
        item = lookup(found, wanted, f"{option_name} {wanted}" if option else facts_file)
        if item is not None:
            pack = _load_found(item)
        else:
            path = Path(wanted)
            try:
                is_dir = path.is_dir()
            except (OSError, ValueError):  # a NUL or an over-long name
                is_dir = False
            if not is_dir:
                raise usage_error(f"{option_name} {option}".strip(),
                                  f"không có gói quy tắc '{wanted}'", f"no rule pack '{wanted}'",
                                  f"một trong: {', '.join(ids)}, hoặc thư mục của một gói",
                                  f"one of: {', '.join(ids)}, or a pack folder")
            pack = _load_folder(path)
        if option and facts_pack and pack.meta.id != facts_pack:
            raise input_error(facts_file, "$.pack",
                              f"tệp dữ kiện nêu gói quy tắc '{facts_pack}', nhưng dòng lệnh chọn "
                              f"gói '{pack.meta.id}' ({pack.location})",
                              f"the facts file names the rule pack '{facts_pack}', but the "
                              f"command line chose the pack '{pack.meta.id}' ({pack.location})",
                              f"cùng một mã: sửa trường pack thành '{pack.meta.id}' (hoặc bỏ "
                              f"trường này), hoặc chọn gói '{facts_pack}'",
                              f"the same id: set the pack field to '{pack.meta.id}' (or leave it "
                              f"out), or choose the pack '{facts_pack}'")
        return pack
    years = {item.id: item.meta.year for item in found
             if item.active and item.id is not None and item.meta is not None}
    if year is None:  # no facts file to go by: the newest plan
        year = max(years.values(), default=None)
    matching = [name for name, pack_year in years.items() if pack_year == year]
    if len(matching) == 1:
        chosen = lookup(found, matching[0], option_name)
        assert chosen is not None
        return _load_found(chosen)
    covered = ", ".join(str(y) for y in sorted(set(years.values())))
    several = ", ".join(matching)
    raise input_error(facts_file, "$.year",
                      f"không có gói quy tắc nào cho năm {year}"
                      if not matching else f"nhiều gói quy tắc cho năm {year}: {several}",
                      f"no rule pack covers the year {year}"
                      if not matching else f"several rule packs cover {year}: {several}",
                      f"năm có gói quy tắc: {covered} (hoặc chọn --pack)"
                      if not matching else "chọn một gói: --pack MÃ",
                      f"years with a pack: {covered} (or choose --pack)"
                      if not matching else "choose one: --pack ID")
