"""Full-text search over methodological materials, in Russian and Kazakh, on SQLite and on PostgreSQL.

Words are reduced to a dictionary form before they are indexed and before they are looked for, so
"библиотекам" finds "библиотека" and "кітапханаларға" finds "кітапхана":

- a Russian word by pymorphy3 (its normal form);
- a Kazakh word (one with a letter only Kazakh has, or one pymorphy does not know that ends in a Kazakh
  plural or case ending) by a small table of plural, possessive and case endings stripped from its end.

`Material.search_text` holds those forms for the title (twice, so that a word of the title weighs more),
the description, audience, authors and the text of the file. The index over it:

- SQLite: the FTS5 table `assistance_material_fts` (rowid = material id), written by `index_material`
  from the services, ranked by bm25;
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)` (the forms are already normalised, so
  the `simple` configuration is right for both languages), ranked by ts_rank.

One interface for both:

    found = search_materials(materials_visible(user), "библиотекам онлайн-центров")   # ranked queryset
    for m in found[:20]: m.rank
    attach_snippets(page, q)   # m.snippet and m.title_html: HTML, the matched words in <mark>
"""

import re
from functools import cache, lru_cache

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FTS_TABLE = "assistance_material_fts"
# The index reads this many characters of normalised words: PostgreSQL keeps a tsvector under 1 MB.
MAX_SEARCH_TEXT = 300_000
MAX_QUERY = 200
MAX_TERMS = 12
SNIPPET_WORDS = 30
SNIPPET_SCAN = 400_000  # characters of a file's text looked through for the snippet

WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_WHITESPACE = re.compile(r"\s+")

# Words a query may leave out: conjunctions and prepositions would only demand to be present.
_STOP_WORDS_RU = "и в во на по с со к ко о об от до для из за у не а но или как что это"
_STOP_WORDS_KK = "және мен бен пен үшін да де та те"
STOP_WORDS = frozenset(f"{_STOP_WORDS_RU} {_STOP_WORDS_KK} the of and".split())


# --- Kazakh ---------------------------------------------------------------------------------------------
#
# A noun is stem + plural + possessive + case. The endings are stripped from the outside in, one of each
# layer at most, the longest that fits where it can follow what is left: т/қ-endings follow consonants,
# н-endings vowels, and some endings only a possessive (кітапханасы-на, -н, -нда), so "кітапхана" keeps its
# "-на". Whatever is left is stripped again until nothing changes, so every form of a word ends at the same
# stem (it may be shorter than the dictionary form: only forms of one word need to meet).

# у and и count as consonants here: Kazakh writes a glide with them (оқу → оқуы, оқуда).
_VOWELS = frozenset("аәеёоөұүыіэюя")
VOWEL, CONSONANT, POSSESSIVE_3, NASAL = "vowel", "consonant", "possessive", "nasal"


def _fits(stem: str, condition: str | None) -> bool:
    last = stem[-1]
    if condition == VOWEL:
        return last in _VOWELS
    if condition == CONSONANT:
        return last not in _VOWELS
    if condition == POSSESSIVE_3:  # the stem ends in a possessive -ы/-і, itself stripped next
        return last in "ыі" and len(stem) > MIN_STEM
    if condition == NASAL:
        return last in "ыімнң"
    return True


