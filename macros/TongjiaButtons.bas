Attribute VB_Name = "TongjiaButtons"
' The buttons on the Dashboard sheet. Each Sub runs one action of tongjia-xls on this
' workbook through xlwings' RunPython (module xlwings, compiled in from the installed
' xlwings package). The Python side is tongjia_xls/excel.py: it shows every message in
' Chinese, so this file stays ASCII (the VBA project is stored in codepage 1252).
Option Explicit

' Check what staff typed in every sheet; write the findings to the remarks columns and to the Dashboard.
Public Sub ValidateWorkbook()
    RunPython "import tongjia_xls.excel as tx; tx.validate()"
End Sub

' Check the reports in the reports folder beside this workbook and fill the reports sheet.
Public Sub CheckReports()
    RunPython "import tongjia_xls.excel as tx; tx.check_reports()"
End Sub

' Tally the ballots, compute composite scores, propose grades under the quota.
Public Sub ScoreWorkbook()
    RunPython "import tongjia_xls.excel as tx; tx.score()"
End Sub

' Draft ledger items from the reports and refresh days left and overdue marks.
Public Sub UpdateLedger()
    RunPython "import tongjia_xls.excel as tx; tx.rectify()"
End Sub

' Write the printable documents (Annex 2, outlines, opinions) beside this workbook.
Public Sub MakeForms()
    RunPython "import tongjia_xls.excel as tx; tx.forms()"
End Sub

' Run the four steps above in order, stopping at the first that cannot run.
Public Sub RunAll()
    RunPython "import tongjia_xls.excel as tx; tx.run_all()"
End Sub
