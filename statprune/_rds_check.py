"""Check an RDS file in pure Python before R deserializes it: data only, never code.

``readRDS()`` is not a safe function for a file from someone else. R's serialization
format can hold closures, promises (a promise is evaluated as soon as the value is
used; a top-level promise runs inside ``readRDS`` itself, CVE-2024-27322, unfixed in
R < 4.4), environments with active bindings, byte code and external pointers. And a
data-only object can still make R run code later, through S3 dispatch on a class whose
methods evaluate a stored call or formula (``predict.lm`` evaluates ``terms``).

This module reads the serialized stream (R's ``serialize()`` format: XDR, versions 2
and 3, uncompressed or gzip/bzip2/xz compressed, exactly as ``saveRDS()`` writes it)
and classifies every node without building R objects. It accepts only what a glmnet
fit consists of:

* ``NULL``, logical/integer/double/complex/character vectors, strings, lists,
  pairlists of attributes, symbols, and base R's compact sequences (ALTREP);
* S4 objects of class ``dgCMatrix`` (package Matrix), the sparse coefficient matrix;
* language objects (the stored ``call``) only as the element named ``call`` of a list,
  where glmnet keeps it; statprune deparses it for display and never evaluates it;
* ``class`` attributes only from glmnet's own classes (:data:`ALLOWED_CLASSES`).

Everything else (environments, closures, promises, byte code, built-in functions,
external pointers, weak references, ``...``, package/namespace references, persistent
references, unknown classes) raises :class:`~statprune.errors.DataError` naming what
was found and where. :func:`checked_rds_bytes` returns the decompressed stream that was
checked, so R deserializes exactly those bytes (``unserialize()`` on a raw vector),
not the file a second time.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import struct
from .errors import DataError

__all__ = ["ALLOWED_CLASSES", "checked_rds_bytes", "check_serialized"]

#: Every ``class`` attribute value a (cv.)glmnet fit holds.
ALLOWED_CLASSES = frozenset({
    "cv.glmnet", "cv.relaxed", "glmnet", "relaxed", "elnet", "lognet", "multnet", "fishnet", "coxnet",
    "mrelnet", "glmnetfit", "dgCMatrix",
})

#: R's SEXPTYPE codes and the pseudo-types of the serialization format (src/main/serialize.c).
_NAMES = {
    0: "NULL", 1: "symbol", 2: "pairlist", 3: "closure (function)", 4: "environment", 5: "promise",
    6: "language object", 7: "special function", 8: "builtin function", 9: "string", 10: "logical vector",
    13: "integer vector", 14: "double vector", 15: "complex vector", 16: "character vector",
    17: "dots (...)", 18: "any", 19: "list", 20: "expression vector", 21: "byte code",
    22: "external pointer", 23: "weak reference", 24: "raw vector", 25: "S4 object",
    238: "ALTREP object", 239: "byte-code pairlist", 240: "byte-code language object",
    241: "base environment", 242: "empty environment", 244: "byte-code definition",
    245: "generic function reference", 246: "class reference", 247: "persistent reference",
    248: "package environment", 249: "namespace", 250: "base namespace", 251: "missing argument",
    252: "unbound value", 253: "global environment", 254: "NULL", 255: "reference",
}
_NIL, _SYM, _LIST, _LANG, _CHAR, _VEC, _S4, _ALTREP, _MISSING, _REF = 254, 1, 2, 6, 9, 19, 25, 238, 251, 255
_ATOMIC_SIZES = {10: 4, 13: 4, 14: 8, 15: 16}  # bytes per element (XDR)
_ALTREP_BASE = frozenset({"compact_intseq", "compact_realseq", "deferred_string", "wrap_integer",
                          "wrap_real", "wrap_logical", "wrap_string", "wrap_complex", "wrap_list"})
_MAX_DEPTH = 200


class _Node:
    """One serialized node: its type and, for containers, what the later check needs."""

    __slots__ = ("type", "items", "attr", "tag", "text")

    def __init__(self, t: int) -> None:
        self.type = t
        self.items: list[_Node] = []  # list elements / pairlist cells' values / S4 and ALTREP parts
        self.attr: _Node | None = None  # the attribute pairlist
        self.tag: list[str | None] = []  # pairlist tags, parallel to items
        self.text: str | None = None  # a string's or symbol's text


class _Reader:
    def __init__(self, data: bytes, where: str) -> None:
        self.buf = memoryview(data)
        self.pos = 0
        self.where = where
        self.refs: list[_Node] = []

    def fail(self, what: str) -> DataError:
        return DataError(f"{self.where}: {what}")

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise self.fail("the RDS stream is truncated or corrupt")
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out

    def int(self) -> int:
        return struct.unpack(">i", self.take(4))[0]

    def length(self) -> int:
        n = self.int()
        if n == -1:  # long vector: upper and lower 32 bits
            hi, lo = struct.unpack(">II", self.take(8))
            n = (hi << 32) + lo
        if n < 0:
            raise self.fail("the RDS stream is corrupt (negative length)")
        return n

    def refuse(self, t: int, path: str) -> DataError:
        what = _NAMES.get(t, f"unknown node type {t}")
        return self.fail(f"the RDS file holds {'an' if what[0] in 'aeiou' else 'a'} {what} at {path or 'the top level'}; "
                         "statprune loads only data (a glmnet fit's lists, vectors and sparse matrices), never code "
                         "or environments, so it refuses this file. Refit, or in R save only the fit: "
                         "saveRDS(cv.glmnet(...), file) with a family given as a string")

    def item(self, path: str, depth: int = 0) -> _Node:
        if depth > _MAX_DEPTH:
            raise self.fail("the RDS stream nests too deeply to be a glmnet fit")
        return self.item_flags(self.int(), path, depth)

    def item_flags(self, flags: int, path: str, depth: int) -> _Node:
        t = flags & 0xFF
        has_attr = bool(flags & (1 << 9))
        has_tag = bool(flags & (1 << 10))
        if t == _NIL:
            return _Node(0)
        if t == _MISSING:
            return _Node(t)
        if t == _REF:
            i = flags >> 8 or self.int()
            if not 1 <= i <= len(self.refs):
                raise self.fail("the RDS stream is corrupt (bad reference)")
            return self.refs[i - 1]
        if t == _SYM:
            node = _Node(t)
            name = self.item(path, depth + 1)
            if name.type != _CHAR:
                raise self.fail("the RDS stream is corrupt (a symbol without a name)")
            node.text = name.text
            self.refs.append(node)
            return node
        if t in (_LIST, _LANG):
            # pairlist / call: [attr] [tag] car cdr; iterate along the cdr chain
            node = _Node(t)
            cells = 0
            while True:
                if has_attr:
                    a = self.item(path, depth + 1)
                    if cells == 0:
                        node.attr = a
                    else:
                        self.check_attributes(a, path)
                tag = self.item(path, depth + 1) if has_tag else None
                if tag is not None and tag.type != _SYM:
                    raise self.refuse(tag.type, path)
                tagname = tag.text if tag is not None else None
                node.tag.append(tagname)
                node.items.append(self.item(f"{path}${tagname}" if tagname else path, depth + 1))
                flags = self.int()
                nt = flags & 0xFF
                if nt == _NIL:
                    break
                if nt != t and not (t == _LANG and nt == _LIST):
                    # a dotted pair (base R's deferred strings keep CONS(vector, info)): the cdr is an item
                    node.items.append(self.item_flags(flags, path, depth + 1))
                    node.tag.append(None)
                    break
                has_attr = bool(flags & (1 << 9))
                has_tag = bool(flags & (1 << 10))
                cells += 1
            return node
        if t == _CHAR:
            n = self.int()
            node = _Node(t)
            if n != -1:
                node.text = bytes(self.take(n)).decode("utf-8", "replace")
            if has_attr:
                self.item(path, depth + 1)  # ignored by R too
            return node
        if t in _ATOMIC_SIZES:
            n = self.length()
            self.take(n * _ATOMIC_SIZES[t])
            node = _Node(t)
        elif t == 16:  # character vector
            n = self.length()
            node = _Node(t)
            for _ in range(n):
                s = self.item(path, depth + 1)
                if s.type != _CHAR:
                    raise self.fail("the RDS stream is corrupt (a character vector element is not a string)")
                node.items.append(s)
        elif t == _VEC:
            n = self.length()
            node = _Node(t)
            for k in range(n):
                node.items.append(self.item(f"{path}[[{k + 1}]]", depth + 1))
        elif t == _S4:
            node = _Node(t)
        elif t == _ALTREP:
            info = self.item(path, depth + 1)
            cls = info.items[0].text if info.type == _LIST and info.items and info.items[0].type == _SYM else None
            pkg = info.items[1].text if info.type == _LIST and len(info.items) > 1 and info.items[1].type == _SYM else None
            if cls not in _ALTREP_BASE or pkg != "base":
                raise self.fail(f"the RDS file holds an ALTREP object of class {cls!r} from package {pkg!r} "
                                f"at {path or 'the top level'}; only base R's compact vectors are accepted")
            node = _Node(t)
            node.items.append(self.item(path, depth + 1))  # state
            node.attr = self.item(path, depth + 1)
            self.check_attributes(node.attr, path)
            return node
        else:
            raise self.refuse(t, path)
        if has_attr:
            node.attr = self.item(path, depth + 1)
            self.check_attributes(node.attr, path)
        return node

    def check_attributes(self, attr: _Node, path: str) -> None:
        if attr.type == 0:
            return
        if attr.type != _LIST:
            raise self.fail("the RDS stream is corrupt (attributes are not a pairlist)")
        for tag, value in zip(attr.tag, attr.items):
            if tag == "class":
                names = [s.text for s in value.items] if value.type == 16 else None
                bad = [c for c in (names or ["?"]) if c not in ALLOWED_CLASSES]
                if bad:
                    raise self.fail(f"the RDS file holds an R object of class {names or '?'} at "
                                    f"{path or 'the top level'}, not a cv.glmnet or glmnet fit; statprune loads "
                                    "only glmnet fits, save the result of cv.glmnet() (or glmnet()) with saveRDS() "
                                    f"(classes {', '.join(sorted(ALLOWED_CLASSES))})")


def _names_of(node: _Node) -> list[str | None]:
    if node.attr is None or node.attr.type != _LIST:
        return [None] * len(node.items)
    for tag, value in zip(node.attr.tag, node.attr.items):
        if tag == "names" and value.type == 16:
            return [s.text for s in value.items] + [None] * (len(node.items) - len(value.items))
    return [None] * len(node.items)


def _check_language(node: _Node, path: str, where: str, allowed: bool, seen: set[int]) -> None:
    """Language objects only as a list element named ``call`` (and inside such a call)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if node.type == _LANG and not allowed:
        raise DataError(f"{where}: the RDS file holds a language object (unevaluated R code) at "
                        f"{path or 'the top level'}; a glmnet fit keeps code only as its 'call', so statprune "
                        "refuses this file")
    inside = allowed or node.type == _LANG
    if node.type == _VEC:
        for name, child in zip(_names_of(node), node.items):
            _check_language(child, f"{path}${name}" if name else f"{path}[[]]", where, name == "call", seen)
    else:
        for child in node.items:
            _check_language(child, path, where, inside and node.type in (_LANG, _LIST), seen)
    if node.attr is not None:
        _check_language(node.attr, f"{path}@attributes", where, False, seen)


