"""The control panel: the tool's buttons in a local web page, for Excel and WPS users alike.

``tongjia-xls panel WORKBOOK`` starts it (:func:`~tongjia_xls.panel.server.serve`). The page
calls a small JSON API (:mod:`~tongjia_xls.panel.app`); each button runs the action the
CLI command and the Excel button run (:mod:`~tongjia_xls.panel.commands`) in the
background (:mod:`~tongjia_xls.panel.jobs`), behind the guard that keeps a loopback server
to its own page (:mod:`~tongjia_xls.panel.guard`).
"""
