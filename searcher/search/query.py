"""The query language: a user's query string parsed once into searcher's query tree (engine/query.py).

The syntax is Lucene's, as Whoosh's default parser reads it (and as this project has documented it):
words; "a phrase" (with ~N slop); 'a quoted word'; field:word for the fields of QUERY_FIELDS
(`topic:` is `topics:`; an unknown field is text); word*, w?rd (wildcards); word~ and word~2/3
(fuzzy); [a TO b] and {a TO b} ranges; word^2 (boost); AND, OR, NOT, ANDNOT, ANDMAYBE, REQUIRE;
parentheses; *:* for everything. Odd input is never an error: an unbalanced quote is text, a stray
parenthesis is ignored, an operator with nothing to apply to is dropped.

Parsing runs as Whoosh's does, so queries keep their meaning: the string is cut into syntax tokens
(the first pattern of TOKENS to match at a position wins; the text between matches is a word),
then passes (groups, boosts, fuzzy terms, wildcards, fields, operators) rearrange them into a tree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from searcher.analysis import news_analyzer, one_term
from searcher.analysis import words as analysis_words
from searcher.engine import query as q
from searcher.errors import QueryError

# Longest query accepted (a pasted article); its distinct words are what a search costs.
MAX_QUERY_CHARS = 20_000
MAX_QUERY_WORDS = 1_000
# A query of more words than this, or one that ends like a sentence, is prose: a question or a pasted
# paragraph, read as plain words. Syntax in it is punctuation ("science?", "(the ?slip? effect)",
# "methods -dash exact"), except topic: and date: filters.
PROSE_MIN_WORDS = 13
SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*\s*$")
# "-word" or -"a phrase" excludes articles; a "-" inside a word ("S-400") does not.
EXCLUDED_WORD = re.compile(r'(?:^|(?<=\s))-("[^"]+"|[^\s"()\-][^\s"()]*)')
# "S 400" in a query means the model S400 (the analyzer joins it in articles too).
SPACED_MODEL = re.compile(r"(?<![^\W_])([B-HJ-Z]) (\d{2,4})(?![^\W_])")
# A query with any of these is written in the query language; ranking bonuses are for plain words.
QUERY_SYNTAX = re.compile(r'["():*?~\[\]{}^]|(?:^|\s)[-+]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')
# A filter clause in a query's text (topic, date, site, path), so that the words around it still
# earn ranking bonuses.
FILTER_CLAUSE = re.compile(r'(?:^|(?<=\s))(?:topics?|date|site|url|path):(?:\[[^\]]*\]|"[^"]*"|\S+)', re.IGNORECASE)


def parse_query(text: str, match: str = "any") -> q.SearchQuery:
    """The meaning of a user's query string; raises QueryError when nothing in it is searchable."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    text = join_spaced_models(text)
    prose = is_prose(text)
    tree = prose_tree(text, match) if prose else query_tree(text, match)
    if tree is None:
        raise QueryError("the query has no words to search for (only stopwords or operators)")
    words, filters = split_filters(tree)
    positive, excluded = (words.positive, words.negative) if isinstance(words, q.AndNot) else (words, None)
    plain = FILTER_CLAUSE.sub(" ", text)
    stems = distinct_stems(plain) if prose else plain_stems(plain)
    return q.SearchQuery(positive, filters, excluded, tuple(stems))


def describe_query(text: str, match: str = "any") -> str:
    """What a query string is read as, in one line for `searcher -v search`: its mode, its words (with
    how often each is said), filters and exclusions."""
    parsed = parse_query(text, match)
    parts = [("prose: its words only" if is_prose(join_spaced_models(text)) else "keywords and syntax"),
             f"words {_shown(parsed.words)}"]  # fmt: skip
    if parsed.filters:
        parts.append("filters " + " and ".join(_shown(f) for f in parsed.filters))
    if parsed.excluded is not None:
        parts.append(f"excluding {_shown(parsed.excluded)}")
    return "; ".join(parts)


