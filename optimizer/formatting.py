"""Numbers and tables as text: Markdown for reports, plain cells for the terminal.

Tables are pandas DataFrames or :class:`Rows`, the plain-Python form of a
result's tables, which the terminal, report.md and ``--json`` use so that a
plain solve never imports pandas.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

DISPLAY_ZERO = 1e-9
"""Magnitudes below this are solver round-off and shown as 0 (the data files keep full precision)."""
SIGNIFICANT = 4
"""Significant digits of a displayed number that is not whole."""
WHOLE = 1e-9
"""Relative distance to the nearest integer under which a number is shown whole: 84, not 83.99999999999994."""
CSV_FLOAT_FORMAT = "%.12g"
"""How a results-folder CSV writes floats: 12 significant digits keep the precision and drop the noise."""


def fmt(value) -> str:
    """A cell for people: whole numbers whole with thousands separators, others to 4 significant digits.

    No float noise (84, not 83.99999999999994), no exponents between 1e-4 and 1e15,
    blanks for missing values, yes/no for booleans.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return _float_text(value)
    if is_number(value):  # numpy and other real numbers
        return _float_text(float(value))
    return str(value)


def _float_text(value: float) -> str:
    magnitude = abs(value)
    if magnitude < DISPLAY_ZERO:
        return "0"
    if not math.isfinite(value) or magnitude >= 1e15 or magnitude < 1e-4:
        return f"{value:.{SIGNIFICANT}g}"
    whole = round(value)
    if abs(value - whole) <= WHOLE * max(1.0, magnitude) or magnitude >= 10 ** (SIGNIFICANT - 1):
        return f"{whole:,}"
    decimals = SIGNIFICANT - 1 - math.floor(math.log10(magnitude))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(share: float | None) -> str:
    """A share (0.13) as a percentage for people ("13%"), to at most 3 significant digits."""
    if share is None:
        return ""
    return f"{fmt(float(f'{100 * share:.3g}'))}%"


def plain(value):
    """A table cell as a plain, JSON-ready value: numpy scalars unwrapped; None for missing, NaN or infinite."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or _is_pandas_na(value) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _is_pandas_na(value) -> bool:
    """``value is pandas.NA``, without importing pandas for a value that cannot be it."""
    if not type(value).__module__.startswith("pandas"):
        return False
    import pandas as pd

    return value is pd.NA


def is_number(value) -> bool:
    """A real number, not a boolean."""
    return isinstance(value, Real) and not isinstance(value, bool)


@dataclass(frozen=True)
class Rows:
    """A table as plain rows: column names, and one dict per row holding plain values (see :func:`plain`).

    It offers what the text views need of a DataFrame (``columns``, ``empty``,
    ``itertuples(index=False)`` and selecting columns with ``rows[[...]]``), and
    :meth:`frame` builds the DataFrame itself.
    """

    columns: list[str]
    rows: list[dict]

    @classmethod
    def typed(cls, columns: list[str], rows: list[dict]) -> Rows:
        """Rows whose numbers are typed as pandas would type their column, so ``plain_records(frame())`` equals them.

        In a column of numbers that holds a float or a missing value, whole numbers become
        floats (pandas makes it a float column); anything else is left as it is.
        """
        floats = [c for c in columns if _float_column([row.get(c) for row in rows])]
        typed = [
            {c: float(row[c]) if c in floats and is_number(row.get(c)) else row.get(c) for c in columns} for row in rows
        ]
        return cls(list(columns), [{c: plain(v) for c, v in row.items()} for row in typed])

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Rows:
        """The rows of a DataFrame, each cell as :func:`plain` makes it."""
        return cls(list(frame.columns), plain_records(frame))

    @property
    def empty(self) -> bool:
        return not self.rows

    def __getitem__(self, columns: list[str]) -> Rows:
        return Rows(list(columns), [{c: row[c] for c in columns} for row in self.rows])

    def itertuples(self, index: bool = False) -> Iterator[tuple]:
        """The rows as named tuples, fields renamed like pandas' where a column is no identifier."""
        row_type = namedtuple("Row", self.columns, rename=True)
        return (row_type(*(row[c] for c in self.columns)) for row in self.rows)

    def numeric(self, column: str) -> bool:
        """True when every cell of ``column`` is a number or missing, and one at least is a number."""
        values = [row[column] for row in self.rows if row[column] is not None]
        return bool(values) and all(is_number(v) for v in values)

    def frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame (imports pandas)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def _float_column(values: list) -> bool:
    present = [v for v in values if v is not None]
    numbers = bool(present) and all(is_number(v) for v in present)
    return numbers and (len(present) < len(values) or any(isinstance(v, float) for v in present))


def plain_records(table: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts of plain values (see :func:`plain`)."""
    return [{column: plain(value) for column, value in row.items()} for row in table.to_dict("records")]


def markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame | Rows) -> str:
    """A GitHub-flavoured Markdown table of a DataFrame or :class:`Rows` (no index)."""
    if table.empty:
        return "_(none)_\n"
    header = "| " + " | ".join(markdown_escape(str(c)) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(markdown_escape(fmt(v)) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"
