"""The column layout and the cell rules shared by the exports and the imports."""

from hypothesis import given
from hypothesis import strategies as st

from stocktake.opendata.columns import (
    COLUMNS,
    EXPORT_HEADER,
    IMPORT_HEADER,
    from_cell,
    split_multi,
    to_cell,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@given(st.text())
def test_a_cell_never_starts_a_formula_and_reads_back_exactly(text):
    cell = to_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert from_cell(cell) == text


@given(st.text(alphabet="'=+-@\t\rab", max_size=8))
def test_apostrophes_before_formula_starts_round_trip(text):
    assert from_cell(to_cell(text)) == text


def test_cells_of_each_kind_of_value():
    assert to_cell(None) == ""
    assert to_cell(True) == "true"
    assert to_cell(12) == "12"
    assert to_cell(["TN", "EG"]) == "TN; EG"
    assert split_multi(from_cell(to_cell(["TN", "EG"]))) == ["TN", "EG"]
    assert to_cell([]) == ""
    assert to_cell({"16.9": "Identité"}) == '{"16.9": "Identité"}'
    assert to_cell([{"name": "UNDP"}]) == '[{"name": "UNDP"}]'
    assert to_cell("-5 % de délais") == "'-5 % de délais"
    assert to_cell("'quoted'") == "'quoted'"  # not a formula: left alone


def test_names_are_unique_and_contacts_are_import_only():
    names = [column.name for column in COLUMNS]
    assert len(names) == len(set(names))
    assert "contact_email" in IMPORT_HEADER and "contact_email" not in EXPORT_HEADER
    assert "url" in EXPORT_HEADER and "url" not in IMPORT_HEADER
    for column in COLUMNS:
        assert column.imported == bool(column.target), column.name
        assert str(column.description)