def _shown(query: q.Query) -> str:
    """A query tree as query-language text."""
    if isinstance(query, q.Word):
        field = f"{query.field}:" if query.field else ""
        return f"{field}{query.text}" + (f" (x{query.count})" if query.count > 1 else "")
    if isinstance(query, q.Phrase):
        return f'{query.field + ":" if query.field else ""}"{query.text}"'
    if isinstance(query, q.Prefix):
        return f"{query.text}*"
    if isinstance(query, q.Wildcard):
        return query.text
    if isinstance(query, q.Fuzzy):
        return f"{query.text}~{query.distance}"
    if isinstance(query, q.Range):
        return f"{query.field}:[{query.start or ''} to {query.end or ''}]"
    if isinstance(query, q.Everything):
        return "*:*"
    if isinstance(query, q.Not):
        return f"NOT {_shown(query.clause)}"
    if isinstance(query, q.All | q.Any):
        joined = (" AND " if isinstance(query, q.All) else " OR ").join(_shown(c) for c in query.clauses)
        return f"({joined})"
    names = {q.AndNot: "ANDNOT", q.AndMaybe: "ANDMAYBE", q.Require: "REQUIRE"}
    return f"({_shown(query[0])} {names[type(query)]} {_shown(query[1])})"


def is_prose(text: str) -> bool:
    """Whether a query reads as a sentence or a paragraph rather than as keywords and syntax."""
    return bool(SENTENCE_END.search(text)) or len(text.split()) >= PROSE_MIN_WORDS


def prose_tree(text: str, match: str = "any") -> q.Query | None:
    """A question or a pasted paragraph as its plain words, each counted as often as it is said
    (BM25 weighs a word by its frequency in the query, as in the text), with its topic and date
    filters kept."""
    filters = [normalize(parse(clause.group(0), match)) for clause in FILTER_CLAUSE.finditer(text)]
    counted: dict[tuple[str, ...], list] = {}
    for word in analysis_words(FILTER_CLAUSE.sub(" ", text)):
        stems = tuple(token.text for token in news_analyzer()(word, mode="query"))
        if stems:
            counted.setdefault(stems, [word, 0])[1] += 1
    if len(counted) > MAX_QUERY_WORDS:
        raise QueryError(f"the query has {len(counted):,} distinct words; the limit is {MAX_QUERY_WORDS:,}")
    clauses = [q.Word(word, count=count) for word, count in counted.values()]
    clauses += [clause for clause in filters if clause is not None]
    if not clauses:
        return None
    return _normalized_group((q.All if match == "all" else q.Any)(tuple(clauses)))


def distinct_stems(text: str) -> list[str]:
    """The distinct stems of a text's words, in order."""
    return list(dict.fromkeys(token.text for token in news_analyzer()(text)))


def query_tree(text: str, match: str = "any") -> q.Query | None:
    """The whole query as one tree: its clauses, less its "-word" exclusions; None when nothing
    in it is searchable. `match` "all" requires every clause, "any" at least one."""
    excluded = [m.group(1) for m in EXCLUDED_WORD.finditer(text)]
    tree = normalize(parse(EXCLUDED_WORD.sub(" ", text), match))
    if excluded and tree is not None:
        # Exclusions that are only stopwords exclude nothing (an empty group), but are still exclusions.
        negative = normalize(parse(" ".join(excluded), "any"))
        tree = q.AndNot(tree, q.Any(()) if negative is None else negative)
    return None if tree is None else lift_negations(tree)


def join_spaced_models(text: str) -> str:
    """ "S 400" becomes "S400", so a spaced model number is one term, as in indexed text."""
    return SPACED_MODEL.sub(r"\1\2", text)


def plain_stems(text: str) -> list[str]:
    """The distinct stems of a query of plain words, in order; empty when it uses query syntax."""
    text = join_spaced_models(text)
    return [] if QUERY_SYNTAX.search(text) else distinct_stems(text)


def lift_negations(query: q.Query) -> q.Query:
    """ "a b NOT c" means (a OR b) AND NOT c, as in Lucene and Elasticsearch (read literally, it
    would be a OR b OR (anything without c))."""
    if isinstance(query, q.AndNot | q.AndMaybe | q.Require):
        return query.__class__(lift_negations(query[0]), lift_negations(query[1]))
    if isinstance(query, q.Any | q.All):
        query = query._replace(clauses=tuple(lift_negations(sub) for sub in query.clauses))
    if not isinstance(query, q.Any):
        return query
    negated = [sub.clause for sub in query.clauses if isinstance(sub, q.Not)]
    positive = [sub for sub in query.clauses if not isinstance(sub, q.Not)]
    if not negated or not positive:
        return query
    keep = positive[0] if len(positive) == 1 else q.Any(tuple(positive))
    return q.AndNot(keep, negated[0] if len(negated) == 1 else q.Any(tuple(negated)))


