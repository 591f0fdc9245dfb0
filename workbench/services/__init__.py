"""Use cases, callable alike from the CLI, the TUI and the tests. They take plain arguments and return
plain data (frozen dataclasses); database work goes through workbench.store."""
