"""Model reviews: rating at band edges, evidence equal to counts made here by other
means, retiring a model keeps its history, criteria versions, sites and
replication, the review figures, and parsing review periods."""

from __future__ import annotations

from tests import app_sqlite as sqlite3
from datetime import date

import pytest

from gocong_desktop.core.db.models import ModelStatus, PeriodKind
from gocong_desktop.core.errors import ConflictError, ValidationError
from gocong_desktop.core.services import evaluation_record, prevention_catalogue as model_catalogue, prevention_sites as model_sites, prevention
from gocong_desktop.core.services.evidence import evidence_lines, evidence_warnings, model_evidence
from gocong_desktop.core.services.prevention_catalogue import Band, CriteriaSetInfo, Criterion
from gocong_desktop.core.services.review import review_figures, summary_items
from gocong_desktop.core.services.review_period import describe_period, parse_period
from tests.conftest import table_counts
from tests.core.prevention_scenario import H1, build_scenario, evaluate


@pytest.fixture
def scenario(seeded):
    return build_scenario(seeded)


# --------------------------------------------------------------------------- rating

TWO_BANDS = CriteriaSetInfo("x", "hai-muc", 1, "Hai mức",
                            (Criterion("a", "Tổ chức", 2, 10), Criterion("b", "Hiệu quả", 3, 5)),
                            (Band("Hiệu quả", 70), Band("Chưa hiệu quả", 0)))


@pytest.mark.parametrize("a, b, total, rating", [
    (7, 3.5, 70.0, "Hiệu quả"),  # exactly on the edge: the band's minimum is inclusive
    (6.5, 3.5, 68.0, "Chưa hiệu quả"),
    (7, 3.45, 69.4, "Chưa hiệu quả"),  # 69.4 does not round up into the band
    (10, 5, 100.0, "Hiệu quả"),
    (0, 0, 0.0, "Chưa hiệu quả"),
])
def test_rating_at_band_edges(a, b, total, rating) -> None:
    assert TWO_BANDS.rate({"a": a, "b": b}) == (total, rating)


def test_new_criteria_version_rates_new_evaluations_and_keeps_old_ones(scenario, seeded) -> None:
    with seeded.db.session() as s:
        current = model_catalogue.latest_criteria_set(s)
        criteria = [dict(c.__dict__) for c in current.criteria] + [
            {"name": "Số vụ việc được phát hiện", "weight": 2, "max_score": 10}]
        model_catalogue.save_criteria_set(s, code=current.code, name=current.name, criteria=criteria,
                                          bands=[{"label": "Hiệu quả", "min_score": 75},
                                                 {"label": "Chưa hiệu quả", "min_score": 0}])
    with seeded.db.session() as s:
        latest = model_catalogue.latest_criteria_set(s)
        new_id = evaluate(s, scenario.model_id, parse_period("2024"), 7.5, "duy_tri")
        old = evaluation_record.evaluation_record(s, scenario.evaluation_id)
        new = evaluation_record.evaluation_record(s, new_id)
    assert (latest.version, [b.label for b in latest.bands]) == (2, ["Hiệu quả", "Chưa hiệu quả"])
    assert latest.criteria[-1].code == "so-vu-viec-duoc-phat-hien"
    assert (old.criteria_version, old.rating, len(old.scores)) == (1, "Tốt", 6)
    assert (new.criteria_version, new.total_score, new.rating, len(new.scores)) == (2, 75.0, "Hiệu quả", 7)


@pytest.mark.parametrize("bands, words", [
    ([{"label": "Tốt", "min_score": 80}, {"label": "Khá", "min_score": 50}], "từ 0 điểm"),
    ([{"label": "Tốt", "min_score": 80}, {"label": "tốt", "min_score": 0}], "khác tên"),
    ([{"label": "Tốt", "min_score": 120}, {"label": "Yếu", "min_score": 0}], "từ 0 đến 100"),
])
def test_criteria_set_bands_are_checked(db, bands, words) -> None:
    before = table_counts(db.path)
    with pytest.raises(ValidationError) as err:
        with db.session() as s:
            model_catalogue.save_criteria_set(s, code="x", name="Bộ x", bands=bands,
                                              criteria=[{"name": "Tổ chức", "weight": 1, "max_score": 10}])
    assert err.value.field == "bands" and words in err.value.message
    assert table_counts(db.path) == before