def split_filters(query: q.Query) -> tuple[q.Query, tuple[q.Query, ...]]:
    """The query's words, and its topic and date clauses as filters: `topic:acq shares` means shares
    among the acq articles (not articles about shares or in acq, with the topic scored). Clauses on
    one field are alternatives, clauses on different fields all apply. A query of filters alone is
    left whole."""
    positive, excluded = (query.positive, query.negative) if isinstance(query, q.AndNot) else (query, None)
    if not isinstance(positive, q.Any | q.All):
        return query, ()
    filters: list[q.Query] = []
    words: list[q.Query] = []
    for sub in positive.clauses:
        (filters if _is_filter(sub) else words).append(sub)
    if not filters or not words:
        return query, ()
    kept = words[0] if len(words) == 1 else positive._replace(clauses=tuple(words))
    if isinstance(positive, q.Any):
        by_field: dict[str | None, list[q.Query]] = {}
        for clause in filters:
            by_field.setdefault(q.field_of(next(q.leaves(clause))), []).append(clause)
        filters = [group[0] if len(group) == 1 else q.Any(tuple(group)) for group in by_field.values()]
    return (kept if excluded is None else q.AndNot(kept, excluded)), tuple(filters)


def _is_filter(clause: q.Query) -> bool:
    found = list(q.leaves(clause))
    return bool(found) and all(q.field_of(leaf) in q.FILTER_FIELDS for leaf in found) and not q.has_negation(clause)


# Normalizing: what the tree means once words that are only stopwords are gone, nested groups of
# one kind are one group, and a group of one clause is that clause (as Whoosh normalizes a query).

_DROPPED = object()  # a leaf with nothing to search for (a stopword): its group goes on without it


def normalize(node: _Group) -> q.Query | None:
    """The parsed syntax as a query tree; None when nothing in it is searchable."""
    built = _build(node, node.kind)
    return None if built is _DROPPED else _normalized(built)


def _normalized(query: q.Query | None) -> q.Query | None:
    if query is None or isinstance(query, q.LEAVES):
        return query
    if isinstance(query, q.Not):
        clause = _normalized(query.clause)
        return None if clause is None else q.Not(clause)
    if isinstance(query, q.AndNot | q.AndMaybe | q.Require):
        first, second = _normalized(query[0]), _normalized(query[1])
        if first is None:
            return None
        return first if second is None else query.__class__(first, second)
    return _normalized_group(query)


def _normalized_group(group: q.All | q.Any) -> q.Query | None:
    clauses: list[q.Query] = []
    for sub in map(_normalized, group.clauses):
        if isinstance(sub, group.__class__):
            clauses += [q.with_boost(inner, _boost(inner) * sub.boost) for inner in sub.clauses]
        elif sub is not None:
            clauses.append(sub)
    if any(isinstance(sub, q.Everything) for sub in clauses):
        return q.Everything()
    merged: dict[q.Query, int] = {}
    first_of_term: dict[tuple, q.Word] = {}
    for sub in clauses:  # a repeated clause is one clause (a repeated word one word, counted)
        key = sub._replace(count=1) if isinstance(sub, q.Word) else sub
        if (term := _plain_term(key)) is not None:  # "Parallel" and "parallel", "language" and "languages"
            key = first_of_term.setdefault((term, key.boost), key)
        merged[key] = merged.get(key, 0) + (sub.count if isinstance(sub, q.Word) else 1)
    unique = [key._replace(count=count) if isinstance(key, q.Word) else key for key, count in merged.items()]
    if not unique:
        return None
    if len(unique) == 1:
        only = unique[0]
        return only if group.boost == 1.0 and _boost(only) == 1.0 else q.with_boost(only, _boost(only) * group.boost)
    return group._replace(clauses=tuple(unique))


def _plain_term(query: q.Query) -> str | None:
    """A plain word's one term (what the engines search for it), so that two forms of a word said in
    one query count as the word said twice, as a prose query's words are counted; else None."""
    return one_term(query.text) if isinstance(query, q.Word) and query.field is None else None


