"""Bindings as data: descriptions are catalogue keys, translated when a node is made.

Every ``Binding`` in the TUI carries an ``id`` and a description that is a key of ``workbench.i18n``
(``"tui.key.search"``). Class-level ``BINDINGS`` are read when Textual builds the class, before the language
is known, so each node translates its own copy once, in ``__init__``; the footer, the ``?`` help and the
command palette then all read the same translated list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.widget import Widget

from workbench.i18n import t

PREFIX = "tui."
KEYMAP: dict[str, str] = {}  # binding id → keys, from the settings' [keys] (use_keymap); Textual applies it too


def use_keymap(keymap: dict[str, str]) -> None:
    """The remapped keys the help and the palette show (the app passes the same map to Textual)."""
    KEYMAP.clear()
    KEYMAP.update(keymap)


def translate(binding: Binding) -> Binding:
    """The binding with its description (and group description) in the current language."""
    changes: dict[str, object] = {}
    if binding.description.startswith(PREFIX):
        changes["description"] = t(binding.description)
    if binding.tooltip.startswith(PREFIX):
        changes["tooltip"] = t(binding.tooltip)
    if binding.group is not None and binding.group.description.startswith(PREFIX):
        changes["group"] = Binding.Group(t(binding.group.description), binding.group.compact)
    return dataclasses.replace(binding, **changes) if changes else binding  # type: ignore[arg-type]


def localise(node: DOMNode) -> None:
    """Translate a node's own bindings in place; call at the end of its ``__init__``."""
    node._bindings = BindingsMap.from_keys(
        {key: [translate(b) for b in bindings] for key, bindings in node._bindings.key_to_bindings.items()}
    )


@dataclass(frozen=True)
class KeyRow:
    keys: str  # "pagedown / ]"
    description: str
    action: str


def key_rows(bindings: Iterable[BindingType], key_display: Callable[[Binding], str]) -> list[KeyRow]:
    """One row per action and description, keys joined; in the order the bindings were declared."""
    merged: dict[tuple[str, str], list[str]] = {}
    for binding in _remapped(Binding.make_bindings(bindings)):
        b = translate(binding)
        if not b.description:
            continue
        action = b.action.rpartition(".")[2]  # "screen.edit" and "edit" are the same action
        keys = merged.setdefault((action, b.description), [])
        shown = key_display(b)
        if shown not in keys:
            keys.append(shown)
    return [KeyRow(" / ".join(keys), description, action) for (action, description), keys in merged.items()]


def _remapped(bindings: Iterable[Binding]) -> list[Binding]:
    out: list[Binding] = []
    for b in bindings:
        if b.id and b.id in KEYMAP:
            out += [b.with_key(key.strip(), key_display=None) for key in KEYMAP[b.id].split(",")]
        else:
            out.append(b)
    return out


HelpSection = tuple[str, Sequence[BindingType]]


def focus_now(widget: Widget) -> None:
    """Move the focus before the next key is handled.

    ``Widget.focus()`` moves it a moment later, so keys that arrive in the same burst (typing fast, or over
    SSH, where several keys come in one packet) would still go to the widget that had the focus: "/wang"
    would lose "wang". Setting it on the screen at once keeps every key.
    """
    widget.screen.set_focus(widget)
