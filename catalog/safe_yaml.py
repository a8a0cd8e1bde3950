"""YAML files from users (profiles, units): small, plain, every key once.

`yaml.safe_load` alone builds whatever the file describes: a few hundred bytes of nested
aliases expand to gigabytes, an endless file is read whole, and a key given twice silently
keeps the last value. Here the file is read up to a limit, anchors and aliases are refused
before anything is built, and a repeated key is an error naming it and its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

MAX_BYTES = 1_000_000


class YamlFileError(ValueError):
    """A file that is not plain, bounded YAML; the message says what and where."""


class _PlainLoader(yaml.SafeLoader):
    """The safe loader without anchors, aliases (so no merge keys) or repeated keys."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            line = event.start_mark.line + 1
            raise YamlFileError(f"line {line}: anchors and aliases (& and *) are not allowed")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                continue  # unhashable: the safe constructor refuses it with its own message
            if key in seen:
                line = key_node.start_mark.line + 1
                raise YamlFileError(f"line {line}: duplicate key {key!r}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_file(path: Path) -> Any:
    """The document in `path`; YamlFileError for anything too large, odd or broken.

    OSError (a missing or unreadable file) is left to the caller, which knows the words."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise YamlFileError(f"larger than 1 MB (at most {MAX_BYTES:,} bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_PlainLoader)  # a SafeLoader: no arbitrary objects
    except RecursionError:
        raise YamlFileError("nested too deeply") from None
    except yaml.YAMLError as exc:
        raise YamlFileError(f"not valid YAML ({exc})") from None