def _boost(query: q.Query) -> float:
    return getattr(query, "boost", 1.0)


def _build(node: _Node, default: str) -> q.Query | object:
    """A syntax node's query, or _DROPPED (as Whoosh's parser turns each node into a query).
    `default` is the kind of group that plain clauses side by side make ("or" or "and")."""
    if isinstance(node, _Group):
        return _build_group(node, default)
    if isinstance(node, _Text):
        return _build_text(node, default)
    if isinstance(node, _RangeNode):
        return q.Range(node.field, node.low, node.high, node.exclude_start, node.exclude_end, node.boost)
    if isinstance(node, _Every):
        return q.Everything()
    return _DROPPED  # markers left over (a stray field name is text by now)


def _build_group(group: _Group, default: str) -> q.Query | object:
    if group.kind in _BINARY:
        first, second = (_build(sub, default) for sub in group.nodes)
        if first is _DROPPED and second is _DROPPED:
            return q.Any(())
        if first is _DROPPED or second is _DROPPED:
            return second if first is _DROPPED else first
        return _BINARY[group.kind](first, second)
    subs = [built for built in (_build(sub, default) for sub in group.nodes) if built is not _DROPPED]
    if group.kind == "not":
        return _DROPPED if not subs or _is_empty(subs[0]) else q.Not(subs[0])
    kind = q.All if group.kind == "and" else q.Any
    return kind(tuple(subs), group.boost)


def _is_empty(query: q.Query) -> bool:
    return isinstance(query, q.All | q.Any) and not query.clauses


def _build_text(node: _Text, default: str) -> q.Query | object:
    if node.kind == "word" and node.field == "topics" and "," in node.text:  # topic:acq,crude
        names = [q.Word(name.strip(), "topics", node.boost) for name in node.text.split(",") if name.strip()]
        return (q.All if default == "and" else q.Any)(tuple(names)) if len(names) > 1 else (names or [_DROPPED])[0]
    if node.kind == "word":
        if not _searchable(node.text, node.field):
            return _DROPPED
        parts = [part for part in analysis_words(node.text) if _searchable(part, node.field)]
        if len(parts) > 1 and (node.field is None or node.field in q.TEXT_FIELDS):  # "wing-flutter": its
            words = tuple(q.Word(part, node.field, node.boost) for part in parts)  # words, never a phrase
            return q.All(words) if default == "and" else q.Any(words)
        return q.Word(node.text, node.field, node.boost)
    if node.kind == "phrase":
        return q.Phrase(node.text, node.field, node.boost, node.slop)
    if node.kind == "prefix":
        return q.Prefix(node.text, node.field, node.boost)
    if node.kind == "fuzzy":
        return q.Fuzzy(node.text, node.field, node.boost, node.distance, node.prefix)
    return q.Wildcard(node.text, node.field, node.boost)


def _searchable(text: str, field_name: str | None) -> bool:
    """Whether a word gives a term to search for: in the text fields, not only stopwords."""
    if field_name is not None and field_name not in q.TEXT_FIELDS:
        return True
    return next(iter(news_analyzer()(text, mode="query")), None) is not None


# Syntax: tokens, then passes over them.


class _Node:
    """A syntax token, or a group of them. Plain classes with defaults, set by keyword: a dataclass
    compiles its methods when defined, and every `searcher search` imports this module."""

    has_field = has_text = has_boost = False
    start = end = 0

    def __init__(self, **attributes: object) -> None:
        self.__dict__.update(attributes)


class _Mark(_Node):
    kind = ""  # "space", "open", "close"


class _FieldName(_Node):
    has_field = True
    field: str | None = None
    original = ""


class _Text(_Node):
    has_field = has_text = has_boost = True
    text = ""
    kind = "word"  # "word", "phrase", "prefix", "wildcard", "fuzzy"
    field: str | None = None
    boost = 1.0
    slop = 1
    distance = 1
    prefix = 0


class _RangeNode(_Node):
    has_field = has_boost = True
    low: str | None = None
    high: str | None = None
    exclude_start = exclude_end = False
    field: str | None = None
    boost = 1.0


class _Every(_Node):
    pass


class _Operator(_Node):
    original = ""
    kind = ""  # the group it makes: "and", "or", "not", "andnot", "andmaybe", "require"


