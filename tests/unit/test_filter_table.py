"""The one table of technique filters (techniques.filters.FIELDS): everything else derives from its rows."""

from __future__ import annotations

import dataclasses

from psoas_explorer import linkformat as params
from psoas_explorer.content import load
from psoas_explorer.techniques import filters as F


def test_the_table_and_the_filters_type_name_the_same_fields_once():
    assert [f.field for f in F.FIELDS] == [f.name for f in dataclasses.fields(F.Filters)]
    for attr in ("param", "key", "label"):
        values = [getattr(f, attr) for f in F.FIELDS]
        assert len(set(values)) == len(values), attr


def test_every_field_round_trips_link_filters_and_widgets():
    cnt = load.load_content()
    spec = F.technique_params(cnt)
    for f in F.FIELDS:
        choices = list(f.names(cnt))
        value = (choices[-1:] if f.kind == "multi" else choices[-1]) if choices else "ball"
        chosen = F.Filters(**{f.field: tuple(value) if f.kind == "multi" else value})
        link = params.encode(F.values_from_filters(chosen), spec)
        parsed, notices = params.parse({k: v if isinstance(v, list) else [v] for k, v in link.items()}, spec)
        assert not notices and F.filters_from_values(parsed) == chosen, f.field
        assert F.filters_from_widgets(F.widget_values(chosen)) == chosen, f.field
    assert F.filters_from_widgets(F.widget_values(F.Filters())) == F.Filters()  # what "Reset filters" sets


def test_a_multi_filter_row_is_all_matching_needs():
    cnt = load.load_content()
    df = F.catalog_frame(cnt)
    for f in (f for f in F.FIELDS if f.column):
        for value in f.names(cnt):
            got = set(F.apply(df, F.Filters(**{f.field: (value,)}))["id"])
            want = {
                t for t, v in zip(df["id"], df[f.column], strict=True) if value in (v if isinstance(v, tuple) else (v,))
            }
            assert got == want, (f.field, value)
