"""The library API: `Linter` (in `linter.py`) checks articles one at a time,
as a scraper or a data pipeline produces them; `result.py` is what it answers,
`quality.py` its score and drop policy, `duplicates.py` its near-duplicate
look-up. `from newslint import Linter` is the short way in."""