class _BoostMark(_Node):
    original = ""
    value = 1.0


class _Fuzziness(_Node):
    original = ""
    distance = 1
    prefix = 0


class _Group(_Node):
    has_boost = True
    kind = "or"  # "and", "or", "not", or a binary kind
    boost = 1.0

    def __init__(self, nodes: list[_Node] | None = None, **attributes: object) -> None:
        super().__init__(**attributes)
        self.nodes = list(nodes or [])


_BINARY: dict[str, Callable] = {"andnot": q.AndNot, "andmaybe": q.AndMaybe, "require": q.Require}


def _word(text: str, start: int, end: int) -> _Text:
    return _Text(start=start, end=end, text=text)


def _range(match: re.Match[str]) -> _RangeNode:
    start, end = match.group("start"), match.group("end")
    if start:
        start = start.rstrip()
        start = start[1:-1] if start.startswith("'") and start.endswith("'") else start
    if end:
        end = end.lstrip()
        end = end[1:-1] if end.startswith("'") and end.endswith("'") else end
    return _RangeNode(
        low=start, high=end, exclude_start=match.group("open") == "{", exclude_end=match.group("close") == "}"
    )


def _boost_mark(match: re.Match[str]) -> _Node:
    try:
        return _BoostMark(original=match.group(0), value=float(match.group("boost")))
    except ValueError:  # "^" alone, or "^." : a word
        return _Text(text=match.group(0))


def _fuzziness(match: re.Match[str]) -> _Fuzziness:
    distance, prefix = match.group("maxdist"), match.group("prefix")
    return _Fuzziness(
        original=match.group(0), distance=int(distance) if distance else 1, prefix=int(prefix) if prefix else 0
    )


def _phrase(match: re.Match[str]) -> _Text:
    slop = match.group("slop")
    return _Text(text=match.group("text"), kind="phrase", slop=int(slop) if slop else 1)


def _operator(kind: str) -> Callable[[re.Match[str]], _Operator]:
    return lambda match: _Operator(original=match.group(0), kind=kind)


# Tokens in the order they are tried at each position of the string (Whoosh's order and patterns).
TOKENS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], _Node]]] = [
    (re.compile(r"(?<=\s)ANDNOT(?=\s)"), _operator("andnot")),
    (re.compile(r"(?<=\s)ANDMAYBE(?=\s)"), _operator("andmaybe")),
    (re.compile(r"[*]:[*]"), lambda _: _Every()),
    (re.compile(r"(^|(?<=\W))'(?P<text>.*?)'(?=\s|\]|[)}]|$)"), lambda m: _Text(text=m.group("text"))),
    (re.compile(r"(?P<text>\w+|[*]):"), lambda m: _FieldName(field=m.group("text"), original=m.group(0))),
    # A "?" is a wildcard inside a word only ("wom?n"); after one it ends a question.
    (
        re.compile("(?P<text>[*]|(?<=\\w)[?\u055e\u061f\u1367](?=\\w))"),
        lambda m: _Text(text=m.group("text"), kind="wildcard"),
    ),
    (re.compile(r'"(?P<text>.*?)"(~(?P<slop>[1-9][0-9]*))?'), _phrase),
    (re.compile(r"[(]"), lambda _: _Mark(kind="open")),
    (re.compile(r"[)]"), lambda _: _Mark(kind="close")),
    (re.compile(r"(^|(?<=(\s|[()])))NOT(?=\s)"), _operator("not")),
    (re.compile(r"(?<=\s)AND(?=\s)"), _operator("and")),
    (re.compile(r"(?<=\s)OR(?=\s)"), _operator("or")),
    (re.compile(r"(^|(?<=\s))REQUIRE(?=\s)"), _operator("require")),
    (re.compile(r"\^(?P<boost>[0-9]*(\.[0-9]+)?)($|(?=[ \t\r\n)]))"), _boost_mark),
    (re.compile(r"(?<=\S)~(?P<maxdist>[0-9])?(/(?P<prefix>[1-9][0-9]*))?"), _fuzziness),
    (
        re.compile(
            r"(?P<open>\{|\[)(?P<start>('[^']*?'\s+)|([^\]}]+?(?=[Tt][Oo])))?[Tt][Oo]"
            r"(?P<end>(\s+'[^']*?')|([^\]}]+?))?(?P<close>}|])"
        ),
        _range,
    ),
    (re.compile(r"\s+"), lambda _: _Mark(kind="space")),
]
WILDCARD_MARKS = "?\u055e\u061f\u1367"
# Operators are applied kind by kind, in this order, each left to right.
OPERATOR_ORDER = ("not", "and", "or", "andnot", "andmaybe", "require")


