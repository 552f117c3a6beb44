"""The command line (`newslint`): `main.py` builds the parser and dispatches
to one module per subcommand (`check`, `rules`, `dedup`), each with its
`add_parser` and `run`; `common.py` is what they share."""
