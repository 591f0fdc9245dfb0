"""Workbench: a keyboard-driven terminal workbench for bank relationship managers."""

__version__ = "0.1.0"