# --------------------------------------------------------------------------- evidence


def _independent_meeting_counts(path, hamlet_ids: list[str]) -> tuple[int, int, int]:
    """(meetings, present, expected) by plain SQL over the stored rows."""
    marks = ",".join("?" * len(hamlet_ids))
    con = sqlite3.connect(path)
    try:
        meetings = con.execute(
            f"SELECT count(*) FROM meeting m JOIN self_managed_group g ON g.id = m.group_id "
            f"WHERE g.hamlet_id IN ({marks}) AND date(m.starts_at) BETWEEN '2024-01-01' AND '2024-06-30'",
            hamlet_ids).fetchone()[0]
        present, expected = con.execute(
            f"SELECT sum(a.status = 'present'), count(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
            f"JOIN self_managed_group g ON g.id = m.group_id WHERE g.hamlet_id IN ({marks}) "
            f"AND date(m.starts_at) BETWEEN '2024-01-01' AND '2024-06-30'", hamlet_ids).fetchone()
    finally:
        con.close()
    return meetings, present, expected


def test_evidence_equals_independent_counts(scenario, seeded) -> None:
    with seeded.db.session() as s:
        ev = model_evidence(s, scenario.model_id, H1.start, H1.end)
    meetings, present, expected = _independent_meeting_counts(seeded.db.path, [seeded.hamlet_a, seeded.hamlet_b])
    assert (meetings, present, expected) == (4, 8, 10)  # the scenario, counted by hand
    a = ev.area
    assert (a.meetings, a.attendance_present, a.attendance_total) == (meetings, present, expected)
    assert (a.groups, a.groups_met, a.meetings_final) == (3, 3, 1)
    assert (ev.sites, ev.hamlet_names) == (2, ("Đồng Sơn", "Lợi An"))
    # 40 declared + 1 chosen; in the register: Lợi An's 5 (Ánh moves out after the period) + Đồng.
    assert (ev.households_declared, ev.households_listed) == (41, 6)
    # Of those 6: Tâm moved (left out), Ba, Hoa, An, Đồng signed, Ánh not yet.
    assert (ev.pledge_year, ev.pledges_signed, ev.pledges_total) == (2024, 4, 5)
    assert ev.propaganda == {"phat_thanh": 4, "loa_luu_dong": 2, "to_roi": 300}
    lines = dict(evidence_lines(ev))
    assert lines["Tỷ lệ hộ dự họp"] == "8/10 (80,0%)"
    assert lines["Hộ ký cam kết năm 2024"] == "4/5 (80,0%)"
    assert evidence_warnings(ev) == ["Chưa đủ 100% hộ trong phạm vi ký cam kết."]


def test_evidence_of_a_model_without_sites_in_the_period_warns(scenario, seeded) -> None:
    with seeded.db.session() as s:
        ev = model_evidence(s, scenario.late_model_id, H1.start, H1.end)
        later = model_evidence(s, scenario.late_model_id, date(2024, 8, 1), date(2024, 12, 31))
    assert (ev.sites, ev.area.meetings, ev.pledges_total, ev.propaganda) == (0, 0, 0, {})
    assert evidence_warnings(ev) == ["Mô hình chưa có điểm triển khai trong kỳ."]
    assert later.sites == 1 and later.hamlet_names == ("Đồng Sơn",)


# --------------------------------------------------------------------------- history


