"""The shape of an appraisal file (hồ sơ thẩm định): what the city decided, round by round.

The city's home-affairs office (Phòng Nội vụ) writes one file per ward, beside the ward's facts
file (`<name>.appraisal.json`). It holds the rounds of appraisal (vòng thẩm định) in order; a
later round is appended, an earlier one is never rewritten:

    {"format": "cchc-score/appraisal/1",
     "unit": {"ward": "Phường 5", "city": "Đông Hà", "province": "Quảng Trị"},
     "year": 2024,
     "rounds": [
       {"round": 1,
        "appraised_by": {"name": "Lê Thị B", "office": "Phòng Nội vụ thành phố Đông Hà"},
        "appraised_on": "2024-12-20",
        "facts_sha256": "…",              # the facts file this round appraised (its bytes)
        "pack": {"id": "phuong5-2024", "version": "1.0.0", "sha256": "…"},
        "previous_sha256": null,          # round 1; later: the previous round's hash
        "responses": [],                  # round ≥ 2: the ward's giải trình heard in this round
        "decisions": [
          {"rule": "TTHC-03", "decision": "set", "status": "dat_mot_phan", "points": 1.5,
           "reason": "…"},
          {"rule": "TCC-01", "decision": "reject_evidence", "reason": "…",
           "rejected_evidence": [{"fact": "ty_le_…", "number": "12/BC-UBND"}]},
          {"rule": "CDDH-02", "decision": "accept", "reason": "…"}]}]}

A decision is `accept` (the ward's self-assessment stands), `set` (the city gives a status and,
for a partial one, the points) or `reject_evidence` (named documents are not accepted: a rule
whose required evidence is then gone scores 0). Bonus and penalty points (điểm thưởng, điểm
trừ) are decisions on the pack's bonus and penalty rules, within each rule's maximum and the
pack's cap. What each decision may say for which rule is checked against the pack and the ward
by `cchc.scoring.appraisal`; this module checks only the file's own shape.

Every text a person types is kept verbatim (NFC, as the file is read).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from cchc.engine.facts.model import Evidence

APPRAISAL_FORMAT = "cchc-score/appraisal/1"
MAX_TEXT = 5000
MAX_ROUNDS = 20
MAX_DECISIONS = 500
# Hex digits in either case (PowerShell's Get-FileHash prints capitals); compared lowercased.
SHA256 = r"^[0-9a-fA-F]{64}$"

Decision = Literal["accept", "set", "reject_evidence"]
DECISIONS: tuple[Decision, ...] = ("accept", "set", "reject_evidence")
# The statuses a city may give (the report's vocabulary).
AppraisedStatus = Literal["dat", "dat_mot_phan", "khong_dat", "thieu_du_lieu",
                          "thieu_minh_chung", "khong_ap_dung", "cho_ket_qua"]


def _whole_as_decimal(value: Any) -> Any:
    """A whole number (2) is a number of points as much as 2.0 is; text ("2") is not."""
    return Decimal(value) if type(value) is int else value


# Points as typed: a JSON number, read exactly (never a binary float, never text).
Points = Annotated[Decimal, BeforeValidator(_whole_as_decimal), Field(ge=0, le=1000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Person(_Model):
    """Who appraised: a name, and where they work (for the record)."""

    name: str = Field(min_length=1, max_length=200)
    office: str | None = Field(None, max_length=500)
    position: str | None = Field(None, max_length=200)

    @field_validator("name")
    @classmethod
    def _filled(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name is empty")
        return value


class UnitNames(_Model):
    """The ward the appraisal is about (it must be the facts file's)."""

    ward: str = Field(min_length=1, max_length=200)
    city: str | None = Field(None, max_length=200)
    province: str | None = Field(None, max_length=200)


class PackRef(_Model):
    """The rule pack a round was decided under (a later pack may weigh rules differently)."""

    id: str = Field(min_length=1, max_length=64)
    version: str = Field(min_length=1, max_length=64)
    sha256: str = Field(pattern=SHA256)


class RejectedDocument(_Model):
    """A document the city does not accept as evidence: the fact it backs and its number (số
    hiệu), or its title when it has no number."""

    fact: str = Field(min_length=1, max_length=64)
    number: str | None = Field(None, min_length=1, max_length=2000)
    title: str | None = Field(None, min_length=1, max_length=2000)


class SelfAssessed(_Model):
    """What the ward claimed for the rule, as the template copies it: its status and points
    (checked when given), and for the reader the rule's title and why it is listed."""

    status: AppraisedStatus
    points: Points
    title: str | None = Field(None, max_length=MAX_TEXT)
    why: str | None = Field(None, max_length=MAX_TEXT)


class RuleDecision(_Model):
    """The city's decision on one rule in one round, with its reason (kept verbatim)."""

    rule: str = Field(min_length=1, max_length=64)
    decision: Decision | None = None
    status: AppraisedStatus | None = None
    points: Points | None = None
    reason: str = Field("", max_length=MAX_TEXT)
    rejected_evidence: list[RejectedDocument] = Field(default_factory=list, max_length=100)
    self_assessed: SelfAssessed | None = None


class Response(_Model):
    """The ward's giải trình on one rule the previous round adjusted: its text and any extra
    evidence."""

    rule: str = Field(min_length=1, max_length=64)
    text: str = Field(max_length=MAX_TEXT)
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)
    received_on: str | None = Field(None, max_length=40)