def parse(text: str, match: str = "any") -> _Group:
    """The syntax tree of a query string (before normalizing); groups are AND for match "all"."""
    default = "and" if match == "all" else "or"
    group = _groups(_tokens(text, default), default)
    group = _words_for_stray_boosts(group)
    group = _fuzzy_terms(group)
    group = _wildcards(group)
    group = _aliases(group)
    group = _fields(group)
    group = _without_spaces(group)
    group = _boosts(group)
    return _operators(group)


def _tokens(text: str, default: str) -> list[_Node]:
    """Syntax tokens in order; the text between them is words."""
    found: list[_Node] = []
    position = previous = 0
    while position < len(text):
        for pattern, make in TOKENS:
            matched = pattern.match(text, position)
            if matched:
                node = make(matched)
                node.start, node.end = matched.start(), matched.end()
                if previous < position:
                    found.append(_word(text[previous:position], previous, position))
                found.append(node)
                previous = position = node.end
                break
        else:
            position += 1
    if previous < len(text):
        found.append(_word(text[previous:], previous, len(text)))
    return found


def _groups(tokens: list[_Node], default: str) -> _Group:
    """Parentheses made into groups; an unclosed group is read as if it had no parenthesis."""
    stack = [_Group(kind=default)]
    for node in tokens:
        if isinstance(node, _Mark) and node.kind == "open":
            stack.append(_Group(kind=default))
        elif isinstance(node, _Mark) and node.kind == "close":
            if len(stack) > 1:
                last = stack.pop()
                stack[-1].nodes.append(last)
        else:
            stack[-1].nodes.append(node)
    top = stack[0]
    for unclosed in stack[1:]:
        top.nodes.extend(unclosed.nodes)
    if len(top.nodes) == 1 and isinstance(top.nodes[0], _Group):
        inner = top.nodes[0]
        inner.boost = top.boost
        return inner
    return top


def _to_word(node: _Node) -> _Text:
    return _word(getattr(node, "original", ""), node.start, node.end)


def _words_for_stray_boosts(group: _Group) -> _Group:
    """A boost with nothing before it to boost (first, or after a space) is a word (top level only)."""
    for i, node in enumerate(group.nodes):
        if isinstance(node, _BoostMark) and (not i or not group.nodes[i - 1].has_boost):
            group.nodes[i] = _to_word(node)
    return group


def _fuzzy_terms(group: _Group) -> _Group:
    """word~2/3: a fuzzy term; a tilde after anything else is a word."""
    nodes: list[_Node] = []
    i = 0
    while i < len(group.nodes):
        node = group.nodes[i]
        following = group.nodes[i + 1] if i + 1 < len(group.nodes) else None
        if isinstance(node, _Text) and node.kind == "word" and isinstance(following, _Fuzziness):
            node = _Text(start=node.start, end=node.end, text=node.text, kind="fuzzy", field=node.field,
                         boost=node.boost, distance=following.distance, prefix=following.prefix)  # fmt: skip
            i += 1
        if isinstance(node, _Fuzziness):
            node = _to_word(node)
        if isinstance(node, _Group):
            node = _fuzzy_terms(node)
        nodes.append(node)
        i += 1
    group.nodes = nodes
    return group


def _wildcards(group: _Group) -> _Group:
    """A wildcard mark joined to the text around it; a pattern ending in its only `*` is a prefix."""
    nodes = group.nodes
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if _is_wildcard(node):
            if i < len(nodes) - 1 and _is_plain_text(nodes[i + 1]):
                node.text += nodes.pop(i + 1).text
            if i > 0 and _is_plain_text(nodes[i - 1]):
                node.text = nodes.pop(i - 1).text + node.text
            else:
                i += 1
        else:
            if isinstance(node, _Group):
                _wildcards(node)
            i += 1
    for node in nodes:
        text = node.text if _is_wildcard(node) else ""
        if len(text) > 1 and not any(mark in text for mark in WILDCARD_MARKS) and text.find("*") == len(text) - 1:
            node.kind, node.text = "prefix", text[:-1]
    return group


