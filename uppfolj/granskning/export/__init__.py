"""The audit report's exports: its content (`innehall`) and the .xlsx workbook (`arbetsbok`)."""
