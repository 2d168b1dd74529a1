"""The checks judge a template's tags against the form's sample context: that sample must have the shape
of the context the documents package really builds, or a valid template would be refused (or a wrong one
accepted)."""
from __future__ import annotations

import pytest

from form_templates import TEMPLATE_FILES, sample_contexts
from nominate.documents import context


def paths(value, prefix="") -> set[str]:
    """Every key path of a context: dict keys, and the keys of a list's dict items as ``name[]``."""
    out = set()
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(prefix + key)
            out |= paths(item, f"{prefix}{key}.")
    elif isinstance(value, (list, tuple)):
        for item in value:
            out |= paths(item, prefix.rstrip(".") + "[].")
    return out


def real_contexts(f, walk) -> dict[str, dict]:
    window, person = f.window("taiyuan"), f.individual("taiyuan")
    f.photo(person)
    walk.to(window, "city_recommended")
    walk.to(person, "city_recommended")
    out = {form: context.NOMINATION_FORMS[form](nom) for form, nom in
           (("window_approval", window), ("individual_approval", person), ("opinion_form", person))}
    for form in TEMPLATE_FILES:
        if form not in out:
            out[form] = context.batch_context(window.batch, form, "preliminary")
    return out


def test_every_form_is_compared(f, walk):
    assert set(real_contexts(f, walk)) == set(TEMPLATE_FILES) == set(sample_contexts.SAMPLES)


@pytest.mark.parametrize("form", sorted(TEMPLATE_FILES))
def test_the_sample_context_has_the_real_contexts_keys(f, walk, form):
    real = paths(real_contexts(f, walk)[form])
    sample = paths(sample_contexts.SAMPLES[form]())
    assert real - sample == set(), "keys the documents package provides that the checks would refuse"
    assert {p for p in sample - real if "[]" not in p} == set(), "keys the checks accept that no document has"