def _endings(condition: str | None, *endings: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((ending, condition) for ending in endings)


KAZAKH_CASES = (
    *_endings(POSSESSIVE_3, "ндағы", "ндегі"),
    *_endings(None, "дағы", "дегі"),
    *_endings(CONSONANT, "тағы", "тегі"),
    *_endings(VOWEL, "ның", "нің"),
    *_endings(CONSONANT, "дың", "дің", "тың", "тің"),
    *_endings(NASAL, "нан", "нен"),
    *_endings(None, "дан", "ден"),
    *_endings(CONSONANT, "тан", "тен"),
    *_endings(None, "мен", "пен", "бен"),
    *_endings(POSSESSIVE_3, "нда", "нде"),
    *_endings(None, "да", "де"),
    *_endings(CONSONANT, "та", "те"),
    *_endings(None, "ға", "ге"),
    *_endings(CONSONANT, "қа", "ке"),
    *_endings(POSSESSIVE_3, "на", "не"),
    *_endings(VOWEL, "ны", "ні"),
    *_endings(CONSONANT, "ды", "ді", "ты", "ті"),
    *_endings(POSSESSIVE_3, "н"),
)
KAZAKH_POSSESSIVES = (
    *_endings(CONSONANT, "ымыз", "іміз", "ыңыз", "іңіз"),
    *_endings(VOWEL, "мыз", "міз", "ңыз", "ңіз"),
    *_endings(CONSONANT, "ың", "ің", "ым", "ім"),
    *_endings(VOWEL, "сы", "сі"),
    *_endings(CONSONANT, "ы", "і"),
)
KAZAKH_PLURALS = (
    *_endings(None, "лар", "лер"),
    *_endings(CONSONANT, "дар", "дер", "тар", "тер"),
)
KAZAKH_LAYERS = (KAZAKH_CASES, KAZAKH_POSSESSIVES, KAZAKH_PLURALS)
# An unknown word without Kazakh letters is taken for Kazakh when it ends like this (ауылдар, мектепте)…
KAZAKH_SURE_ENDINGS = (
    "лар", "лер", "дар", "дер", "тар", "тер", "дан", "ден", "тан", "тен", "дағы", "дегі",
    "да", "де", "та", "те",
)  # fmt: skip
# …or holds what Russian spelling never writes: шы, жы, кы, гы; ы after a vowel or at the start (ашылу, ауыл).
_KAZAKH_SPELLING = re.compile(r"[шжчщкгх]ы|[аеиоуыэюя]ы|^ы")
MIN_STEM = 3
# A stem ending in a voiceless consonant voices it before a vowel: кітап → кітабы, орталық → орталығы.
_DEVOICE = str.maketrans({"б": "п", "г": "к", "ғ": "қ"})


def _strip_layer(word: str, layer) -> tuple[str, str]:
    for ending, condition in layer:
        if not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        if len(stem) >= MIN_STEM and _fits(stem, condition):
            return stem, ending
    return word, ""


def kazakh_stem(word: str) -> str:
    """The stem of a Kazakh word with its plural, possessive and case endings taken off."""
    while True:
        stem = word
        for layer in KAZAKH_LAYERS:
            stripped, ending = _strip_layer(stem, layer)
            if ending and ending[0] in "ыіае":
                stripped = stripped[:-1] + stripped[-1].translate(_DEVOICE)
            stem = stripped
        if stem == word:
            return word
        word = stem


def _looks_kazakh(word: str) -> bool:
    return bool(
        _KAZAKH_LETTERS.intersection(word)
        or word.endswith(KAZAKH_SURE_ENDINGS)
        or _KAZAKH_SPELLING.search(word)
    )


# --- words ----------------------------------------------------------------------------------------------


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _plausible_guess(word: str, guess: str) -> bool:
    """A guessed form of an unknown word is kept only if it just drops or changes an ending of it."""
    if guess == word:
        return True
    if len(guess) > len(word):
        return False
    common = 0
    for a, b in zip(word, guess, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(MIN_STEM, len(guess) - 2)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """The dictionary form of one word: lowercase, ё as е, Russian normal form or Kazakh stem."""
    word = word.lower().replace("ё", "е")
    if not _CYRILLIC.search(word):
        return word
    morph = _morph()
    if _KAZAKH_LETTERS.intersection(word) or (not morph.word_is_known(word) and _looks_kazakh(word)):
        stem = kazakh_stem(word)
        # A stem that lost its Kazakh letters is looked at again like any other word (ауылға → ауыл).
        return stem if stem == word or _KAZAKH_LETTERS.intersection(stem) else normalize_word(stem)
    if morph.word_is_known(word):
        return morph.parse(word)[0].normal_form.replace("ё", "е")
    guess = morph.parse(word)[0].normal_form.replace("ё", "е")
    return guess if _plausible_guess(word, guess) else word


def normalize(text: str) -> str:
    """The words of `text` in their dictionary forms, separated by spaces."""
    return " ".join(normalize_word(w) for w in WORD.findall(text or ""))


def search_text_for(
    *, title: str, description: str = "", audience: str = "", authors: str = "", text: str = ""
):
    """What `Material.search_text` holds: the title twice (it weighs more), then everything else."""
    title_words = normalize(title)
    parts = [title_words, title_words, normalize(description), normalize(audience), normalize(authors)]
    parts.append(normalize(text[: MAX_SEARCH_TEXT * 2]))
    joined = " ".join(p for p in parts if p)
    if len(joined) > MAX_SEARCH_TEXT:
        joined = joined[:MAX_SEARCH_TEXT].rsplit(" ", 1)[0]
    return joined


def query_terms(q: str) -> list[str]:
    """The distinct normalised words of a query, without stop words (unless it has nothing else)."""
    words = list(dict.fromkeys(normalize_word(w) for w in WORD.findall((q or "")[:MAX_QUERY])))
    kept = [w for w in words if w not in STOP_WORDS] or words
    return kept[:MAX_TERMS]


# --- the index ------------------------------------------------------------------------------------------


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_material(material) -> None:
    """Write the material's `search_text` into the FTS table (SQLite; PostgreSQL indexes the column)."""
    if not _sqlite():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [material.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (%s, %s)",  # noqa: S608
            [material.pk, material.search_text],
        )


def unindex_material(pk: int) -> None:
    if _sqlite():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])  # noqa: S608


