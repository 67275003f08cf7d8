"""tongjia-xls: the master workbook and headless engine of the 述职评议考核."""

from __future__ import annotations

__version__ = "0.1.0"
