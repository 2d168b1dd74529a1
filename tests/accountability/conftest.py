import pytest


@pytest.fixture()
def demo(db):
    """The Shanxi 2021 demo data set (clock at 2021-10-20)."""
    from nominate.demo.data import build_demo

    build_demo()
    db.session.commit()
    return db
