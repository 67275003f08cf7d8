"""Reading Word files: a 述职报告's text from its OOXML, older formats through LibreOffice.

The checker in :mod:`tongjia_xls.reports` works on the plain :class:`ReportText` made here.
"""
