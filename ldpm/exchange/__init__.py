"""Spreadsheet files in and out: CSV and XLSX, free of Qt and of the project.

What this package knows is files, not LDPM's entities:

* :mod:`~ldpm.exchange.source` opens a file people actually have — a CSV in any of the
  encodings and delimiters spreadsheets and trackers write (:mod:`~ldpm.exchange.csv_source`),
  or a sheet of an Excel workbook (:mod:`~ldpm.exchange.xlsx_source`) — as a
  :class:`~ldpm.exchange.source.Table`: unique column names and a stream of numbered rows,
  never the whole file in memory;
* :mod:`~ldpm.exchange.values` turns cells into numbers (decimal comma or point, thousands
  separators), dates (ISO, day-first, month-first — decided for a whole column) and
  timestamps (with AM/PM), with one plain sentence for a cell that is none of these;
* :mod:`~ldpm.exchange.writers` writes CSV (UTF-8 with a BOM, RFC 4180) and XLSX (typed
  cells, frozen header, widths to fit), with formula injection neutralised in every text cell.

Every expected failure is an :class:`~ldpm.exchange.problems.ExchangeProblem` whose
``sentence`` is one plain sentence for the user.  The services (:mod:`ldpm.services.exchange`)
map columns to fields and write entities; nothing here imports them.
"""
