"""Issue 14, defect 6: migration 14c0001 maps the 民族 / 政治面貌 / 学历 already stored to the standards' names,
puts the 学位 of "大学本科 管理学学士" in its own column, and keeps (and reports) what no list knows."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from nominate.extensions import db
from tests.migrations.test_migrations import empty_app  # noqa: F401  (the fixture: an empty database of its own)

ROWS = [  # (ethnicity, political_status, education) as typed before the lists
    ("汉", "党员", "本科"),
    ("回族", "中国共产党党员", "大学本科 管理学学士"),
    ("蒙古", "团员", "研究生 法学硕士"),
    ("穿青人", "积极分子", "函授"),
]


def test_stored_values_are_mapped_and_unknown_ones_kept_and_reported(empty_app, capfd):  # noqa: F811
    with empty_app.app_context():
        upgrade(revision="160001")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO organisations (id, code, name, short_name, kind, sort_order) "
                                 "VALUES (1, 'shanxi', '山西省人力资源和社会保障厅', '山西省', 'province', 0)"))
            conn.execute(sa.text("INSERT INTO campaigns (id, key, title, period_label, year, workflow, province_id, "
                                 "config, source_sha256, loaded_at) VALUES (1, 'c', 't', 'p', 2021, 'nomination', 1, "
                                 "'{}', 'x', CURRENT_TIMESTAMP)"))
            for i, (eth, pol, edu) in enumerate(ROWS, start=1):
                conn.execute(sa.text(
                    "INSERT INTO nominations (id, campaign_id, kind, state, owner_org_id, cadre_authority_org_id, "
                    "version, ethnicity, political_status, education, created_at, updated_at) VALUES "
                    "(:id, 1, 'individual', 'draft', 1, 1, 1, :eth, :pol, :edu, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"id": i, "eth": eth, "pol": pol, "edu": edu})
        capfd.readouterr()
        upgrade()  # alembic's logging (migrations/alembic.ini) writes the report to stderr
        with db.engine.connect() as conn:
            got = conn.execute(sa.text("SELECT ethnicity, political_status, education, degree, version "
                                       "FROM nominations ORDER BY id")).all()
        assert [tuple(r) for r in got] == [
            ("汉族", "中共党员", "大学本科", None, 2),
            ("回族", "中共党员", "大学本科", "管理学学士", 2),
            ("蒙古族", "共青团员", "硕士研究生", "法学硕士", 2),
            ("穿青人", "积极分子", "函授", None, 1),  # unknown: kept as it was
        ]
        report = capfd.readouterr().err
        assert "穿青人" in report and "积极分子" in report and "函授" in report
        assert "3 stored value(s) not in the national lists" in report
        downgrade(revision="160001")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT education FROM nominations WHERE id = 2")).scalar() == \
                "大学本科 管理学学士"