def test_retiring_keeps_history(scenario, seeded) -> None:
    with seeded.db.session() as s:
        evaluate(s, scenario.model_id, parse_period("2024"), 4, "xoa_bo", evaluated_on=date(2025, 1, 10))
    with pytest.raises(ValidationError) as err:
        with seeded.db.session() as s:
            prevention.save_model(s, model_id=scenario.model_id, **_same(seeded, scenario.model_id),
                                  status=ModelStatus.RETIRED, status_date=date(2025, 1, 15))
    assert err.value.field == "status_reason"
    with seeded.db.session() as s:
        prevention.save_model(s, model_id=scenario.model_id, **_same(seeded, scenario.model_id),
                              status=ModelStatus.RETIRED, status_date=date(2025, 1, 15),
                              status_reason="Không hiệu quả")
    with seeded.db.session() as s:
        history = prevention.list_evaluations(s, model_id=scenario.model_id)
        retired = prevention.list_models(s, status=ModelStatus.RETIRED)
        in_2024 = review_figures(s, parse_period("2024"))
        in_2025 = review_figures(s, parse_period("2025"))
    assert [(e.rating, e.recommendation) for e in history] == [("Yếu", "xoa_bo"), ("Tốt", "nhan_rong")]
    assert {m.name: m.last_rating for m in retired} == {"Camera an ninh ấp Lợi An": "Yếu",
                                                         "Tổ tự quản Hội Nông dân": "Yếu"}
    assert [m.name for m in in_2024.models] == ["Ánh sáng Đồng Sơn", "Camera an ninh ấp Lợi An"]
    assert [m.name for m in in_2025.models] == ["Ánh sáng Đồng Sơn", "Camera an ninh ấp Lợi An"]
    # 2023: the model retired that December is reported; the lights start only in 2024.
    assert [(m.name, m.rating) for m in review_figures_2023(seeded).models] == [
        ("Camera an ninh ấp Lợi An", None), ("Tổ tự quản Hội Nông dân", "Yếu")]


def _same(seeded, model_id: str) -> dict:
    with seeded.db.session() as s:
        d = prevention.model_detail(s, model_id)
    return dict(type_id=d.type_id, name=d.name, lead_organisation=d.lead_organisation,
                start_date=d.start_date, description=d.description)


def review_figures_2023(seeded):
    with seeded.db.session() as s:
        return review_figures(s, parse_period("2023"))


# --------------------------------------------------------------------------- review figures


def test_review_figures_per_hamlet_and_total(scenario, seeded) -> None:
    with seeded.db.session() as s:
        f = review_figures(s, H1)
    rows = {h.name: h.counts for h in f.hamlets}
    a, b = rows["Lợi An"], rows["Đồng Sơn"]
    assert (a.groups, a.households, a.meetings, a.attendance_present, a.attendance_total) == (2, 5, 3, 6, 8)
    assert (a.pledges_signed, a.pledges_total, b.pledges_signed, b.pledges_total) == (3, 4, 1, 2)
    assert f.total == a + b
    assert dict((label, n) for label, _unit, n in f.propaganda) == {
        "Phát thanh trên loa đài": 10, "Loa tuyên truyền lưu động": 2, "Họp dân": 0, "Tờ rơi": 300, "Khác": 0}
    camera = next(m for m in f.models if m.name == "Camera an ninh ấp Lợi An")
    assert (camera.sites, camera.households, camera.rating, camera.recommendation_label) == (
        2, 41, "Tốt", "Nhân rộng")
    # The lights start with their first site in August; the retired model ended in 2023.
    assert [m.name for m in f.models] == ["Camera an ninh ấp Lợi An"]
    items = {i.label: i.value for i in summary_items(f)}
    assert items["Tỷ lệ hộ dự họp"] == 80.0 and items["Số buổi sinh hoạt tổ đã tổ chức"] == 4
    assert items["Mô hình xếp loại Tốt"] == 1 and items["Mô hình đề nghị nhân rộng"] == 1


# --------------------------------------------------------------------------- sites


