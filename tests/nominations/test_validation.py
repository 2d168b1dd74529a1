"""Field rules: 身份证号 (GB 11643), phones, deed lengths, and every field error at once."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nominate.core.errors import DomainError, MultipleErrors
from nominate.nominations import operations as nops
from nominate.nominations.validation import check_phone, count_chars, id_check_digit, parse_id_number
from tests.factories import individual_data, make_id_number, snapshot


def test_valid_id_gives_birth_date_and_gender():
    number = make_id_number("19850312", 123)
    v, birth, gender = parse_id_number(number.lower())
    assert v == number and birth.isoformat() == "1985-03-12" and gender == "male"


def test_known_public_example():
    assert parse_id_number("11010519491231002X")[1].isoformat() == "1949-12-31"


@pytest.mark.parametrize("value,code", [
    ("1401051985031212", "id_number_length"),
    ("14010519850312123A", "id_number_format"),
    ("140105198502301234", "id_number_birth_date"),
])
def test_bad_ids(value, code):
    with pytest.raises(DomainError) as exc:
        parse_id_number(value)
    assert exc.value.code == code and exc.value.field == "id_number"


def test_wrong_check_digit():
    good = make_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DomainError) as exc:
        parse_id_number(bad)
    assert exc.value.message == "身份证号校验位错误"


birth_dates = st.dates(min_value=__import__("datetime").date(1950, 1, 1), max_value=__import__("datetime").date(2005, 12, 31))


@settings(max_examples=200, deadline=None)
@given(birth=birth_dates, seq=st.integers(min_value=0, max_value=999), pos=st.integers(min_value=0, max_value=17),
       delta=st.integers(min_value=1, max_value=9))
def test_property_valid_passes_and_any_single_digit_change_fails(birth, seq, pos, delta):
    number = make_id_number(birth.strftime("%Y%m%d"), seq)
    assert parse_id_number(number)[1] == birth
    ch = number[pos]
    if ch == "X":
        changed = "0"
    else:
        changed = str((int(ch) + delta) % 10)
    mutated = number[:pos] + changed + number[pos + 1:]
    with pytest.raises(DomainError):
        parse_id_number(mutated)


def test_check_digit_table():
    assert id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize("value", ["13812345678", "0351-7676040", "03517676040", "010-12345678-123"])
def test_good_phones(value):
    assert check_phone(value, "phone", "联系电话")


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "7676040", "phone", "0351-76760"])
def test_bad_phones(value):
    with pytest.raises(DomainError) as exc:
        check_phone(value, "phone", "联系电话")
    assert exc.value.field == "phone" and "联系电话格式不正确" in exc.value.message


def test_count_chars_ignores_whitespace():
    assert count_chars("一二 三\n四\t五") == 5


def test_create_reports_every_field_error_and_writes_nothing(f, db):
    before = snapshot(db)
    data = individual_data(id_number="140105198503121239", phone="123", brief_deeds="字" * 501,
                           gender="male", system_start="2035-01-01", admin_rank="处长")
    with pytest.raises(MultipleErrors) as exc:
        nops.create_nomination(f.campaign, f.city(), "individual", data)
    db.session.rollback()
    fields = {e.field for e in exc.value.errors}
    assert {"id_number", "phone", "brief_deeds", "system_start", "admin_rank"} <= fields
    assert "简要事迹超出 500 字（当前 501 字，超出 1 字）" in [e.message for e in exc.value.errors]
    assert snapshot(db) == before


def test_birth_and_gender_filled_from_id(f, db):
    nom = f.individual(id_number=make_id_number("19900704", 131))
    assert nom.birth_date.isoformat() == "1990-07-04" and nom.gender.value == "male"


def test_entered_birth_date_must_match_id(f, db):
    with pytest.raises(MultipleErrors) as exc:
        nops.create_nomination(f.campaign, f.city(), "individual",
                               individual_data(id_number=make_id_number("19900704", 131), birth_date="1990-07-05"))
    assert exc.value.errors[0].code == "birth_date_mismatch"


def test_window_fields_refused_on_individual(f, db):
    with pytest.raises(MultipleErrors) as exc:
        nops.create_nomination(f.campaign, f.city(), "individual", individual_data(window_name="x"))
    assert exc.value.errors[0].code == "field_not_for_kind"


def test_signer_cannot_create(f, db):
    with pytest.raises(DomainError) as exc:
        nops.create_nomination(f.campaign, f.user("signer_police", "shanxi"), "individual", individual_data())
    assert exc.value.status == 403


def test_edit_only_in_editable_states(f, walk, db):
    nom = walk.to(f.individual(), "unit_publicity")
    with pytest.raises(DomainError) as exc:
        nops.update_nomination(nom, f.city(), {"position": "科长"})
    assert exc.value.status == 403 and "本单位公示中" in exc.value.message


def test_update_is_audited_with_changed_fields(f, db):
    from nominate.audit.models import AuditEvent

    nom = f.individual()
    nops.update_nomination(nom, f.city(), {"position": "副科长", "phone": "13812345678"})
    db.session.commit()
    last = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.action == "update" and last.data == {"changed": ["position"]}


def test_photo_checks(f, db):
    import io

    from PIL import Image

    nom = f.individual()

    def png(size):
        buf = io.BytesIO()
        Image.new("RGB", size, (20, 80, 200)).save(buf, "PNG")
        return buf.getvalue()

    for raw, code in [(b"not an image", "photo_unreadable"), (png((400, 400)), "photo_ratio"),
                      (png((100, 140)), "photo_too_small")]:
        with pytest.raises(DomainError) as exc:
            nops.upload_photo(nom, f.city(), raw, 5 * 1024 * 1024)
        assert exc.value.code == code
    photo = nops.upload_photo(nom, f.city(), png((350, 490)), 5 * 1024 * 1024)
    assert photo.mime == "image/jpeg" and photo.content[:2] == b"\xff\xd8"
