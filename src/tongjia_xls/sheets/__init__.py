"""The master workbook as plain data: its declared schema, cell values and tables of records.

Nothing here opens a file. The backends in :mod:`tongjia_xls.book` move grids of values in
and out of a workbook; these modules say what the sheets are and how a grid reads.
"""
