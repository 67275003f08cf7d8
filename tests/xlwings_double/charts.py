"""The charts of a sheet: type, source data, category labels, title, legend, place."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xlwings.base_classes import CHART_PLOT_BY, CHART_TYPES

if TYPE_CHECKING:
    from xlwings_double.ranges import Range
    from xlwings_double.sheets import Sheet


class Charts:
    """The charts of a sheet, by 0-based index or by name."""

    def __init__(self, sheet: Sheet) -> None:
        self.parent = sheet
        self._charts: list[Chart] = []
        self._made = 0

    def __len__(self) -> int:
        return len(self._charts)

    def __iter__(self) -> Iterator[Chart]:
        return iter(list(self._charts))

    def __getitem__(self, key: int | str) -> Chart:
        if isinstance(key, int):
            return self._charts[key]
        return next(c for c in self._charts if c.name == key)

    def __contains__(self, name: str) -> bool:
        return any(c.name == name for c in self._charts)

    def add(self, left: float = 0, top: float = 0, width: float = 355, height: float = 211,
            chart_type: str | None = None, source: Range | None = None,
            plot_by: str | None = None, name: str | None = None, anchor: Range | None = None,
            style: int | None = 227) -> Chart:
        """Add a chart; ``anchor`` (a Range) or ``left``/``top`` in points place it."""
        if anchor is not None:
            if left or top:
                raise ValueError("You must either provide 'anchor' or 'top'/'left', but not both.")
            left, top = anchor.left, anchor.top
        if name and name in self:
            raise ValueError(f"'{name}' is already present on {self.parent.name}.")
        chart = self._add(Chart(self.parent, "column_clustered", left, top, width, height))
        if source is not None:
            chart.set_source_data(source, plot_by)
        if chart_type is not None:
            chart.chart_type = chart_type
        chart.style, chart.name = style, name or chart.name
        return chart

    def _add(self, chart: Chart) -> Chart:
        self._made += 1
        chart.name = f"Chart {self._made}"
        self._charts.append(chart)
        return chart


class Chart:
    """A chart object on a sheet: type, source, category labels, title, legend, place."""

    def __init__(self, sheet: Sheet, chart_type: str | None, left: float, top: float,
                 width: float, height: float) -> None:
        self.parent, self.name, self.style = sheet, "", None
        self._type = chart_type
        self.left, self.top, self.width, self.height = left, top, width, height
        self.source: Range | None = None
        self.plot_by: str | None = None
        self.x_values: Range | None = None
        self._title: str | None = None
        self._legend = _Legend()

    @property
    def legend(self) -> _Legend:
        """Return the legend (``visible``, ``position``)."""
        return self._legend

    chart_type = property(lambda self: self._type,
                          lambda self, value: setattr(self, "_type", _checked(value, CHART_TYPES)))

    @property
    def title(self) -> str | None:
        """Return the title; None: hidden."""
        return self._title

    @title.setter
    def title(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"Invalid title {value!r}. Must be a string or None to hide it.")
        self._title = value

    def set_source_data(self, source: Range, plot_by: str | None = None) -> None:
        """Draw the chart from ``source``; series by ``"rows"`` or ``"columns"``."""
        self.source, self.plot_by = source, _checked(plot_by, (*CHART_PLOT_BY, None))

    def set_x_axis_values(self, source: Range) -> None:
        """Label the categories of every series from ``source``."""
        self.x_values = source

    def delete(self) -> None:
        """Delete the chart."""
        self.parent.charts._charts.remove(self)


@dataclass
class _Legend:
    visible: bool = True
    position: str = "right"


def _checked(value: Any, allowed: Sequence[Any]) -> Any:
    if value not in allowed:
        raise ValueError(f"Invalid value {value!r}")
    return value
