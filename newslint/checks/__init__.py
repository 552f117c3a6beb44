"""The rule families: one package each, its `__init__` the plugin that
registers its rules (`newslint_register_rules`). A family imports the
foundation (`model`, `rule`, `fixes`, `text`, `lazy`), never another family."""
