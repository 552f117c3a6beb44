"""The run machinery: `engine` (a file -> articles -> findings), `runner` (a
whole `check`: discovery, cache, workers, corpus rules), `cache` and `payload`
(what is remembered between runs), `fingerprint` (what a remembered result
depends on), `selection` and `suppress` (which findings count), `files`
(which files are checked), `fixer` (writing fixes back), `examples` (running a
rule's own pass/fail examples)."""
