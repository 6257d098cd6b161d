"""`cchc-score verify`'s output: each link of an appraisal record, ✓ or ✗, the first broken one
named in words (Vietnamese, then English), and each round's hash; or the same as JSON
(`cchc-score/verify/1`)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from cchc.engine.appraisal.chain import ChainCheck

VERIFY_FORMAT = "cchc-score/verify/1"
_WHAT = {"number": ("số thứ tự vòng", "round number"),
         "previous": ("mã vòng trước", "previous round's hash"),
         "facts": ("tệp dữ kiện", "facts file"), "pack": ("gói quy tắc", "rule pack"),
         "letter": ("mã trong văn bản thẩm định", "the letter's hash")}


def render_chain(chain: ChainCheck, appraisal_name: str, facts_name: str) -> str:
    """The links as a table, then the verdict."""
    rows = [[link.round, f"{_WHAT[link.what][0]} / {_WHAT[link.what][1]}",
             "✓" if link.holds else "✗", link.vi if link.holds else f"{link.vi}\n{link.en}"]
            for link in chain.links]
    out = [f"Hồ sơ thẩm định / appraisal record: {appraisal_name}",
           f"Tệp dữ kiện / facts file: {facts_name}", "",
           tabulate(rows, headers=["Vòng / round", "Mắt xích / link", "", "Kết quả / result"],
                    disable_numparse=True, maxcolwidths=[None, None, None, 70]), ""]
    out += [f"Mã vòng / round {number}: {digest}"
            for number, digest in enumerate(chain.hashes, 1)]
    out.append("")
    broken = chain.first_broken
    if broken is None and chain.letter_checked:
        out.append(f"NGUYÊN VẸN / INTACT: {len(chain.links)} mắt xích đều khớp, kể cả vòng cuối "
                   f"với văn bản thẩm định / all {len(chain.links)} links hold, the last round "
                   f"against the appraisal letter too")
    elif broken is None:
        out += [f"CÁC VÒNG TRƯỚC NGUYÊN VẸN / EARLIER ROUNDS INTACT: {len(chain.links)} mắt xích "
                f"đều khớp / all {len(chain.links)} links hold.",
                f"  Vòng cuối chỉ được xác nhận bằng văn bản thẩm định: đối chiếu mã "
                f"{chain.hashes[-1]} với văn bản, hoặc chạy lại với --last-hash MÃ.",
                "  The last round is vouched for only by the appraisal letter: compare its hash "
                "with the letter, or run again with --last-hash HASH."]
    else:
        out += [f"BỊ PHÁ VỠ / BROKEN: mắt xích đầu tiên hỏng ở vòng {broken.round} / the first "
                f"broken link is in round {broken.round} "
                f"({_WHAT[broken.what][0]} / {_WHAT[broken.what][1]})",
                f"  {broken.vi}", f"  {broken.en}",
                f"  ghi nhận / recorded: {broken.recorded}; thấy / found: {broken.found}"]
    return "\n".join(out) + "\n"


def chain_data(chain: ChainCheck, appraisal_name: str, facts_name: str) -> dict[str, Any]:
    """The links as JSON-ready data."""
    broken = chain.first_broken
    return {"format": VERIFY_FORMAT, "appraisal_file": appraisal_name, "facts_file": facts_name,
            "intact": chain.intact, "last_round_checked_against_letter": chain.letter_checked,
            "first_broken": None if broken is None else {
                "round": broken.round, "link": broken.what,
                "message": {"vi": broken.vi, "en": broken.en}},
            "links": [{"round": link.round, "link": link.what, "holds": link.holds,
                       "recorded": link.recorded, "found": link.found,
                       "message": {"vi": link.vi, "en": link.en}} for link in chain.links],
            "round_sha256": list(chain.hashes)}