def test_replicate_copies_resources_to_a_new_place(scenario, seeded) -> None:
    with seeded.db.session() as s:
        new_id = model_sites.replicate_site(s, scenario.site_a, hamlet_id=seeded.hamlet_b,
                                            road_name="Đường đê Đồng Sơn", households_count=25,
                                            start_date=date(2024, 9, 1))
    with seeded.db.session() as s:
        sites = {r.id: r for r in model_sites.list_sites(s, scenario.model_id)}
    new = sites[new_id]
    assert (new.cameras, new.households, new.place, new.start_date) == (
        8, 25, "Đường đê Đồng Sơn", date(2024, 9, 1))
    assert new.note == "Nhân rộng từ điểm Đường liên ấp Lợi An."
    assert sites[scenario.site_b].chosen == 1
    with pytest.raises(ConflictError):
        with seeded.db.session() as s:
            model_sites.replicate_site(s, scenario.site_a, hamlet_id=seeded.hamlet_b,
                                       road_name="đường đê đồng sơn")


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize("text, start, end, kind, label", [
    ("2024-H1", date(2024, 1, 1), date(2024, 6, 30), PeriodKind.SIX_MONTHS, "6 tháng đầu năm 2024"),
    ("2024-h2", date(2024, 7, 1), date(2024, 12, 31), PeriodKind.SIX_MONTHS, "6 tháng cuối năm 2024"),
    ("2024-9T", date(2024, 1, 1), date(2024, 9, 30), PeriodKind.NINE_MONTHS, "9 tháng đầu năm 2024"),
    ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30), PeriodKind.CUSTOM, "quý III năm 2024"),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), PeriodKind.CUSTOM, "quý I năm 2024"),
    (" 2024 ", date(2024, 1, 1), date(2024, 12, 31), PeriodKind.YEAR, "năm 2024"),
    ("2024-02-01..2024-02-29", date(2024, 2, 1), date(2024, 2, 29), PeriodKind.CUSTOM,
     "từ ngày 01/02/2024 đến ngày 29/02/2024"),
    ("01/01/2025..31/12/2025", date(2025, 1, 1), date(2025, 12, 31), PeriodKind.YEAR, "năm 2025"),
])
def test_parse_period(text, start, end, kind, label) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.kind, period.label) == (start, end, kind, label)
    assert describe_period(start, end) == period


@pytest.mark.parametrize("text, words", [
    ("2024-H3", "không hợp lệ"), ("2024-Q5", "không hợp lệ"), ("", "không hợp lệ"),
    ("1999", "2000–2100"), ("2024-06-30..2024-01-01", "trước ngày bắt đầu"),
    ("2024-02-30..2024-03-01", "không hợp lệ"),
])
def test_parse_period_errors(text, words) -> None:
    with pytest.raises(ValidationError) as err:
        parse_period(text)
    assert err.value.field == "period" and words in err.value.message


def test_propaganda_register_lists_and_deletes(scenario, seeded) -> None:
    from gocong_desktop.core.services import propaganda

    with seeded.db.session() as s:
        rows = propaganda.list_activities(s, since=H1.start, until=H1.end)
        assert [(r.activity_date, r.kind_label, r.count, r.hamlet_name, r.model_name) for r in rows] == [
            (date(2024, 5, 5), "Tờ rơi", 300, None, "Camera an ninh ấp Lợi An"),
            (date(2024, 4, 1), "Loa tuyên truyền lưu động", 2, "Đồng Sơn", None),
            (date(2024, 3, 5), "Phát thanh trên loa đài", 4, "Lợi An", None),
            (date(2024, 2, 2), "Phát thanh trên loa đài", 6, None, None)]
        propaganda.delete_activity(s, rows[0].id)
    with seeded.db.session() as s:
        assert "to_roi" not in model_evidence(s, scenario.model_id, H1.start, H1.end).propaganda
        assert len(propaganda.list_activities(s, kind="phat_thanh")) == 3