def rebuild_index() -> None:
    """Fill the FTS table afresh from `search_text` (after a restore, or rows written around the services)."""
    if _sqlite():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, search_text) "  # noqa: S608
                "SELECT id, search_text FROM assistance_material"
            )


class _Search(Func):
    """`pk IN (matches)` or the rank of a row, in the SQL of the database in use."""

    def __init__(self, query: str, *, rank: bool):
        self.rank = rank
        super().__init__(
            F("pk"), F("search_text"), Value(query), output_field=FloatField() if rank else BooleanField()
        )

    def as_sql(self, compiler, connection, **extra):
        pk, column, query = (compiler.compile(e) for e in self.get_source_expressions())
        if connection.vendor == "sqlite":
            match = f"{FTS_TABLE} MATCH {query[0]}"
            if self.rank:
                # Only the constant table name and compiled column SQL go into the text; values are params.
                sql = f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {match} AND rowid = {pk[0]})"  # noqa: S608
                return sql, (*query[1], *pk[1])
            sql = f"{pk[0]} IN (SELECT rowid FROM {FTS_TABLE} WHERE {match})"  # noqa: S608
            return sql, (*pk[1], *query[1])
        # PostgreSQL: the same expression as the GIN index of migration 0005, so the index is used.
        vector = f"to_tsvector('simple'::regconfig, {column[0]})"
        tsquery = f"plainto_tsquery('simple'::regconfig, {query[0]})"
        if self.rank:
            return f"ts_rank({vector}, {tsquery})", (*column[1], *query[1])
        return f"{vector} @@ {tsquery}", (*column[1], *query[1])


def _backend_query(terms: list[str]) -> str:
    if connection.vendor == "sqlite":
        return " ".join(f'"{t}"' for t in terms)  # each a phrase of one word: FTS5 syntax stays out
    return " ".join(terms)


def _has_index() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def match_materials(materials: QuerySet, q: str) -> QuerySet:
    """The materials matching every word of `q` (in any of its forms), unordered and unranked."""
    terms = query_terms(q)
    if not terms:
        return materials.none()
    if not _has_index():  # no full-text index on this database: a plain filter on the normalised words
        condition = Q()
        for term in terms:
            condition &= Q(search_text__contains=term)
        return materials.filter(condition)
    return materials.filter(_Search(_backend_query(terms), rank=False))


