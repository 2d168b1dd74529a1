"""Reminders 3 and 1 working days before a deadline (the campaign file's `reminders:`), counted with the
publicity calendar across the National Day holiday and its 调休 Saturday, only to the organisations that
have not yet acted (an extension moves an organisation's own deadline)."""
import datetime as dt

import sqlalchemy as sa

from nominate.accounts.models import User
from nominate.notifications.models import Notification
from nominate.notifications.reminders import run_all


def test_reminders_cross_the_national_day_holiday_and_skip_those_who_acted(f, walk, db, clock):
    from nominate.campaigns.operations import grant_extension, set_deadline

    walk.to(f.window(), "province_review")  # taiyuan has submitted its batch: it is never reminded
    f.city("datong")
    f.city("yangquan")
    clock.set("2021-08-20")
    set_deadline(f.campaign, f.office, "preliminary_materials", "2021-10-11")  # a Monday after the holiday
    grant_extension(f.campaign, f.office, f.org("yangquan"), "preliminary_materials", "2021-10-15", "因汛情延期")
    db.session.commit()
    before = {n.id for n in db.session.scalars(sa.select(Notification))}

    sent = []
    day = dt.date(2021, 9, 24)
    while day <= dt.date(2021, 10, 16):
        clock.set(day.isoformat())
        run_all()
        run_all()  # the job runs every hour: the second run of a day writes nothing
        for n in db.session.scalars(sa.select(Notification).where(Notification.kind == "deadline_reminder",
                                                                  Notification.id.not_in(before))):
            before.add(n.id)
            sent.append((day.isoformat(), db.session.get(User, n.user_id).username, n.subject))
        day += dt.timedelta(days=1)

    assert sent == [
        # 10月11日 due: the 3rd working day before is 9月30日 (10月1日–7日 are holidays), the 1st is the
        # 调休 Saturday 10月9日
        ("2021-09-30", "city_bureau-datong", "【截止提醒】初审材料报送：还有3个工作日（2021年10月11日截止）"),
        ("2021-10-09", "city_bureau-datong", "【截止提醒】初审材料报送：还有1个工作日（2021年10月11日截止）"),
        # yangquan's own deadline is the extension, 10月15日 (Friday)
        ("2021-10-12", "city_bureau-yangquan", "【截止提醒】初审材料报送：还有3个工作日（2021年10月15日截止）"),
        ("2021-10-14", "city_bureau-yangquan", "【截止提醒】初审材料报送：还有1个工作日（2021年10月15日截止）"),
    ]


def test_a_missed_day_is_caught_up_once_with_the_true_count(f, db, clock):
    from nominate.campaigns.operations import set_deadline

    f.city("datong")
    set_deadline(f.campaign, f.office, "preliminary_materials", "2021-10-11")
    db.session.commit()

    def reminders():
        rows = db.session.execute(sa.select(User.username, Notification.subject).join(
            User, User.id == Notification.user_id).where(Notification.kind == "deadline_reminder")
            .order_by(Notification.id)).all()
        return [tuple(r) for r in rows]

    clock.set("2021-10-08")  # the worker was down on 9月30日: the 3-day reminder goes out now, with the true count
    run_all()
    run_all()
    late = "【截止提醒】初审材料报送：还有2个工作日（2021年10月11日截止）"
    assert reminders() == [("city_bureau-taiyuan", late), ("city_bureau-datong", late)]
    clock.set("2021-10-09")
    run_all()
    assert reminders()[2:] == [("city_bureau-taiyuan", "【截止提醒】初审材料报送：还有1个工作日（2021年10月11日截止）"),
                               ("city_bureau-datong", "【截止提醒】初审材料报送：还有1个工作日（2021年10月11日截止）")]


import pytest  # noqa: E402


@pytest.mark.parametrize("reminder,words", [
    ({"deadline": "nope", "working_days_before": [3], "pending": "batch_not_submitted"}, "reminders[0].deadline"),
    ({"deadline": "preliminary_materials", "working_days_before": [0], "pending": "batch_not_submitted"},
     "reminders[0].working_days_before"),
    ({"deadline": "preliminary_materials", "working_days_before": [3], "pending": "whatever"}, "reminders[0].pending"),
])
def test_a_bad_reminder_in_the_campaign_file_is_refused_naming_it(db, tmp_path, reminder, words):
    import yaml

    from nominate.campaigns.loader import CampaignFileError, load_campaign
    from tests.conftest import SHANXI

    config = yaml.safe_load(SHANXI.read_text(encoding="utf-8"))
    config["reminders"] = [reminder]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    assert words in err.value.message and err.value.field == "reminders"


def test_formal_materials_reminders_go_only_to_those_who_have_not_submitted(f, walk, db, clock):
    from nominate.campaigns.operations import set_deadline
    from nominate.nominations.operations import submit_formal_materials

    walk.to(f.window(), "formal_materials")
    done = walk.to(f.window(city="datong", window_name="大同市平城区就业服务大厅"), "formal_materials")
    clock.set("2021-09-24")
    submit_formal_materials(done, f.city("datong"))
    set_deadline(f.campaign, f.office, "formal_materials", "2021-10-11")
    db.session.commit()
    clock.set("2021-09-30")
    run_all()
    rows = db.session.execute(sa.select(User.username, Notification.subject).join(
        User, User.id == Notification.user_id).where(Notification.kind == "deadline_reminder")).all()
    assert [tuple(r) for r in rows] == [
        ("city_bureau-taiyuan", "【截止提醒】正式推荐材料报送：还有3个工作日（2021年10月11日截止）")]


def test_the_campaign_files_reminder_kinds_are_the_ones_reminders_can_find():
    """The loader accepts the `pending:` names of campaigns/rules.py; reminders.py must find each, and no other."""
    from nominate.campaigns.rules import REMINDER_PENDING
    from nominate.notifications.reminders import PENDING

    assert list(PENDING) == list(REMINDER_PENDING)
