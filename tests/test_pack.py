"""Rule packs: the shipped pack is whole and exact; a broken pack is refused with exit status 3,
naming the pack file, the rule id and the field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CASES, edit_pack
from minipack import count_fact, write_pack

from cchc.cli.main import cli
from cchc.engine import durable
from cchc.engine.errors import EngineError
from cchc.engine.evaluate.compile import compile_pack
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import FactsDocument, FactsFile
from cchc.engine.pack.load import load_pack
from cchc.scoring.score import Scorer

PHUONG5 = str(CASES / "phuong5-2024.json")


def test_shipped_pack_covers_every_requirement_and_adds_up(pack):
    named = {req for rule in pack.rules for req in rule.requirements}
    assert named == {req.id for req in pack.requirements}
    assert len(pack.requirements) == 90
    assert sum(area.points for area in pack.meta.areas) == 100
    weights = {area.id: area.points for area in pack.meta.areas}
    assert weights == {"chi_dao_dieu_hanh": 12, "the_che": 8, "thu_tuc_hanh_chinh": 18,
                       "to_chuc_bo_may": 6, "cong_vu": 10, "tai_chinh_cong": 8,
                       "chinh_quyen_so": 18, "chi_so": 20}
    for area in pack.meta.areas:
        assert sum(r.points for r in pack.rules_of(area.id)) == area.points


def test_every_percentage_target_of_the_plan_is_encoded_exactly(pack):
    """Each catalogued % target (and 'no overdue dossiers') has a rule with its op and value."""
    checked = 0
    for req in pack.requirements:
        for measure in req.measures:
            percent = str(measure.unit or "").startswith("%")
            if not ((percent and measure.op in (">", ">=", "==")) or
                    (req.id == "ND.II.3.3" and measure.op == "==")):
                continue
            checked += 1
            assert any(rule.test.op == measure.op and rule.test.value == Decimal(measure.value)
                       for rule in pack.rules if req.id in rule.requirements), (req.id, measure)
    assert checked == 14


def test_every_dated_requirement_uses_the_catalogue_deadline(pack):
    deliberate = {"PL.IV.1": "2024-06-30"}  # 'Qúy II/2023' predates the plan: read as Q2/2024
    for rule in pack.rules:
        if rule.test.op != "done_by":
            continue
        deadlines = {str(pack.requirement_by_id[r].deadline) for r in rule.requirements[:1]}
        expected = deliberate.get(rule.requirements[0], deadlines.pop())
        assert str(rule.test.deadline) == expected, rule.id


def test_every_rule_says_how_it_reads_the_plan(pack):
    for rule in pack.rules:
        assert rule.reading.vi.strip() and rule.reading.en.strip() and rule.quote.strip()
        assert rule.title.vi.strip() and rule.title.en.strip()




def _refused(runner, folder: Path, *needles: str) -> str:
    result = runner.invoke(cli, [PHUONG5, "--pack", str(folder)])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "Lỗi gói quy tắc" in result.output
    for needle in needles:
        assert needle in result.output, (needle, result.output)
    return result.output


def test_copied_pack_loads_as_is(runner, pack_copy):
    assert runner.invoke(cli, [PHUONG5, "--pack", str(pack_copy)]).exit_code == 0


def test_rule_naming_an_unknown_fact(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml", "metric: ty_le_so_hoa,",
          "metric: ty_le_so_hoaa,")
    _refused(runner, pack_copy, "03_thu_tuc_hanh_chinh.yaml", "TTHC-04", "test.metric",
             "ty_le_so_hoaa")


def test_points_that_do_not_add_up(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml", "    points: 2.5\n", "    points: 3\n")
    _refused(runner, pack_copy, "thu_tuc_hanh_chinh", "18.5", "18")


def test_areas_that_do_not_add_up_to_the_maximum(runner, pack_copy):
    edit_pack(pack_copy, "pack.yaml", "max_points: 100", "max_points: 90")
    _refused(runner, pack_copy, "pack.yaml", "max_points")


def test_a_requirement_no_rule_encodes(runner, pack_copy):
    edit_pack(pack_copy, "rules/01_chi_dao_dieu_hanh.yaml", "requirements: [ND.II.1.7]",
          "requirements: [ND.II.1.5]")
    _refused(runner, pack_copy, "ND.II.1.7", "no rule encodes")


def test_an_unknown_requirement_id(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml", "requirements: [ND.II.3.2]",
          "requirements: [ND.II.3.2, PL.IX.9]")
    _refused(runner, pack_copy, "TTHC-11", "PL.IX.9")


def test_duplicate_yaml_key(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml", "    points: 2.5\n",
          "    points: 2.5\n    points: 2.5\n")
    _refused(runner, pack_copy, "03_thu_tuc_hanh_chinh.yaml", "duplicate key")


def test_schema_error_names_rule_and_field(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml", "scoring: {method: all_or_nothing}",
          "scoring: {method: all_or_nothing, bonus: 1}")
    _refused(runner, pack_copy, "TTHC-09", "scoring")


def test_deadline_test_on_a_number(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml",
          'test: {metric: ty_le_so_hoa, op: ">=", value: 99}',
          "test: {metric: ty_le_so_hoa, op: done_by, deadline: 2024-12-31}")
    _refused(runner, pack_copy, "TTHC-04", "done_by")


def test_step_stronger_than_the_target(runner, pack_copy):
    edit_pack(pack_copy, "rules/03_thu_tuc_hanh_chinh.yaml",
          "    scoring: {convention: ty_le_theo_chi_tieu}\n",
          '    scoring: {method: steps, partial: [{op: ">=", value: 99.5, share: 0.5}]}\n'
          '    partial_in_plan: "—"\n    convention_exception: {vi: "thử", en: "test"}\n')
    _refused(runner, pack_copy, "TTHC-03", "partial[0]")


def test_metric_depending_on_itself(runner, pack_copy):
    edit_pack(pack_copy, "facts.yaml", "    numerator: ho_so_so_hoa\n",
              "    numerator: ty_le_so_hoa\n")
    _refused(runner, pack_copy, "ty_le_so_hoa", "depends on itself")


def test_reserved_fact_name(runner, pack_copy):
    edit_pack(pack_copy, "facts.yaml", "  ho_so_so_hoa:\n", "  id:\n")
    _refused(runner, pack_copy, "facts.yaml", "'id'")


def _wide_pack(tmp_path, inputs: int):
    facts = {f"f{i}": count_fact() for i in range(inputs)}
    rules = [{"id": f"R-{i}", "test": {"metric": f"f{i}", "op": ">=", "value": 1}}
             for i in range(inputs)]
    return load_pack(write_pack(tmp_path / "wide", rules, facts), "wide")


def _wide_ward(inputs: int) -> FactsDocument:
    document = FactsDocument("wide.json", "0" * 64, FactsFile.model_validate(
        {"unit": {"ward": "Phường rộng"}, "year": 2025,
         "facts": {f"f{i}": i % 2 for i in range(inputs)}}))
    return document


def test_an_area_wider_than_one_durable_rules_fact_is_split(tmp_path):
    # durable_rules refuses a fact of 65 inputs (error 303: its alpha stack holds 64): an area
    # of 150 inputs compiles to several rulesets and scores every rule
    pack = _wide_pack(tmp_path, 150)
    compiled = compile_pack(pack)
    assert len(compiled.areas) == 4
    assert all(len(area.inputs) <= durable.MAX_INPUTS_PER_FACT for area in compiled.areas)
    report = Scorer(pack).score(check_facts(_wide_ward(150), pack))
    assert report.counts["dat"] == 75 and report.counts["khong_dat"] == 75


def test_durable_rules_really_refuses_a_fact_of_65_inputs(tmp_path, monkeypatch):
    pack = _wide_pack(tmp_path, 65)
    monkeypatch.setattr(durable, "MAX_INPUTS_PER_FACT", 1000)  # no split: the engine's limit
    with pytest.raises(EngineError, match="303"):
        Scorer(pack).score(check_facts(_wide_ward(65), pack))


def test_invalid_yaml(runner, pack_copy):
    edit_pack(pack_copy, "pack.yaml", "max_points: 100", "max_points: [100")
    _refused(runner, pack_copy, "pack.yaml", "YAML")


def test_missing_pack_file(runner, pack_copy):
    (pack_copy / "facts.yaml").unlink()
    _refused(runner, pack_copy, "facts.yaml")


def test_pack_loads_from_a_folder_path(pack_copy):
    assert load_pack(pack_copy, "copy").meta.id == "phuong5-2024"
