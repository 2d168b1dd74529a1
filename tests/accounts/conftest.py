from tests.web.conftest import login  # noqa: F401  (the same session login helper)
