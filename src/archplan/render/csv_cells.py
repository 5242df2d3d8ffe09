"""Text cells of archplan's CSV outputs made safe to open in a spreadsheet."""
from __future__ import annotations

# A cell starting with one of these is read by Excel, LibreOffice and Sheets as a formula (=HYPERLINK(...),
# +cmd|...); a text cell from the plan (an external item's description or unit) gets a leading quote, as
# OWASP's CSV injection guidance says. Number cells are never changed: -5 stays a number.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
