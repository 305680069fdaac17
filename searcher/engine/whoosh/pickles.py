"""An index folder is data, never code: what Whoosh unpickles from it is restricted to the few
types an index of searcher's holds.

Whoosh keeps its table of contents (the schema, the list of segments) and some per-document data as
pickles, and unpickling runs whatever callable a pickle names. People share prebuilt indexes and keep
them on shared drives, so a planted table of contents could run code on the next search. searcher
opens its indexes with its own schema (Whoosh then skips the pickled one) and, for every other
pickle Whoosh reads, admits only ALLOWED: anything else is refused, as a damaged index.
"""

from __future__ import annotations

import io
import pickle
from typing import BinaryIO

# What the pickles of a searcher index are made of (Whoosh 2.7's W3 codec): its segment and codec
# records, and the plain values inside them and inside stored fields.
ALLOWED = frozenset({
    ("whoosh.codec.whoosh3", "W3Codec"),
    ("whoosh.codec.whoosh3", "W3Segment"),
    ("builtins", "int"), ("builtins", "float"), ("builtins", "complex"), ("builtins", "str"),
    ("builtins", "bytes"), ("builtins", "bytearray"), ("builtins", "list"), ("builtins", "tuple"),
    ("builtins", "dict"), ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "object"),
    ("collections", "defaultdict"), ("collections", "OrderedDict"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("_codecs", "encode"),  # protocol 2 writes bytes as _codecs.encode(text, "latin1")
    ("copyreg", "_reconstructor"),  # builds an instance of a class that itself passes this check
})  # fmt: skip


class ForbiddenPickle(pickle.UnpicklingError):
    """A pickle in the index names something no searcher index holds."""


class _Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in ALLOWED:
            raise ForbiddenPickle(f"the index names {module}.{name}, which no searcher index holds")
        return super().find_class(module, name)


def load(file: BinaryIO) -> object:
    """pickle.load, admitting only ALLOWED."""
    return _Restricted(file).load()


def loads(data: bytes) -> object:
    """pickle.loads, admitting only ALLOWED."""
    return _Restricted(io.BytesIO(data)).load()


class _PickleModule:
    """The pickle module as whoosh.index uses it (to read old tables of contents), restricted."""

    loads = staticmethod(loads)
    load = staticmethod(load)
    dumps = staticmethod(pickle.dumps)
    dump = staticmethod(pickle.dump)
    PicklingError = pickle.PicklingError
    UnpicklingError = pickle.UnpicklingError


def restrict_whoosh() -> None:
    """Points every place Whoosh 2.7 unpickles index data at the restricted unpickler. Whoosh took
    the functions by name when imported (`from whoosh.compat import loads`), so each of those
    modules' names is replaced (pinned whoosh-reloaded 2.7.5; its older codecs, filedb.misc and the
    legacy filedb.fileindex cannot even be imported, so no index can reach them)."""
    import whoosh.codec.whoosh3
    import whoosh.columns
    import whoosh.filedb.structfile
    import whoosh.formats
    import whoosh.index

    whoosh.filedb.structfile.load_pickle = load  # StructFile.read_pickle: segments, block infos, compound files
    for module in (whoosh.codec.whoosh3, whoosh.columns, whoosh.formats):
        module.loads = loads  # stored fields, inlined postings, pickled columns and values
    whoosh.index.pickle = _PickleModule  # the schema, when a table of contents is read without ours
