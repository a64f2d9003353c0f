"""Tests for souk.core.text with real Arabic, Darija and French words from the catalogue."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from souk.core.text import normalize_arabic, normalize_latin, normalize_text, tokenize

# Arabic text mixed with Latin letters, digits, spaces and marks, so that the properties
# exercise the Arabic rules and not only random code points.
arabic_and_latin = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.characters(min_codepoint=0x0020, max_codepoint=0x024F),
        st.sampled_from(["\u0300", "\u0301", "\u0308", "\u00a0", "\u202f", "\u200f", "\t"]),
    )
)


# Arabic


def test_harakat_are_removed() -> None:
    # given: "the pottery" fully vowelled, with fatha and shadda
    vowelled = "الفَخَّار"

    # then
    assert normalize_text(vowelled) == normalize_text("الفخار") == "الفخار"


def test_tanwin_sukun_and_superscript_alef_are_removed() -> None:
    assert normalize_arabic("كِتَابٌ") == "كتاب"
    assert normalize_arabic("صُنْع") == "صنع"
    assert normalize_arabic("هٰذا") == "هذا"


def test_quranic_marks_are_removed() -> None:
    # given: small high ligature U+06D6 and honorific U+0610 after the words
    assert normalize_arabic("الرحمن\u06d6") == "الرحمن"
    assert normalize_arabic("محمد\u0610") == "محمد"


def test_tatweel_is_removed() -> None:
    assert normalize_text("الفـــخار") == normalize_text("الفخار")


@pytest.mark.parametrize("spelling", ["أحمد", "احمد", "إحمد", "آحمد", "ٱحمد"])
def test_alef_forms_are_unified(spelling: str) -> None:
    assert normalize_text(spelling) == "احمد"


def test_decomposed_hamza_matches_the_precomposed_letter() -> None:
    # given: alef followed by a separate hamza above U+0654, as some keyboards send it
    decomposed = "\u0627\u0654حمد"

    # then
    assert normalize_arabic(decomposed) == normalize_arabic("أحمد") == "احمد"


def test_hamza_on_waw_and_ya_becomes_the_seat_letter() -> None:
    # "responsible" and "president", with and without the hamza
    assert normalize_text("مسؤول") == normalize_text("مسوول") == "مسوول"
    assert normalize_text("رئيس") == normalize_text("رييس") == "رييس"


def test_standalone_hamza_is_kept() -> None:
    assert normalize_text("سماء") == "سماء"


def test_ta_marbuta_matches_ha() -> None:
    assert normalize_text("مدرسة") == normalize_text("مدرسه") == "مدرسه"
    assert normalize_text("الزربية") == "الزربيه"


def test_alef_maqsura_matches_ya() -> None:
    assert normalize_text("مستشفى") == normalize_text("مستشفي") == "مستشفي"


def test_persian_look_alikes_become_arabic_letters() -> None:
    # given: "كتاب" typed with Persian keheh U+06A9, "عيسى" with Farsi yeh U+06CC
    assert normalize_text("کتاب") == "كتاب"
    assert normalize_text("عیسی") == "عيسي"


def test_arabic_indic_and_eastern_digits_become_ascii() -> None:
    assert normalize_text("٢٠٢٤") == "2024"
    assert normalize_text("۲۰۲۴") == "2024"
    assert normalize_text("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_text("۰۱۲۳۴۵۶۷۸۹") == "0123456789"


def test_normalize_arabic_leaves_latin_text_alone() -> None:
    assert normalize_arabic("Tapis Berbère 2024") == "Tapis Berbère 2024"


def test_presentation_forms_become_ordinary_letters() -> None:
    # given: the lam-alef ligature U+FEFB and the final form of teh marbuta U+FE94
    assert normalize_text("\ufefb") == "لا"
    assert normalize_text("مدرس\ufe94") == "مدرسه"


# Latin


@pytest.mark.parametrize("spelling", ["Fès", "FES", "fès", "FÈS", "Fes", "fe\u0300s"])
def test_city_names_match_whatever_the_case_and_accents(spelling: str) -> None:
    assert normalize_text(spelling) == "fes"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maître artisan", "maitre artisan"),
        ("Tétouan", "tetouan"),
        ("TAPIS Berbère", "tapis berbere"),
        ("Œuvre", "oeuvre"),
        ("œuvre", "oeuvre"),
        ("Cæsar", "caesar"),
        ("Straße", "strasse"),
        ("Façade en céramique émaillée", "facade en ceramique emaillee"),
        ("Salé", "sale"),
        ("Ouarzazate", "ouarzazate"),
        ("Ø", "o"),
    ],
)
def test_normalize_latin_folds_case_accents_and_ligatures(text: str, expected: str) -> None:
    assert normalize_latin(text) == expected


def test_oeuvre_matches_with_and_without_the_ligature() -> None:
    assert normalize_text("Œuvre") == normalize_text("oeuvre") == normalize_text("OEUVRE")


def test_compatibility_forms_are_folded() -> None:
    # given: the "fi" ligature U+FB01, full-width "TAPIS" and a superscript two
    assert normalize_text("\ufb01le") == "file"
    assert normalize_text("\uff34\uff21\uff30\uff29\uff33") == "tapis"
    assert normalize_text("m²") == "m2"


# Whole text


def test_mixed_text_is_folded_and_whitespace_collapsed() -> None:
    assert normalize_text("Tapis  الزربية  Berbère") == "tapis الزربيه berbere"


def test_whitespace_runs_of_any_kind_collapse_to_one_space() -> None:
    assert normalize_text("  Tapis\t\n\u00a0Berbère\u202f  ") == "tapis berbere"


def test_invisible_format_characters_are_removed() -> None:
    # given: a right-to-left mark, a zero-width space and a byte order mark around the words
    assert normalize_text("\u200f" + "الفخار" + "\u200b") == "الفخار"
    assert normalize_text("\ufeffFès\u200e") == "fes"


def test_empty_and_blank_text_normalise_to_empty() -> None:
    assert normalize_text("") == ""
    assert normalize_text(" \t\n ") == ""


# Tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tapis berbère (Fès), 2024", ["tapis", "berbere", "fes", "2024"]),
        ("Tapis  الزربية  Berbère", ["tapis", "الزربيه", "berbere"]),
        ("الفَخَّار المغربي، صنع يدوي!", ["الفخار", "المغربي", "صنع", "يدوي"]),
        ("طاجين ٢٠٢٤", ["طاجين", "2024"]),
        ("l'œuvre d'un maître", ["l", "oeuvre", "d", "un", "maitre"]),
        ("zellige_bleu-vert/120x60", ["zellige", "bleu", "vert", "120x60"]),
        ("", []),
        (" ... --- !!! ", []),
    ],
)
def test_tokenize_splits_normalised_text_into_words(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_tokens_match_across_spellings() -> None:
    assert tokenize("مدرسة الفَخَّار بفاس") == tokenize("مدرسه الفخار بفاس")
    assert tokenize("Poterie de FÈS") == tokenize("poterie de fes")


# Properties


@given(text=st.text())
@example(text="İ")
@example(text="™")
@example(text="\ufdfa")
@example(text="ﷲ")
@example(text="\u0627\u0654\u0653")
@example(text="ǅ")
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(text=arabic_and_latin)
def test_normalize_text_is_idempotent_on_arabic_and_latin_text(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(text=st.text())
def test_normalize_latin_is_idempotent(text: str) -> None:
    once = normalize_latin(text)
    assert normalize_latin(once) == once


@given(text=st.text())
def test_normalize_arabic_is_idempotent(text: str) -> None:
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


@given(text=st.text())
def test_normalised_text_has_no_outer_or_repeated_whitespace(text: str) -> None:
    normalised = normalize_text(text)
    assert normalised == normalised.strip()
    assert "  " not in normalised


@given(text=st.text())
def test_tokens_are_non_empty_and_are_the_tokens_of_the_normalised_text(text: str) -> None:
    tokens = tokenize(text)
    assert all(tokens)
    assert tokenize(normalize_text(text)) == tokens
