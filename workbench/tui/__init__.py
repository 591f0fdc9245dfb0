"""The terminal interface (Textual). Entry point: ``workbench.tui.app.run(book)``."""
