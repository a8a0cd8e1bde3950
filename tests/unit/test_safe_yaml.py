"""Profile and unit files are user input: small, plain YAML, every key once."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from catalog.safe_yaml import MAX_BYTES, YamlFileError, load_file

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    return path


def test_plain_yaml_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "name: Vej\ncompetences:\n  - {id: M02, target: 3}\n")
    assert load_file(path) == {"name": "Vej", "competences": [{"id": "M02", "target": 3}]}


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(YamlFileError, match=r"line 1: anchors and aliases .* not allowed"):
        load_file(write(tmp_path, BILLION_LAUGHS))
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "text",
    ["base: &base {target: 3}\nother: 1\n", "a: 1\nb: *a\n", "x: &a 1\ny: {<<: *a}\n"],
)
def test_anchors_and_aliases_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(YamlFileError, match="anchors and aliases"):
        load_file(write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: a\nname: b\n", "line 2: duplicate key 'name'"),
        ("competences:\n  - {id: M02, target: 3, target: 4}\n", "line 2: duplicate key 'target'"),
        ("targets:\n  M02: 3\n  M05: 2\n  M02: 4\n", "line 4: duplicate key 'M02'"),
    ],
)
def test_duplicate_keys_are_refused_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(YamlFileError, match=message):
        load_file(write(tmp_path, text))


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError, match="larger than 1 MB"):
        load_file(write(tmp_path, "#" * MAX_BYTES + "\n"))
    assert load_file(write(tmp_path, "#" * (MAX_BYTES - 1) + "\n")) is None


def test_an_endless_device_is_read_only_up_to_the_limit() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(YamlFileError, match="larger than 1 MB"):
            load_file(Path("/dev/zero"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_BYTES


def test_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(YamlFileError, match="nested too deeply"):
        load_file(write(tmp_path, "[" * 100_000))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"name: \xff\xfe\n", "not UTF-8"), (b"name: [a\n", "not valid YAML")],
)
def test_unreadable_content_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(content)
    with pytest.raises(YamlFileError, match=message):
        load_file(path)
