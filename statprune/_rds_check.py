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
* ``class`` attributes only from glmnet's own classes (:data:`ALLOWED_CLASSES`);
* an R family object (``cv.glmnet(x, y, family = binomial(link = "probit"))`` keeps
  ``binomial(link = "probit")`` as ``glmnet.fit$family``): a list element named ``family``
  of class ``"family"``. Its closures are never loaded: the checker steps over them without
  building anything, verifies that the ``family`` and ``link`` strings name one of R's own
  families and one of its links (and, for ``MASS::negative.binomial``, reads theta, a
  number, from its environment), and replaces the object in the stream by those strings;
  R then rebuilds the family by calling R's own function (``spg_rebuild_families``).

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
import math
import os
import struct

from ._glmnet.families import FAMILY_LINKS
from .errors import DataError
from .errors import RDSRefused as _Refused

__all__ = ["ALLOWED_CLASSES", "checked_rds_bytes", "check_serialized", "sanitized_stream"]

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
        #: R family objects found: (start, end, replacement stream) of each
        self.families: list[tuple[int, int, bytes]] = []

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
        return _Refused(f"{self.where}: "
                        f"the RDS file holds {'an' if what[0] in 'aeiou' else 'a'} {what} at {path or 'the top level'}; "
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
            if self.refs[i - 1].type != _SYM:  # e.g. an environment of a skimmed family object
                raise self.refuse(self.refs[i - 1].type, path)
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
            pending: list[tuple[int, _Refused, _Node | None, int, int, list[_Node], list[float]]] = []
            for k in range(n):
                start, nrefs = self.pos, len(self.refs)
                try:
                    node.items.append(self.item(f"{path}[[{k + 1}]]", depth + 1))
                except _Refused as exc:
                    # maybe an R family object (binomial(link = "probit")): skim it, decide once the names are
                    # read; anything else is refused after this list's own class is checked (an lm's terms
                    # hold an environment, but "not a glmnet fit" is what its reader needs to hear)
                    self.pos = start
                    del self.refs[nrefs:]
                    is_list = self.int() & 0xFF == _VEC
                    self.pos = start
                    skim = _Skimmer(self)
                    try:
                        fam = skim.item(depth + 1)
                    except DataError:
                        raise exc from None
                    pending.append((k, exc, fam if is_list else None, start, self.pos, self.refs[nrefs:], skim.theta))
                    node.items.append(_Node(0))  # replaced before R sees it: nothing to check inside
            if has_attr:
                node.attr = self.item(path, depth + 1)
                if not path:  # the file's own object: a foreign class says most (an lm is not a glmnet fit)
                    self.check_attributes(node.attr, path)
            names = _names_of(node)
            for k, exc, fam, start, end, defined, thetas in pending:
                if fam is None or names[k] != "family":
                    raise exc
            if has_attr and path:
                self.check_attributes(node.attr, path)
            for k, exc, fam, start, end, defined, thetas in pending:
                stub = _family_stub(fam, thetas, defined, f"{path}$family", self.where)
                self.families.append((start, end, stub))
            return node
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
                    raise _Refused(f"{self.where}: the RDS file holds an R object of class {names or '?'} at "
                                    f"{path or 'the top level'}, not a cv.glmnet or glmnet fit; statprune loads "
                                    "only glmnet fits, save the result of cv.glmnet() (or glmnet()) with saveRDS() "
                                    f"(classes {', '.join(sorted(ALLOWED_CLASSES))})")


# --------------------------------------------------------------------------- R family objects
#: the family/link strings of an R family object statprune rebuilds (R's own family functions);
#: MASS::negative.binomial(theta)'s family string is "Negative Binomial(<theta>)"
_FAMILY_OBJECT_LINKS = {f: FAMILY_LINKS[f] for f in ("gaussian", "binomial", "quasibinomial", "poisson",
                                                      "quasipoisson", "Gamma", "inverse.gaussian",
                                                      "negative.binomial")}
_PAIRS = (_LIST, _LANG, 3, 5, 17)  # pairlist-shaped: closure, promise, dots too
_BCREPDEF, _BCREPREF, _ATTRLANG, _ATTRLIST, _BCODE = 244, 243, 240, 239, 21


class _Skimmer:
    """Reads (never builds, never runs) any node of R's format, to step over an R family object.

    A family object (``binomial(link = "probit")``) holds closures, their environments and byte
    code. The skimmer parses them only to find where the object ends and which references it
    defines; it keeps the strings, the length-one doubles and the pairlist bindings that
    :func:`_family_stub` reads (``family``, ``link``, ``.Theta``). What it read is replaced in the
    stream before R sees it.
    """

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.theta: list[float] = []  # every `.Theta` binding (MASS::negative.binomial's environments)

    def ref(self, node: _Node) -> _Node:
        self.r.refs.append(node)
        return node

    def item(self, depth: int) -> _Node:
        return self.flags(self.r.int(), depth)

    def strings(self, depth: int) -> None:  # InStringVec
        self.r.int()
        for _ in range(self.r.length()):
            self.item(depth + 1)

    def flags(self, flags: int, depth: int) -> _Node:
        r = self.r
        if depth > 4 * _MAX_DEPTH:
            raise r.fail("the RDS stream nests too deeply to be a glmnet fit")
        t = flags & 0xFF
        has_attr, has_tag = bool(flags & (1 << 9)), bool(flags & (1 << 10))
        if t in (_NIL, 241, 242, 250, 251, 252, 253):  # NULL, base/empty env, base namespace, markers
            return _Node(0 if t == _NIL else t)
        if t == _REF:
            i = flags >> 8 or r.int()
            if not 1 <= i <= len(r.refs):
                raise r.fail("the RDS stream is corrupt (bad reference)")
            return r.refs[i - 1]
        if t in (247, 248, 249):  # persistent reference, package environment, namespace
            self.strings(depth)
            return self.ref(_Node(t))
        if t == _SYM:
            node = _Node(t)
            node.text = self.item(depth + 1).text
            return self.ref(node)
        if t == 4:  # environment: locked, then (referenced first) enclos, frame, hashtab, attributes
            r.int()
            node = self.ref(_Node(t))
            for _ in range(4):
                self.item(depth + 1)
            return node
        if t in _PAIRS:
            node = _Node(t)
            while True:
                if has_attr:
                    self.item(depth + 1)
                tag = self.item(depth + 1) if has_tag else None
                car = self.item(depth + 1)
                if tag is not None and tag.type == _SYM:
                    node.tag.append(tag.text)
                    node.items.append(car)
                    if tag.text == ".Theta" and car.type == 14 and car.text is not None:
                        self.theta.append(float(car.text))
                flags = r.int()
                if flags & 0xFF not in _PAIRS:
                    self.flags(flags, depth + 1)
                    return node
                has_attr, has_tag = bool(flags & (1 << 9)), bool(flags & (1 << 10))
        if t == _ALTREP:
            for _ in range(3):
                self.item(depth + 1)
            return _Node(t)
        node = _Node(t)
        if t == 22:  # external pointer: referenced, then protected value and tag
            self.ref(node)
            self.item(depth + 1)
            self.item(depth + 1)
        elif t == 23:  # weak reference
            self.ref(node)
        elif t in (7, 8):  # special / builtin: its name
            r.take(r.int())
        elif t == _CHAR:
            n = r.int()
            if n != -1:
                node.text = bytes(r.take(n)).decode("utf-8", "replace")
            return node
        elif t in _ATOMIC_SIZES:
            n = r.length()
            raw = r.take(n * _ATOMIC_SIZES[t])
            if t == 14 and n == 1:
                node.text = repr(struct.unpack(">d", raw)[0])
        elif t == 24:  # raw vector
            r.take(r.length())
        elif t in (16, _VEC, 20):
            for _ in range(r.length()):
                node.items.append(self.item(depth + 1))
        elif t == _BCODE:
            reps = r.int()
            if reps < 0:
                raise r.fail("the RDS stream is corrupt (byte code)")
            self.bytecode(depth + 1)
        elif t != _S4:
            raise r.fail(f"the RDS stream is corrupt or from a newer R (node type {t})")
        if has_attr:
            node.attr = self.item(depth + 1)
        return node

    def bytecode(self, depth: int) -> None:  # ReadBC1: code, then the constants
        self.item(depth)
        for _ in range(self.r.int()):
            t = self.r.int()
            if t == _BCODE:
                self.bytecode(depth + 1)
            elif t in (_LANG, _LIST, _BCREPDEF, _BCREPREF, _ATTRLANG, _ATTRLIST):
                self.bclang(t, depth + 1)
            else:
                self.item(depth + 1)

    def bclang(self, t: int, depth: int) -> None:  # ReadBCLang
        r = self.r
        if depth > 4 * _MAX_DEPTH:
            raise r.fail("the RDS stream nests too deeply to be a glmnet fit")
        if t == _BCREPREF:
            r.int()
            return
        if t not in (_LANG, _LIST, _BCREPDEF, _ATTRLANG, _ATTRLIST):
            self.item(depth)
            return
        if t == _BCREPDEF:
            r.int()
            t = r.int()
        if t in (_ATTRLANG, _ATTRLIST):
            self.item(depth)
        self.item(depth)  # tag
        self.bclang(r.int(), depth + 1)  # car
        self.bclang(r.int(), depth + 1)  # cdr


def _text(node: _Node | None) -> str | None:
    if node is not None and node.type == 16 and len(node.items) == 1:
        return node.items[0].text
    return None


def _char(text: str) -> bytes:
    b = text.encode("utf-8")
    return struct.pack(">ii", 0x00040009 if text.isascii() else 0x00008009, len(b)) + b


def _family_stub(fam: _Node, thetas: list[float], refs: list[_Node], path: str, where: str) -> bytes:
    """Check a skimmed R family object and return what R reads in its place.

    Only ``class = "family"`` objects whose ``family`` string is one of R's (or MASS's) family
    functions and whose ``link`` is one of that family's links are accepted; anything else raises
    :class:`~statprune.errors.DataError`. The replacement is the list
    ``list("statprune:family", c(family, link), theta, list(<one placeholder per reference>))``:
    the strings only, which ``spg_rebuild_families`` (r_scripts/bridge/glmnet.R) turns back into
    the family by calling R's own function (``binomial(link = "probit")``); the placeholders (the
    symbols again, an empty environment for each environment) keep the stream's reference
    numbers, so references after the object still point where they did.
    """
    def bad(why: str) -> DataError:
        return DataError(f"{where}: the R family object at {path} {why}; statprune rebuilds only R's own "
                         f"families ({', '.join(_FAMILY_OBJECT_LINKS)}) from their names and never runs a "
                         "family's functions, so it refuses this file")

    if fam.type != _VEC:
        raise bad("is not a list")
    cls = [s.text for s in fam.attr.items[fam.attr.tag.index("class")].items] \
        if fam.attr is not None and fam.attr.type == _LIST and "class" in fam.attr.tag else []
    if cls != ["family"]:
        raise bad(f"has class {cls}, not 'family'")
    named = dict(zip(_names_of(fam), fam.items))
    family, link = _text(named.get("family")), _text(named.get("link"))
    theta = math.nan
    name = family
    if family is not None and family.startswith("Negative Binomial(") and family.endswith(")"):
        name = "negative.binomial"
        found = set(thetas)
        if len(found) != 1 or not all(math.isfinite(v) and v > 0 for v in found):
            raise bad("is a negative binomial family without one positive theta (.Theta)")
        theta = found.pop()
    if name not in _FAMILY_OBJECT_LINKS:
        raise bad(f"names family {family!r}")
    if link not in _FAMILY_OBJECT_LINKS[name]:
        raise bad(f"names link {link!r}, not one of {name}'s links ({', '.join(_FAMILY_OBJECT_LINKS[name])})")
    out = struct.pack(">ii", _VEC, 4)
    out += struct.pack(">ii", 16, 1) + _char("statprune:family")
    out += struct.pack(">ii", 16, 2) + _char(family) + _char(link)
    out += struct.pack(">ii", 14, 1) + (struct.pack(">d", theta) if math.isfinite(theta)
                                         else bytes.fromhex("7ff00000000007a2"))  # R's NA_real_
    out += struct.pack(">ii", _VEC, len(refs))
    for node in refs:
        if node.type == _SYM:
            out += struct.pack(">i", _SYM) + _char(node.text or "")
        else:  # an empty environment: new.env(parent = emptyenv()), nothing in it
            out += struct.pack(">iiiiii", 4, 0, 242, _NIL, _NIL, _NIL)
    return out


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
    _check(data, where)


def _check(data: bytes, where: str) -> _Reader:
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
    try:
        root = r.item("")
    except _Refused as exc:  # nothing above it to accept it as a family object
        raise DataError(str(exc)) from None
    _check_language(root, "", where, False, set())
    return r


def sanitized_stream(data: bytes, where: str = "RDS file") -> bytes:
    """``data`` checked by :func:`check_serialized`, with each R family object replaced by its
    strings (:func:`_family_stub`): the stream R may deserialize."""
    r = _check(data, where)
    out = bytes(data)
    for start, end, stub in sorted(r.families, reverse=True):  # a nested list's family is found first
        out = out[:start] + stub + out[end:]
    return out


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
    return sanitized_stream(_decompress(raw, where), where)