class Round(_Model):
    """One round of appraisal (vòng thẩm định): who, when, on which facts and pack, what the
    ward answered since the previous round, and what the city decided."""

    round: int = Field(ge=1, le=MAX_ROUNDS)
    appraised_by: Person
    appraised_on: str = Field(max_length=40)
    facts_sha256: str = Field(pattern=SHA256)
    pack: PackRef
    previous_sha256: str | None = Field(pattern=SHA256)
    responses: list[Response] = Field(default_factory=list, max_length=MAX_DECISIONS)
    decisions: list[RuleDecision] = Field(default_factory=list, max_length=MAX_DECISIONS)
    note: str | None = Field(None, max_length=MAX_TEXT)


class AppraisalFile(_Model):
    """A ward's appraisal file: its rounds, oldest first."""

    format: Literal["cchc-score/appraisal/1"]
    unit: UnitNames
    year: int = Field(ge=2000, le=2100)
    rounds: list[Round] = Field(min_length=1, max_length=MAX_ROUNDS)


# the model that validates the keys at a place, for "did you mean" on an unknown key
MODEL_AT: dict[str, type[BaseModel]] = {
    "": AppraisalFile, "unit": UnitNames, "round": Round, "appraised_by": Person,
    "pack": PackRef, "decision": RuleDecision, "response": Response,
    "rejected": RejectedDocument, "self_assessed": SelfAssessed, "evidence": Evidence}


def _numbers_only(node: object) -> None:
    """Points are JSON numbers (pydantic's schema of a Decimal also admits text)."""
    if isinstance(node, dict):
        for key in ("points",):
            if key in node.get("properties", {}):
                number = {"type": "number", "minimum": 0, "maximum": 1000}
                optional = "anyOf" in node["properties"][key] and key not in node.get(
                    "required", [])
                node["properties"][key] = {"anyOf": [number, {"type": "null"}]} \
                    if optional else number
        for value in node.values():
            _numbers_only(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_only(value)


def appraisal_schema() -> dict[str, object]:
    """The JSON Schema (2020-12) of an appraisal file (`cchc-score schema --appraisal`)."""
    schema = AppraisalFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cchc-score appraisal file"
    schema["description"] = ("Hồ sơ thẩm định kết quả tự đánh giá CCHC của một phường, xã: các "
                             "vòng thẩm định, quyết định, giải trình / A ward's CCHC appraisal "
                             "record: rounds, decisions, giải trình")
    _numbers_only(schema)
    return schema
