"""Spreadsheet in: init --template xlsx, fill the workbook, convert, validate, solve; errors name sheet, cell and path."""

import builtins

import pytest

openpyxl = pytest.importorskip("openpyxl")

from optimizer import load, solve  # noqa: E402
from optimizer.workbook import SHEETS  # noqa: E402


def fill(path, rows: dict[str, list[dict]]) -> None:
    """Replace each sheet's example row with ``rows`` (header -> value)."""
    book = openpyxl.load_workbook(path)
    for title, entries in rows.items():
        sheet = book[title]
        headers = [c.value for c in sheet[1]]
        sheet.delete_rows(2, sheet.max_row)
        for entry in entries:
            sheet.append([entry.get(h) for h in headers])
    book.save(path)


def test_template_has_every_sheet_with_annotated_headers_and_an_example(cli, tmp_path):
    code, out, _ = cli("init", "deal", "--template", "xlsx", "--dir", tmp_path)
    assert code == 0 and "dealopt convert" in out
    book = openpyxl.load_workbook(tmp_path / "deal.xlsx")
    assert book.sheetnames == ["Levers", "Constituencies", "Metrics", "Offers", "Red lines"]
    for title, columns in SHEETS.items():
        header = book[title][1]
        assert [c.value for c in header] == [c.header for c in columns]
        assert all(c.comment is not None and c.comment.text for c in header)
        assert book[title].cell(row=2, column=1).value  # one example row


def test_the_untouched_template_converts_and_solves(cli, tmp_path):
    cli("init", "deal", "--template", "xlsx", "--dir", tmp_path)
    code, _, err = cli("convert", tmp_path / "deal.xlsx", "-o", tmp_path / "deal.yaml")
    assert code == 0, err
    assert solve(load(tmp_path / "deal.yaml")).status == "optimal"


def test_round_trip_of_a_filled_workbook(cli, tmp_path):
    cli("init", "toy", "--template", "xlsx", "--dir", tmp_path)
    fill(
        tmp_path / "toy.xlsx",
        {
            "Constituencies": [{"name": "farmers", "weight": 3}, {"name": "fiscal", "weight": 1}],
            "Metrics": [{"name": "deficit_cut", "demand": 1}, {"name": "investment"}],
            "Levers": [
                {
                    "name": "corn",
                    "kind": "continuous",
                    "max": 6,
                    "min_if_used": 1,
                    "gives_per_unit": "deficit_cut=1",
                    "costs_per_unit": "farmers=3:0.5 6:2",
                    "costs_fixed": "farmers=2",
                },
                {"name": "fund", "kind": "choice"},
                {"name": "fund", "option": "small", "gives_fixed": "investment=100", "costs_fixed": "fiscal=10"},
                {"name": "fund", "option": "large", "gives_fixed": "investment=400", "costs_fixed": "fiscal=35"},
            ],
            "Offers": [
                {"name": "no_deal", "walk_away": True},
                {
                    "name": "deal_15",
                    "requires": "deficit_cut=5, investment=100",
                    "benefits": "fiscal=40",
                    "attributes": "tariff=15",
                },
            ],
            "Red lines": [
                {"name": "farm_pain", "kind": "max_cost", "constituency": "farmers", "max": 20},
                {"name": "fund_for_deal", "kind": "conditional", "lever": "fund", "offers": "deal_15"},
            ],
        },
    )
    code, _, err = cli("convert", tmp_path / "toy.xlsx", "-o", tmp_path / "toy.yaml")
    assert code == 0, err
    assert cli("validate", tmp_path / "toy.yaml")[0] == 0
    result = solve(load(tmp_path / "toy.yaml"))
    # the model's toy, worked by hand: corn 5 and the small fund earn deal_15 at 3 * 7.5 + 10 - 40
    assert result.status == "optimal" and result.objective == pytest.approx(-7.5)
    assert result.package.levers() == {"corn": pytest.approx(5.0), "fund": "small"}


def test_errors_name_the_sheet_the_cell_and_the_field_path_and_nothing_is_written(cli, tmp_path):
    cli("init", "bad", "--template", "xlsx", "--dir", tmp_path)
    book = openpyxl.load_workbook(tmp_path / "bad.xlsx")
    book["Levers"]["F2"] = "lots"  # max
    book["Red lines"]["C2"] = "farmrs"  # a constituency that does not exist
    book.save(tmp_path / "bad.xlsx")
    code, _, err = cli("convert", tmp_path / "bad.xlsx", "-o", tmp_path / "bad.yaml")
    assert code == 2
    assert "Levers!F2 levers.farm_purchases.max: expected a number, got 'lots'" in err
    assert not (tmp_path / "bad.yaml").exists()
    book["Levers"]["F2"] = 10
    book.save(tmp_path / "bad.xlsx")
    code, _, err = cli("convert", tmp_path / "bad.xlsx", "-o", tmp_path / "bad.yaml")
    assert code == 2 and "Red lines!C2 red_lines" in err and "farmrs" in err
    assert not (tmp_path / "bad.yaml").exists()


def test_without_openpyxl_init_exits_2_with_the_install_hint(cli, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name.startswith("openpyxl"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    code, _, err = cli("init", "deal", "--template", "xlsx", "--dir", tmp_path)
    assert code == 2 and "pip install 'dealopt[xlsx]'" in err
    assert not (tmp_path / "deal.xlsx").exists()
