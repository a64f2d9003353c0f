"""Shop addresses (/shops/<slug>/): ASCII, readable, stable, never revealing a register number.

A Latin name is slugified ("Coopérative Tafilalet" -> "cooperative-tafilalet"). An Arabic name
is first transliterated the way Moroccan names are usually written in Latin letters
("فاطمة بناني" -> "fatma-bnani"). When nothing usable is left, the address falls back to a
keyed hash of the register number: unique per entry, and not a way to test register numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from django.utils.crypto import salted_hmac
from django.utils.text import slugify

SLUG_MAX_LENGTH = 80
# Paths of the shops app that a shop's address must not shadow.
RESERVED_SLUGS = frozenset({"mine", "manage", "moderation", "documents"})

# The usual Moroccan (French-style) spelling of each letter: ش "ch", و "ou", ج "j".
_ARABIC_TO_LATIN = str.maketrans(
    {
        "\u0627": "a",  # alef
        "\u0623": "a",  # alef with hamza above
        "\u0625": "i",  # alef with hamza below
        "\u0622": "a",  # alef with madda above
        "\u0671": "a",  # alef wasla
        "\u0621": "",  # hamza
        "\u0624": "o",  # waw with hamza above
        "\u0626": "i",  # yeh with hamza above
        "\u0628": "b",  # beh
        "\u062a": "t",  # teh
        "\u062b": "th",  # theh
        "\u062c": "j",  # jeem
        "\u062d": "h",  # hah
        "\u062e": "kh",  # khah
        "\u062f": "d",  # dal
        "\u0630": "dh",  # thal
        "\u0631": "r",  # reh
        "\u0632": "z",  # zain
        "\u0633": "s",  # seen
        "\u0634": "ch",  # sheen
        "\u0635": "s",  # sad
        "\u0636": "d",  # dad
        "\u0637": "t",  # tah
        "\u0638": "z",  # zah
        "\u0639": "a",  # ain
        "\u063a": "gh",  # ghain
        "\u0641": "f",  # feh
        "\u0642": "q",  # qaf
        "\u0643": "k",  # kaf
        "\u0644": "l",  # lam
        "\u0645": "m",  # meem
        "\u0646": "n",  # noon
        "\u0647": "h",  # heh
        "\u0629": "a",  # teh marbuta
        "\u0648": "ou",  # waw
        "\u064a": "i",  # yeh
        "\u0649": "a",  # alef maksura
        "\u06ad": "g",  # ng
        "\u06a4": "v",  # veh
        "\u067e": "p",  # peh
        "\u06af": "g",  # gaf
        "\u0686": "ch",  # tcheh
        "\u0640": "",  # latin small letter t
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
    }
)


def slug_from_name(name: str) -> str:
    """An ASCII slug for `name`, Arabic letters transliterated; "" when nothing usable is left."""
    # Vowel marks (harakat) are combining characters: drop them before mapping the letters.
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    transliterated = unicodedata.normalize("NFKC", without_marks).translate(_ARABIC_TO_LATIN)
    slug = slugify(transliterated)[: SLUG_MAX_LENGTH - 12].strip("-")
    return "" if slug in RESERVED_SLUGS else slug


def register_number_digest(register_number: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY): nobody can check a guessed number against it."""
    return salted_hmac("souk.shops.slug", register_number, algorithm="sha256").hexdigest()


def slug_candidates(*, name: str, register_number: str) -> Iterator[str]:
    """Addresses to try in order until one is free: the name, then the name with a suffix
    unique to the entry, then numbered variants (which only a hash collision reaches)."""
    base = slug_from_name(name)
    digest = register_number_digest(register_number)
    if base:
        yield base
        yield f"{base}-{digest[:6]}"
    else:
        yield f"shop-{digest[:10]}"
    number = 2
    while True:
        yield f"{base or 'shop'}-{digest[:6]}-{number}"
        number += 1
