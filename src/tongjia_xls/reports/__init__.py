"""Reading and measuring the secretaries' 述职报告 (reports)."""