def search_materials(materials: QuerySet, q: str) -> QuerySet:
    """The materials matching every word of `q` (in any of its forms), best first, with `rank`."""
    found = match_materials(materials, q)
    terms = query_terms(q)
    if not terms or not _has_index():
        return found.annotate(rank=Value(0.0)).order_by("-created_at", "-id")
    return found.annotate(rank=_Search(_backend_query(terms), rank=True)).order_by(
        "-rank", "-created_at", "-id"
    )


# --- snippets -------------------------------------------------------------------------------------------


def _hits(text: str, terms: frozenset[str]) -> tuple[list[re.Match], dict[int, str]]:
    """The words of `text` and, by their index, the query term each matched one stands for."""
    firsts = {t[:2] for t in terms}
    tokens = list(WORD.finditer(text))
    hits = {}
    for index, token in enumerate(tokens):
        word = token.group().lower().replace("ё", "е")
        if word[:2] in firsts:  # cheap test first: a form starts as its dictionary form does
            form = normalize_word(word)
            if form in terms:
                hits[index] = form
    return tokens, hits


def _render(text: str, tokens: list[re.Match], hits: dict[int, str], start: int, end: int) -> SafeString:
    pieces = ["… "] if start > 0 else []
    for index in range(start, end):
        token = tokens[index]
        if index > start:
            gap = text[tokens[index - 1].end() : token.start()]
            pieces.append(escape(_WHITESPACE.sub(" ", gap)))
        word = escape(token.group())
        pieces.append(f"<mark>{word}</mark>" if index in hits else word)
    if end < len(tokens):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # every piece of the text is escaped above


def _best_window(tokens, hits: dict[int, str]) -> tuple[tuple[int, int], int]:
    """The window of SNIPPET_WORDS words with the most distinct terms (then most matches)."""
    positions = sorted(hits)
    best, best_start = (0, 0), 0
    for i, first in enumerate(positions):
        inside = [p for p in positions[i:] if p < first + SNIPPET_WORDS - 4]
        score = (len({hits[p] for p in inside}), len(inside))
        if score > best:
            best, best_start = score, first
    return best, max(0, best_start - 4)


def snippet_of(text: str, terms) -> tuple[tuple[int, int], SafeString]:
    """The best passage of `text` for the terms, with the matched words in <mark>, and its score."""
    text = (text or "")[:SNIPPET_SCAN]
    tokens, hits = _hits(text, frozenset(terms))
    if not hits:
        return (0, 0), SafeString("")
    score, start = _best_window(tokens, hits)
    return score, _render(text, tokens, hits, start, min(len(tokens), start + SNIPPET_WORDS))


def highlight(text: str, terms) -> SafeString:
    """All of `text`, escaped, with the words that match the terms in <mark>."""
    tokens, hits = _hits(text or "", frozenset(terms))
    if not tokens:
        return SafeString(escape(text or ""))
    pieces, position = [], 0
    for index, token in enumerate(tokens):
        pieces.append(escape(text[position : token.start()]))
        word = escape(token.group())
        pieces.append(f"<mark>{word}</mark>" if index in hits else word)
        position = token.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # escaped piece by piece


def material_snippet(material, terms) -> SafeString:
    """The passage of the description or the file's text that best shows why the material was found."""
    best_score, best = (0, 0), SafeString("")
    for source in (material.description, material.text):
        score, html = snippet_of(source, terms)
        if score > best_score:
            best_score, best = score, html
    if best:
        return best
    # Found by the title or the authors only: the opening words say what the material is.
    opening = material.description or material.text or ""
    tokens = list(WORD.finditer(opening[:SNIPPET_SCAN]))
    return _render(opening, tokens, {}, 0, min(len(tokens), SNIPPET_WORDS)) if tokens else SafeString("")


def attach_snippets(materials, q: str) -> list:
    """Give each material `snippet` and `title_html` for the query `q`; answers them as a list."""
    terms = query_terms(q)
    materials = list(materials)
    for material in materials:
        material.snippet = material_snippet(material, terms) if terms else SafeString("")
        material.title_html = (
            highlight(material.title, terms) if terms else SafeString(escape(material.title))
        )
    return materials
