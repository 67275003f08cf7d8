"""A test double of the part of xlwings 0.37.8 that the tool uses, for machines without Excel.

Written from xlwings' documentation and source (``xlwings/main.py``, ``_xlwindows.py``,
``conversion/standard.py``, ``expansion.py``); the vocabularies (chart types, alignments,
border sides) are xlwings' own, imported from ``xlwings.base_classes``.

Faithful, as xlwings over Excel on Windows behaves:

- ``Range.value`` shapes: a cell reads as a scalar, one row or one column as a flat list,
  a block as a list of rows; ``options(ndim=2)`` always gives rows. Assigning a scalar fills
  every cell of the range; a flat list writes one row and a list of rows a block, both from
  the range's top-left cell whatever the range's own size; rows must be equally long.
- What Excel hands back: every number as ``float``, dates as ``datetime``, empty and ``""``
  as ``None``, error cells as ``None`` (their text with ``err_to_str=True``).
- Excel's typing rules when text is assigned, for the cases listed in :func:`.typing_rules._typed`:
  a leading apostrophe is consumed and the rest kept as text (``PrefixCharacter``); ``=...``
  and ``+``/``-``/``@`` followed by a non-number become formulas; numbers (``0012``,
  ``1,234``, ``-1``, ``1e3``, long digit strings losing precision past 15 digits), ``50%``,
  ``TRUE`` and dates (``2024-1-5``, ``2024/1/5``, ``2024年1月5日``) are converted. A cell
  formatted as Text (``@``) stores any text as given, apostrophe included.
- ``.formula`` is COM's ``Formula``: the formula of a formula cell, else the constant as
  text (so text that starts with ``=`` reads back starting with ``=`` too; whether a cell
  *holds* a formula is COM's ``HasFormula``, which xlwings does not expose: tests ask
  :func:`record` instead).
- ``merge_cells`` is True, False, or None when only some cells of the range are merged;
  ``number_format``, ``wrap_text`` and the alignments read None when the cells disagree.
- ``Sheet.clear()`` clears contents, formats and merges but leaves charts (they are shapes)
  and column widths; ``used_range`` covers every cell with a value or a format, and is
  ``$A$1`` on an empty sheet.

Not faithful (known gaps):

- No calculation: a formula read from a file gives the value cached in the file; one
  assigned here reads as ``None``.
- No COM: objects have no ``.api`` (as on xlwings Lite). Excel coerces more typed text than
  modelled here (times, fractions, currency, locale forms): the list above is what tests
  rely on. Writing into a merged cell other than its top-left raises :class:`ComError`,
  where Excel's behaviour varies. Borders are kept per cell and side, not as Excel's edges.
- ``left``/``top`` are computed from column widths with Calibri 11's 7-pixel digit and 15pt
  rows: close, not Excel's exact figures.
- :meth:`Book.save` really writes the file, with openpyxl (double behaviour, so that a test
  can read what was saved): values, number formats, merges, widths and the styles set
  here, over the file's other content; charts are written as plain openpyxl charts. A book
  whose full name is a URL (OneDrive) is only recorded as saved.

Double-only, for tests (xlwings has none of these): :meth:`Book.from_file` and
``Book(fullname, {title: rows})`` to build a book (rows stored as a file holds them, not
typed); :func:`record` for what a cell holds (formula, prefix); ``App.calls`` (value reads and
writes, to count COM round trips), ``App.alerts``, ``App.answers`` (buttons to press),
``App.status_history``, ``Book.saves``, ``Book.pdfs``; :class:`ComError`.
"""

from __future__ import annotations

from xlwings_double.app import App, Book, Books
from xlwings_double.cells import ComError, record
from xlwings_double.charts import Chart, Charts
from xlwings_double.ranges import Borders, Font, Range
from xlwings_double.sheets import Sheet, Sheets

__all__ = [
    "App",
    "Book",
    "Books",
    "Borders",
    "Chart",
    "Charts",
    "ComError",
    "Font",
    "Range",
    "Sheet",
    "Sheets",
    "record",
]
