"""What "missing" is, said once for the whole project."""

from __future__ import annotations

from typing import Any

import pandas as pd

#
# The one place that says what "missing" is. With pandas 3 a partly filled text column holds
# NaN (not None), dates NaT and nullable columns pd.NA; a cell from a file is "" or spaces. Every
# step where frames become records, text, HTML or JSON goes through ``frame_rows`` or
# ``text_or_none``, so none of them ever sees NaN or writes "nan".


def is_missing(value: Any) -> bool:
    """None, NaN, NaT, pd.NA, or text that is empty or only spaces."""
    if isinstance(value, str):  # first: a file's cells are all text, 100,000 rows of them
        return not value.strip()
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: present
        return False


def text_or_none(value: Any) -> str | None:
    """Stripped text, or None for any missing value."""
    if is_missing(value):
        return None
    return str(value).strip()


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with every missing value as None (NaN, NaT and pd.NA included).

    Much cheaper than ``DataFrame.to_dict('records')`` in pandas 3, which matters at 100,000 rows.
    """
    columns = list(frame.columns)
    values = []
    for column in columns:
        series = frame[column]
        cells = series.tolist()
        if len(cells) and series.isna().any():
            missing = series.isna().tolist()
            cells = [None if gone else cell for cell, gone in zip(cells, missing)]
        values.append(cells)
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else [{} for _ in range(len(frame))]
