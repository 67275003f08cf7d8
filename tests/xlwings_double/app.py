"""The Excel instance and its books: alerts, status bar, opening, saving, closing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from xlwings_double.cells import _Cell
from xlwings_double.sheets import Sheets
from xlwings_double.storage import _fill, _load, _write
from xlwings_double.typing_rules import _stored


class App:
    """An Excel instance: alerts and status bar recorded, books opened from files."""

    def __init__(self) -> None:
        self.books = Books(self)
        self.alerts: list[dict[str, Any]] = []
        self.answers: list[str] = []  # buttons a test wants pressed, in order
        self.status_history: list[str | bool] = []
        self._status_bar: str | bool = False
        self.screen_updating = True
        self.display_alerts = True
        self._calculation = "automatic"
        self.calls: list[tuple[str, str]] = []  # (operation, address) of value reads/writes

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None, callback: str | None = None) -> str:
        """Record a message box; return the pressed button (queued answer, else the first)."""
        if buttons not in ("ok", "ok_cancel", "yes_no", "yes_no_cancel"):
            raise ValueError(f"invalid buttons {buttons!r}")
        if mode not in (None, "info", "critical"):
            raise ValueError(f"invalid mode {mode!r}")
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return self.answers.pop(0) if self.answers else buttons.split("_")[0]

    @property
    def status_bar(self) -> str | bool:
        """Return the status bar text, or False while Excel shows its own."""
        return self._status_bar

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self.status_history.append(value)
        self._status_bar = value

    @property
    def calculation(self) -> str:
        """Return the calculation mode."""
        return self._calculation

    @calculation.setter
    def calculation(self, value: str) -> None:
        if value not in ("manual", "automatic", "semiautomatic"):
            raise ValueError(f"invalid calculation {value!r}")
        self._calculation = value


class Books:
    """The books open in an :class:`App`."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._books: list[Book] = []

    def __len__(self) -> int:
        return len(self._books)

    def __iter__(self) -> Iterator[Book]:
        return iter(list(self._books))

    def __getitem__(self, key: int | str) -> Book:
        if isinstance(key, int):
            return self._books[key]
        return next(b for b in self._books if b.name.lower() == key.lower())

    def open(self, fullname: str | Path) -> Book:
        """Return the book at ``fullname``, opening it unless it is open already."""
        path = Path(fullname)
        if not path.exists():
            raise FileNotFoundError(f"No such file: '{path}'")
        for book in self._books:
            if book.name.lower() == path.name.lower():
                if Path(book.fullname).resolve() != path.resolve():
                    raise ValueError(f"Cannot open two workbooks named '{path.name}'")
                return book
        return Book.from_file(path, app=self.app)


class Book:
    """A workbook; ``fullname`` is a path once saved, a bare name (``工作簿1``) before."""

    def __init__(self, fullname: str | Path = "工作簿1",
                 sheets: Iterable[str] | Mapping[str, Sequence[Sequence[Any]]] = ("Sheet1",),
                 app: App | None = None) -> None:
        self._fullname = str(fullname)
        self.app = app or App()
        self.app.books._books.append(self)
        self.sheets = Sheets(self)
        self.saves: list[str | None] = []
        self.pdfs: list[str] = []
        self.closed = False
        self._source: Path | None = None
        for name in sheets:
            sheet = self.sheets._append(name)
            rows = sheets[name] if isinstance(sheets, Mapping) else []
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None:
                        sheet._cells[(r, c)] = _Cell(value=_stored(value))

    @classmethod
    def from_file(cls, path: str | Path, app: App | None = None) -> Book:
        """Return the book of the .xlsx/.xlsm at ``path`` as Excel would open it."""
        path = Path(path).resolve()
        workbook = _load(path)
        book = cls(path, sheets=(), app=app)
        book._source = path
        _fill(book, workbook, path)
        return book

    @property
    def name(self) -> str:
        """Return the file name (``总表.xlsx``), or the bare name of an unsaved book."""
        return Path(self._fullname).name

    @property
    def fullname(self) -> str:
        """Return the full path, or the bare name of an unsaved book."""
        return self._fullname

    @property
    def sheet_names(self) -> list[str]:
        """Return the sheet names in tab order."""
        return [s.name for s in self.sheets]

    def save(self, path: str | Path | None = None, password: str | None = None) -> None:
        """Save (write the file with openpyxl: double behaviour), as SaveAs when ``path``."""
        self.saves.append(None if path is None else str(path))
        if path is None and "://" in self._fullname:
            return  # a book in the cloud (OneDrive): Excel uploads it, the double cannot
        if path is None:
            # Excel saves a book never saved into the working directory, under its name.
            path = self._fullname if Path(self._fullname).is_absolute() else (
                Path.cwd() / f"{self.name}.xlsx")
        target = Path(path).resolve()
        _write(self, target)
        self._fullname, self._source = str(target), target
        for sheet in self.sheets:
            sheet._cleared = False

    def to_pdf(self, path: str | Path | None = None, **options: Any) -> str:
        """Record the export and write a small placeholder PDF; return its path."""
        base = Path(self._fullname)
        target = Path(path) if path else (
            base.with_suffix(".pdf") if base.is_absolute() else Path.cwd() / f"{self.name}.pdf")
        target.write_bytes(b"%PDF-1.4\n% xlwings double placeholder\n%%EOF\n")
        self.pdfs.append(str(target))
        return str(target)

    def close(self) -> None:
        """Close without saving."""
        self.closed = True
        self.app.books._books.remove(self)

    def __repr__(self) -> str:
        return f"<Book [{self.name}]>"

