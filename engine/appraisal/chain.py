"""The appraisal record's chain of sha256 links, and its verification (`cchc-score verify`).

Each round records the sha256 of the facts file it appraised (`facts_sha256`), the pack it was
decided under (`pack.sha256`) and the hash of the round before it (`previous_sha256`, null for
round 1). A round's hash is the sha256 of its RFC 8785 (JSON Canonicalization Scheme) form: the
round exactly as written, every field included, keys sorted, no spaces, numbers as ECMAScript
prints them, UTF-8. Anyone can recompute it with any JCS library; no cchc-score is needed.

So a facts file edited after it was appraised, a round edited, removed or put out of order, or
a round decided under another pack breaks a link, and `verify` names the first one broken. The
last round has no successor to vouch for it: its hash is printed on every appraised report
(`mã vòng cuối`) for the city to quote in its official letter, which closes the chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import rfc8785

from cchc.engine.appraisal.read import AppraisalDocument


def _jcs_ready(value: Any) -> Any:
    """The value as JCS reads JSON: numbers as IEEE doubles (1.50 and 1.5 are one number)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _jcs_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jcs_ready(item) for item in value]
    return value


def round_hash(written: dict[str, Any]) -> str:
    """The sha256 (hex) of a round's RFC 8785 canonical JSON."""
    return hashlib.sha256(rfc8785.dumps(_jcs_ready(written))).hexdigest()


@dataclass(frozen=True)
class Link:
    """One checked link of the chain: which round, what it claims, whether it holds."""

    round: int
    what: str  # "number", "previous", "facts", "pack", "letter"
    holds: bool
    recorded: str  # what the round says
    found: str  # what is there now
    vi: str
    en: str


@dataclass(frozen=True)
class ChainCheck:
    """Every link of an appraisal record, in order, and each round's own hash."""

    links: tuple[Link, ...]
    hashes: tuple[str, ...]
    letter_checked: bool = False  # whether the last round was checked against the letter

    @property
    def intact(self) -> bool:
        """Whether every link holds."""
        return all(link.holds for link in self.links)

    @property
    def first_broken(self) -> Link | None:
        """The first link that does not hold, if any."""
        return next((link for link in self.links if not link.holds), None)


def _short(digest: str | None) -> str:
    return "null" if digest is None else digest[:12] + "…"


def check_chain(document: AppraisalDocument, facts_sha256: str, pack_id: str,
                pack_version: str, pack_sha256: str,
                last_hash: str | None = None) -> ChainCheck:
    """Check every link of the record against the facts file's and the pack's hashes; with
    `last_hash` (as the appraisal letter quotes it), the last round against it too."""
    links: list[Link] = []
    hashes = tuple(round_hash(written) for written in document.raw_rounds)
    for index, item in enumerate(document.content.rounds):
        number = index + 1
        links.append(Link(
            number, "number", item.round == number, str(item.round), str(number),
            f"vòng thứ {number} trong tệp ghi số vòng {item.round}: có vòng bị xóa, chèn hoặc "
            f"đảo thứ tự" if item.round != number else f"vòng {number} đúng thứ tự",
            f"round {number} of the file says it is round {item.round}: a round was removed, "
            f"inserted or reordered" if item.round != number else f"round {number} in order"))
        expected_previous = hashes[index - 1] if index else None
        recorded = None if item.previous_sha256 is None else item.previous_sha256.lower()
        holds = recorded == expected_previous
        if index == 0:
            vi = ("vòng đầu tiên phải có previous_sha256 = null: vòng trước nó đã bị xóa?"
                  if not holds else "vòng đầu tiên (previous_sha256 = null)")
            en = ("the first round must have previous_sha256 = null: was a round before it "
                  "removed?" if not holds else "the first round (previous_sha256 = null)")
        else:
            vi = (f"mã của vòng {index} không khớp với mã vòng {number} ghi lại: vòng {index} "
                  f"đã bị sửa, xóa hoặc thay sau khi vòng {number} được lập" if not holds
                  else f"vòng {number} ghi đúng mã vòng {index}")
            en = (f"round {index}'s hash is not the one round {number} recorded: round {index} "
                  f"was edited, removed or replaced after round {number} was made" if not holds
                  else f"round {number} records round {index}'s hash")
        links.append(Link(number, "previous", holds, _short(item.previous_sha256),
                          _short(expected_previous), vi, en))
        holds = item.facts_sha256.lower() == facts_sha256
        links.append(Link(
            number, "facts", holds, _short(item.facts_sha256), _short(facts_sha256),
            f"tệp dữ kiện đã thay đổi sau khi vòng {number} thẩm định nó (mã sha256 khác)"
            if not holds else f"tệp dữ kiện đúng là tệp vòng {number} đã thẩm định",
            f"the facts file changed after round {number} appraised it (another sha256)"
            if not holds else f"the facts file is the one round {number} appraised"))
        pack = item.pack
        holds = (pack.id, pack.version, pack.sha256.lower()) == (pack_id, pack_version,
                                                                 pack_sha256)
        links.append(Link(
            number, "pack", holds, f"{pack.id} {pack.version} ({_short(pack.sha256)})",
            f"{pack_id} {pack_version} ({_short(pack_sha256)})",
            f"vòng {number} thẩm định theo gói quy tắc {pack.id} {pack.version}, lần chạy này "
            f"dùng gói khác ({pack_id} {pack_version}, mã khác)" if not holds
            else f"vòng {number} thẩm định theo đúng gói quy tắc này",
            f"round {number} was decided under rule pack {pack.id} {pack.version}; this run "
            f"uses another ({pack_id} {pack_version}, another hash)" if not holds
            else f"round {number} was decided under this rule pack"))
    if last_hash is not None:
        number = len(hashes)
        holds = last_hash.strip().lower() == hashes[-1]
        links.append(Link(
            number, "letter", holds, _short(last_hash.strip().lower()), _short(hashes[-1]),
            f"vòng cuối (vòng {number}) đã bị sửa, hoặc có vòng thêm sau văn bản thẩm định: mã "
            f"không khớp với mã trong văn bản" if not holds
            else f"vòng cuối (vòng {number}) đúng như văn bản thẩm định ghi",
            f"the last round (round {number}) was edited, or a round added after the "
            f"appraisal letter: its hash is not the letter's" if not holds
            else f"the last round (round {number}) is the one the appraisal letter quotes"))
    return ChainCheck(tuple(links), hashes, last_hash is not None)