def _is_wildcard(node: _Node) -> bool:
    return isinstance(node, _Text) and node.kind == "wildcard"


def _is_plain_text(node: _Node) -> bool:
    """Text a wildcard absorbs: Whoosh's is_text() holds for every text node (words, phrases...)."""
    return isinstance(node, _Text)


def _aliases(group: _Group) -> _Group:
    for node in group.nodes:
        if isinstance(node, _Group):
            _aliases(node)
        elif node.has_field and getattr(node, "field", None) in q.FIELD_ALIASES:
            node.field = q.FIELD_ALIASES[node.field]
    return group


def _fields(group: _Group) -> _Group:
    """field:clause applied to the clause after it; an unknown field name is text."""
    kept: list[_Node] = []
    unknown: _FieldName | None = None
    for node in group.nodes:
        if isinstance(node, _FieldName) and node.field not in q.QUERY_FIELDS:
            unknown = node
            continue
        if unknown is not None:
            if node.has_text:
                node.text = unknown.original + node.text
            else:
                kept.append(_to_word(unknown))
            unknown = None
        kept.append(node)
    if unknown is not None:
        kept.append(_to_word(unknown))
    applied: list[_Node] = []
    i = len(kept)
    while i > 0:
        i -= 1
        node = kept[i]
        if isinstance(node, _FieldName):
            node = _to_word(node)
        elif isinstance(node, _Group):
            node = _fields(node)
        if i > 0 and not (isinstance(node, _Mark) and node.kind == "space") and isinstance(kept[i - 1], _FieldName):
            _set_field(node, kept[i - 1].field)
            i -= 1
        applied.append(node)
    applied.reverse()
    group.nodes = applied
    return group


def _set_field(node: _Node, name: str | None) -> None:
    if isinstance(node, _Group):
        for sub in node.nodes:
            _set_field(sub, name)
    elif node.has_field and node.field is None:
        node.field = name


def _without_spaces(group: _Group) -> _Group:
    group.nodes = [
        _without_spaces(node) if isinstance(node, _Group) else node
        for node in group.nodes
        if not (isinstance(node, _Mark) and node.kind == "space")
    ]
    return group


def _boosts(group: _Group) -> _Group:
    """word^2: the boost applies to the clause before it; a boost after anything else is a word."""
    nodes: list[_Node] = []
    for node in group.nodes:
        if isinstance(node, _Group):
            node = _boosts(node)
        elif isinstance(node, _BoostMark):
            if nodes and nodes[-1].has_boost:
                if not 0 < node.value < math.inf:  # ^0 would drop the clause's matches, and divide by zero
                    shown = node.original if len(node.original) <= 12 else node.original[:11] + "…"
                    raise QueryError(f"a boost must be a positive number: {shown!r} is not")
                nodes[-1].boost = node.value
                continue
            node = _to_word(node)
        nodes.append(node)
    group.nodes = nodes
    return group


def _operators(group: _Group) -> _Group:
    """NOT x, x AND y, x OR y, x ANDNOT y, x ANDMAYBE y, x REQUIRE y, kind by kind, left to right."""
    nodes = group.nodes
    for kind in OPERATOR_ORDER:
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, _Operator) and node.kind == kind:
                i = _apply_operator(nodes, i)
            else:
                i += 1
    for i, node in enumerate(nodes):
        if isinstance(node, _Group):
            nodes[i] = _operators(node)
    return group


def _apply_operator(nodes: list[_Node], i: int) -> int:
    operator = nodes[i]
    if operator.kind == "not":  # prefix: the clause after it
        length = len(nodes)
        del nodes[i]
        if i < length - 1:
            nodes[i] = _Group(kind="not", nodes=[nodes[i]])
        return i
    if 0 < i < len(nodes) - 1:  # infix: the clauses either side
        left, right = nodes[i - 1], nodes[i + 1]
        if operator.kind in ("and", "or") and isinstance(left, _Group) and left.kind == operator.kind:
            left.nodes.append(right)
            del nodes[i : i + 2]
        else:
            nodes[i - 1 : i + 2] = [_Group(kind=operator.kind, nodes=[left, right])]
    else:
        del nodes[i]
    return i