def check_serialized(data: bytes, where: str = "RDS file") -> None:
    """Raise :class:`~statprune.errors.DataError` unless ``data`` (R's ``serialize()`` XDR stream)
    holds only the node types of a glmnet fit.

    Examples
    --------
    A stream R wrote for ``c(1.5, 2)`` (``serialize(c(1.5, 2), NULL, version = 2)``) passes; the same
    header followed by a closure does not:

    >>> head = b"X\\n" + bytes.fromhex("00000002 00040202 00020300")
    >>> check_serialized(head + bytes.fromhex("0000000e 00000002 3ff8000000000000 4000000000000000"))
    >>> check_serialized(head + bytes.fromhex("00000003"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    statprune.errors.DataError: RDS file: the RDS file holds a closure (function) at the top level; ...
    """
    r = _Reader(data, where)
    magic = bytes(r.take(2))
    if magic != b"X\n":
        kind = {b"A\n": "ASCII (saveRDS(ascii = TRUE))", b"B\n": "native binary"}.get(magic)
        raise DataError(f"{where}: " + (f"the RDS file is in R's {kind} format; save it with saveRDS(fit, file) "
                                        "(the default XDR format)" if kind else
                                        "not an RDS file (no R serialization header after decompression)"))
    version = r.int()
    r.int()  # writer's R version
    r.int()  # oldest R that can read it
    if version == 3:
        r.take(r.int())  # native encoding name
    elif version != 2:
        raise DataError(f"{where}: R serialization version {version} is not supported (2 and 3 are)")
    root = r.item("")
    _check_language(root, "", where, False, set())


def _decompress(raw: bytes, where: str) -> bytes:
    try:
        if raw[:2] == b"\x1f\x8b":
            return gzip.decompress(raw)
        if raw[:3] == b"BZh":
            return bz2.decompress(raw)
        if raw[:6] == b"\xfd7zXZ\x00":
            return lzma.decompress(raw)
    except (OSError, EOFError, ValueError, lzma.LZMAError) as exc:
        raise DataError(f"{where}: the RDS file's compressed data is corrupt ({exc})") from None
    return raw


def checked_rds_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read the RDS file at ``path``, decompress it, check it with :func:`check_serialized`, and return
    the serialized stream for R's ``unserialize()``.

    Raises
    ------
    DataError
        Not an RDS file, or it holds anything a glmnet fit does not (the message names it).
    """
    p = os.fspath(path)
    where = f"RDS file {p!r}"
    with open(p, "rb") as fh:
        raw = fh.read()
    data = _decompress(raw, where)
    check_serialized(data, where)
    return data
