"""Text normalisation for search and matching, in Arabic, French and the other Latin languages.

Search indexing and search queries both go through :func:`normalize_text` (or
:func:`tokenize`), so two spellings match exactly when they normalise to the same string. Each
rule removes a difference that people do not see or do not type consistently:

Arabic (:func:`normalize_arabic`):

- Diacritics are removed: the harakat U+064B-U+0652 (fathatan to sukun), the other combining
  marks U+0653-U+065F (maddah, hamza above and below, ...), the superscript alef U+0670 and
  the Quranic annotation marks U+0610-U+061A and U+06D6-U+06ED. Vowels are rarely written, so
  "الفَخَّار" must find "الفخار". Removing the separate maddah and hamza marks also makes a
  decomposed "أ" (alef + U+0654) behave like the precomposed one.
- The tatweel U+0640 is removed: it only stretches a word ("الفـــخار").
- Alef forms (أ إ آ ٱ: hamza above, hamza below, madda, wasla) become bare alef U+0627: hamza
  and madda on alef are written inconsistently ("أحمد", "احمد", "إحمد").
- Hamza on its seat becomes the bare seat: waw with hamza ؤ becomes waw U+0648 and yeh with
  hamza ئ becomes yeh U+064A. People often drop the hamza when typing ("مسؤول"/"مسوول",
  "رئيس"/"رييس"); mapping to the seat letter keeps the word's length, which the standalone
  hamza U+0621 (left unchanged) would not.
- Ta marbuta ة becomes heh U+0647 and alef maqsura ى becomes yeh U+064A: both pairs are
  swapped freely in informal and Moroccan writing ("مدرسة"/"مدرسه", "مستشفى"/"مستشفي").
- Persian and Urdu look-alikes that some keyboards produce become their Arabic letters:
  keheh ک becomes kaf U+0643 and Farsi yeh ی becomes yeh U+064A. They look identical but
  would never match.
- Arabic-Indic digits U+0660-U+0669 and Eastern Arabic-Indic digits U+06F0-U+06F9 become
  ASCII 0-9, so "٢٠٢٤" and "۲۰۲۴" find "2024".
- The Arabic letter mark U+061C is removed: it is an invisible direction control.

Latin (:func:`normalize_latin`):

- Compatibility decomposition (NFKD), case folding, and removal of combining marks: "Fès",
  "FES" and "fès" all become "fes", "TAPIS Berbère" becomes "tapis berbere". Accents are
  often left out when typing on a phone or a foreign keyboard.
- Letters that are not decomposed by Unicode are spelled out: œ -> oe, æ -> ae (so "Œuvre"
  finds "oeuvre"), ø -> o, ł -> l, đ and ð -> d, þ -> th, dotless i U+0131 -> i. Case
  folding already turns ß into ss.

Whole text (:func:`normalize_text`):

- NFKC first, so that presentation forms, ligatures and full-width letters become ordinary
  letters before the rules above see them.
- Invisible format characters (zero-width space and joiners, direction marks and embeddings,
  the byte order mark) are removed: text pasted from apps and documents is full of them.
- Runs of whitespace collapse to one space and the ends are stripped.

:func:`tokenize` splits normalised text into words: runs of letters and digits of any script,
with everything else (punctuation, symbols, underscores) separating words.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "normalize_arabic",
    "normalize_latin",
    "normalize_text",
    "strip_bidi_controls",
    "tokenize",
]


def _code_point_range(first: int, last: int) -> range:
    return range(first, last + 1)


_ARABIC_REMOVED: Final[tuple[int, ...]] = (
    *_code_point_range(0x064B, 0x065F),  # harakat, maddah and hamza marks, other vowel marks
    0x0670,  # superscript alef
    *_code_point_range(0x0610, 0x061A),  # Quranic honorifics and small letters above
    *_code_point_range(0x06D6, 0x06ED),  # Quranic annotation signs
    0x0640,  # tatweel
    0x061C,  # Arabic letter mark
)

# Written as escapes: several of these letters look like Latin ones or like each other.
_ARABIC_REPLACED: Final[dict[str, str]] = {
    "\u0623": "\u0627",  # alef with hamza above -> alef
    "\u0625": "\u0627",  # alef with hamza below -> alef
    "\u0622": "\u0627",  # alef with madda above -> alef
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0624": "\u0648",  # waw with hamza above -> waw
    "\u0626": "\u064a",  # yeh with hamza above -> yeh
    "\u0629": "\u0647",  # ta marbuta -> heh
    "\u0649": "\u064a",  # alef maqsura -> yeh
    "\u06a9": "\u0643",  # keheh (Persian, Urdu) -> kaf
    "\u06cc": "\u064a",  # Farsi yeh -> yeh
    **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern Arabic-Indic digits
}

_ARABIC_TABLE: Final[dict[int, str | None]] = {
    **dict.fromkeys(_ARABIC_REMOVED),
    **{ord(source): target for source, target in _ARABIC_REPLACED.items()},
}

# Applied after case folding, so only the lower-case letters are needed.
_LATIN_TABLE: Final[dict[int, str]] = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"}
)

_INVISIBLE_TABLE: Final[dict[int, None]] = dict.fromkeys(
    (
        *_code_point_range(0x200B, 0x200F),  # zero-width space, joiners, LRM, RLM
        *_code_point_range(0x202A, 0x202E),  # bidirectional embeddings and overrides
        0x2060,  # word joiner
        *_code_point_range(0x2066, 0x2069),  # bidirectional isolates
        0xFEFF,  # zero-width no-break space, byte order mark
    )
)

# normalize_text makes one pass for both tables.
_ARABIC_AND_INVISIBLE_TABLE: Final[dict[int, str | None]] = {**_ARABIC_TABLE, **_INVISIBLE_TABLE}


def _any_character_of(table: dict[int, str | None] | dict[int, str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(code_point)) for code_point in table) + "]")


# str.translate looks every character up in its table, which costs more than the rest of the
# normalisation together; these searches let text that needs no translation skip it.
_HAS_ARABIC_OR_INVISIBLE: Final[re.Pattern[str]] = _any_character_of(_ARABIC_AND_INVISIBLE_TABLE)
_HAS_LATIN_SPECIAL: Final[re.Pattern[str]] = _any_character_of(_LATIN_TABLE)

# A word is a run of letters and digits of any script; "_" is in \w but separates words.
_WORD: Final[re.Pattern[str]] = re.compile(r"[^\W_]+")


def normalize_arabic(text: str) -> str:
    """Apply the Arabic rules of the module docstring; other characters are left unchanged."""
    return text.translate(_ARABIC_TABLE)


def normalize_latin(text: str) -> str:
    """Fold case, accents and compatibility forms: ``"TAPIS Berbère"`` -> ``"tapis berbere"``."""
    if text.isascii():
        return text.casefold()
    # Case folding can produce characters that decompose further (and NFKD can produce upper
    # case, as "™" -> "TM"), hence NFKD on both sides of it, as in Unicode's compatibility
    # caseless matching.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    without_marks = "".join(
        character for character in decomposed if not unicodedata.combining(character)
    )
    if _HAS_LATIN_SPECIAL.search(without_marks):
        return without_marks.translate(_LATIN_TABLE)
    return without_marks


def normalize_text(text: str) -> str:
    """Normalise any text, Arabic, Latin or mixed, for search indexing and queries alike."""
    composed = unicodedata.normalize("NFKC", text)
    if _HAS_ARABIC_OR_INVISIBLE.search(composed):
        composed = composed.translate(_ARABIC_AND_INVISIBLE_TABLE)
    return " ".join(normalize_latin(composed).split())


def tokenize(text: str) -> list[str]:
    """Normalise ``text`` and split it into words: ``"Tapis (Fès)"`` -> ``["tapis", "fes"]``."""
    return _WORD.findall(normalize_text(text))


# The direction embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI,
# PDI). In user text they reorder what follows them: "‮fdp.exe" shows as "exe.pdf", a
# reversed amount or IBAN reads as another. Pages isolate user text (<bdi>, `unicode-bidi:
# isolate`) so the effect cannot leave it; documents that cannot do that drop them.
BIDI_CONTROLS: Final = frozenset(
    chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
_BIDI_CONTROLS_TABLE: Final = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi_controls(text: str) -> str:
    """``text`` without its direction embeddings, overrides and isolates (U+202A-U+202E,
    U+2066-U+2069), for PDFs and bank files, where the text is not isolated."""
    return text.translate(_BIDI_CONTROLS_TABLE)
