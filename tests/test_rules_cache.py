"""The protocol's cache (planner.rules.cache): used only for what it was made from, the
same Rules as a fresh read, and never a reason for load_rules to fail."""

from __future__ import annotations

import sys

import msgspec
import pytest
import tomli

import planner.rules
from planner.rules import PROTOCOL, cache, parse_rules


def fresh():
    return parse_rules(tomli.loads(PROTOCOL.read_text(encoding="utf-8")))


def as_data(rules) -> object:
    """Rules compare by identity (eq=False): compare their data, sets in sorted order."""
    return msgspec.to_builtins(rules, order="sorted")


def test_the_cache_gives_back_the_same_rules(tmp_path):
    key = cache.key(PROTOCOL.read_bytes())
    assert cache.write(key, fresh(), tmp_path, force=True)
    kept = cache.read(key, tmp_path)
    assert kept is not None and as_data(kept) == as_data(fresh())
    # the types come back too: enums, frozensets and tuples, not strings and lists
    assert type(next(iter(kept.phases))) is type(next(iter(fresh().phases)))
    assert kept.tasks[0].when.phases == fresh().tasks[0].when.phases


def test_another_protocol_or_reader_has_another_key(tmp_path, monkeypatch):
    data = PROTOCOL.read_bytes()
    assert cache.key(data) == cache.key(data)
    assert cache.key(data + b"\n# a comment") != cache.key(data)
    reader = tmp_path / "reading.py"
    reader.write_bytes(cache.SOURCES[1].read_bytes())
    before = cache.key(data)
    monkeypatch.setattr(cache, "SOURCES", (cache.SOURCES[0], reader, cache.SOURCES[2]))
    assert cache.key(data) == before  # the same source, wherever it is
    reader.write_bytes(reader.read_bytes() + b"\n# changed\n")
    assert cache.key(data) != before


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b + b"\x00",  # trailing bytes
        lambda b: b"not msgpack at all",
        lambda b: msgspec.msgpack.encode({"kinds": "no"}),  # msgpack of the wrong shape
        lambda b: b"",
    ],
)
def test_a_damaged_cache_is_ignored_and_made_again(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(cache, "FOLDER", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    load = planner.rules.load_rules.__wrapped__  # without the per-process memo
    key = cache.key(PROTOCOL.read_bytes())
    good = cache.path_for(key, tmp_path)
    cache.write(key, fresh(), tmp_path, force=True)
    good.write_bytes(damage(good.read_bytes()))
    assert cache.read(key, tmp_path) is None
    assert as_data(load()) == as_data(fresh())
    assert cache.read(key, tmp_path) is not None  # written again, whole


def test_load_rules_uses_the_cache_once_written(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "FOLDER", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    load = planner.rules.load_rules.__wrapped__
    first = load()
    assert [p.name for p in tmp_path.iterdir()] == [
        cache.path_for(cache.key(PROTOCOL.read_bytes())).name
    ]

    def no_reading(*args, **kwargs):
        raise AssertionError("the TOML was read although the cache holds this protocol")

    monkeypatch.setattr(planner.rules, "parse_rules", no_reading)
    assert as_data(load()) == as_data(first)


def test_caches_of_earlier_protocols_are_removed(tmp_path):
    old = cache.path_for("0" * 32, tmp_path)
    old.parent.mkdir(exist_ok=True)
    old.write_bytes(b"old")
    key = cache.key(PROTOCOL.read_bytes())
    assert cache.write(key, fresh(), tmp_path, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [cache.path_for(key).name]


def test_no_cache_is_written_when_bytecode_writing_is_off(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    key = cache.key(PROTOCOL.read_bytes())
    assert not cache.write(key, fresh(), tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert cache.write(key, fresh(), tmp_path, force=True)  # the benchmarks' first run


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    key = cache.key(PROTOCOL.read_bytes())
    assert not cache.write(key, fresh(), blocker / "__pycache__")
    monkeypatch.setattr(cache, "FOLDER", blocker / "__pycache__")
    assert as_data(planner.rules.load_rules.__wrapped__()) == as_data(fresh())
    assert [p.name for p in tmp_path.iterdir()] == ["file"]  # no temp file left behind


def test_a_refused_protocol_is_never_cached(tmp_path, monkeypatch):
    """Only Rules that passed every check are kept: a protocol the reader refuses raises
    each time, as before there was a cache."""
    monkeypatch.setattr(cache, "FOLDER", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    broken = tmp_path / "protocol.toml"
    broken.write_text(PROTOCOL.read_text(encoding="utf-8").replace("version = 1", "version = 9"))
    monkeypatch.setattr(planner.rules, "PROTOCOL", broken)
    for _ in range(2):
        with pytest.raises(planner.rules.RulesError, match="version"):
            planner.rules.load_rules.__wrapped__()
    assert [p.name for p in tmp_path.iterdir()] == ["protocol.toml"]
