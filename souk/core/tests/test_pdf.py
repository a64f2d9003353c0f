"""Tests for souk.core.pdf: text read back from the PDF, Arabic shaping, layout, Code 128.

How the text is read back, and why the assertions hold: fpdf2 writes each shaped glyph with a
ToUnicode entry giving the letters it stands for (so an initial-form feh reads back as U+0641,
not as the presentation form U+FED3), and glyphs are drawn in visual order, left to right.
pypdf reverses each run of right-to-left characters back into logical order (``is_char_rtl`` in
``pypdf/_utils.py``), so an Arabic name comes back as typed. Lines mixing scripts come back with
their runs in visual order, which is why the tests look for each name on its own rather than for
whole mixed sentences. The text is normalised with NFKC all the same, so that a presentation
form, if a future fpdf2 or pypdf let one through, would still compare equal to its letter.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from souk.core.pdf import (
    CODE128_PATTERNS,
    CODE128_START_B,
    CODE128_STOP,
    LABEL_100X150,
    PdfDocument,
    code128_checksum,
    encode_code128b,
)
from souk.core.text import BIDI_CONTROLS

CREATED_AT = datetime.datetime(2026, 1, 31, 9, 30, tzinfo=datetime.UTC)
ARTISAN = "فاطمة الزهراء بنعلي"
COOPERATIVE = "تعاونية الفخار آسفي"
BUYER = "Hélène Dupré"
WEAVERS = "Coopérative Tissage Aït Bouguemez"
MM_PER_PT = 25.4 / 72


def build_packing_slip(*, language: str, page_format=LABEL_100X150) -> PdfDocument:
    document = PdfDocument(
        title="Bordereau SK-2026-0042",
        language=language,
        page_format=page_format,
        created_at=CREATED_AT,
    )
    document.heading("Bordereau de colisage" if language == "fr" else "قسيمة التعبئة")
    document.paragraph(f"Expéditeur : {COOPERATIVE}, Safi. Destinataire : {BUYER}.")
    document.key_values([("Artisane", ARTISAN), ("Vendeur", WEAVERS)])
    document.table(
        headers=["Article", "Qté", "Prix"],
        rows=[["Tajine en terre cuite", "2", "450,00 MAD"], ["طاجين فخار آسفي", "1", "120,00 MAD"]],
        widths=[3, 1, 1.5],
    )
    document.barcode_code128("SK-2026-0042")
    return document


def extracted_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def embedded_code_points(pdf: bytes) -> set[int]:
    # The code points the embedded font subset maps to its glyphs: which glyphs were drawn.
    # pypdf types every dictionary lookup as a PdfObject; this PDF's structure is known.
    page: Any = PdfReader(io.BytesIO(pdf)).pages[0]
    code_points: set[int] = set()
    for font in page["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"]["/FontFile2"].get_data()
        code_points |= set(TTFont(io.BytesIO(data)).getBestCmap())
    return code_points


def text_positions(pdf: bytes) -> list[tuple[str, float]]:
    # Each piece of text pypdf reads, with the x (points from the left edge) it starts at.
    positions: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        # The LEFT-TO-RIGHT MARKs around Latin runs in Arabic documents draw nothing.
        text = text.replace("\u200e", "")
        if text.strip():
            positions.append((text.strip(), float(tm[4])))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return positions


# Text


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_arabic_and_french_names_read_back_from_the_pdf(language):
    # given
    document = build_packing_slip(language=language)

    # when
    text = extracted_text(document.output())

    # then
    for name in (ARTISAN, COOPERATIVE, BUYER, WEAVERS.split()[-1], "Coopérative Tissage Aït"):
        assert name in text
    assert "طاجين فخار آسفي" in text
    assert "SK-2026-0042" in text


def test_arabic_is_drawn_with_joined_letter_forms():
    # given
    document = PdfDocument(title="Test", language="fr", created_at=CREATED_AT)

    # when
    document.paragraph("فاطمة")
    code_points = embedded_code_points(document.output())

    # then: unshaped, the font would hold the isolated letters U+0641 U+0627 U+0637 U+0645 U+0629;
    # shaped, it holds initial feh, final alef, initial tah, medial meem, final teh marbuta.
    assert {0xFED3, 0xFE8E, 0xFEC3, 0xFEE4, 0xFE94} <= code_points
    assert not {0x0641, 0x0637, 0x0645, 0x0629} & code_points


# Layout


def test_arabic_document_is_aligned_right_and_french_left():
    # given
    arabic = PdfDocument(title="Test", language="ar", created_at=CREATED_AT)
    french = PdfDocument(title="Test", language="fr", created_at=CREATED_AT)
    arabic.heading("قسيمة")
    french.heading("Bordereau")

    # when
    [(_, arabic_x)] = text_positions(arabic.output())
    [(_, french_x)] = text_positions(french.output())

    # then: A4 is 595 points wide with 15 mm (42.5 points) margins, and cells pad text by 1 mm.
    assert arabic_x > 595 / 2
    assert 15 / MM_PER_PT <= french_x <= 16 / MM_PER_PT + 0.1


def test_arabic_table_columns_run_from_the_right():
    # given
    document = PdfDocument(title="Test", language="ar", created_at=CREATED_AT)

    # when
    document.table(headers=["المنتج", "الكمية"], rows=[["طاجين", "2"]])
    positions = dict(text_positions(document.output()))

    # then
    assert positions["المنتج"] > positions["الكمية"]
    assert positions["طاجين"] > positions["2"]


def test_label_page_is_100_by_150_mm():
    # given
    document = build_packing_slip(language="fr", page_format=LABEL_100X150)

    # when
    box = PdfReader(io.BytesIO(document.output())).pages[0].mediabox

    # then
    assert float(box.width) * MM_PER_PT == pytest.approx(100, abs=0.01)
    assert float(box.height) * MM_PER_PT == pytest.approx(150, abs=0.01)
    assert document.page_count == 1


def test_long_table_continues_on_a_new_page():
    # given
    document = PdfDocument(title="Relevé", language="fr", created_at=CREATED_AT)

    # when
    document.table(
        headers=["Date", "Commande"], rows=[["31/01/2026", f"SK-{n}"] for n in range(120)]
    )
    text = extracted_text(document.output())

    # then: the heading row is repeated on each page.
    assert document.page_count > 1
    assert text.count("Commande") == document.page_count


# Output and metadata


def test_output_is_a_pdf_with_title_language_and_creation_date():
    # given
    document = build_packing_slip(language="ar")

    # when
    pdf = document.output()
    reader = PdfReader(io.BytesIO(pdf))

    # then
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert reader.metadata is not None
    assert reader.metadata.title == "Bordereau SK-2026-0042"
    assert reader.metadata.creation_date == CREATED_AT
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "ar"


def test_same_content_and_date_give_the_same_bytes():
    # when
    first = build_packing_slip(language="fr").output()
    second = build_packing_slip(language="fr").output()

    # then
    assert first == second


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="Unknown language code 'xx'"):
        PdfDocument(title="Test", language="xx")


def test_naive_creation_date_is_refused():
    # The naive value is the point of the test.
    naive = datetime.datetime(2026, 1, 31)  # noqa: DTZ001

    with pytest.raises(ValueError, match="timezone-aware"):
        PdfDocument(title="Test", language="fr", created_at=naive)


def test_table_rows_must_match_the_headers():
    document = PdfDocument(title="Test", language="fr", created_at=CREATED_AT)

    with pytest.raises(ValueError, match="A row has 1 cells for 2 columns"):
        document.table(headers=["Article", "Prix"], rows=[["Tajine"]])


# Code 128


def test_code128_pattern_table_is_well_formed():
    # Every symbol is 11 modules wide (the stop 13, with its termination bar), its bars add up
    # to an even number of modules, and no two symbols are alike: a mistyped row breaks one.
    assert len(CODE128_PATTERNS) == 107
    assert len(set(CODE128_PATTERNS)) == 107
    for value, pattern in enumerate(CODE128_PATTERNS):
        widths = [int(width) for width in pattern]
        assert sum(widths) == (13 if value == CODE128_STOP else 11), value
        assert sum(widths[0::2]) % 2 == 0, value
        assert all(1 <= width <= 4 for width in widths), value


def test_code128_known_symbols():
    # Start B, then "B" (34) and "!" (1) are written in the standard's table as 211214, 131123
    # and 222122; the stop is 2331112.
    assert CODE128_PATTERNS[CODE128_START_B] == "211214"
    assert CODE128_PATTERNS[34] == "131123"
    assert CODE128_PATTERNS[1] == "222122"
    assert CODE128_PATTERNS[CODE128_STOP] == "2331112"


def test_encode_code128b_of_the_wikipedia_example():
    # "PJJ123C": start B 104; P 48, J 42, J 42, 1 17, 2 18, 3 19, C 35 (code point - 32).
    # Check: 104 + 1*48 + 2*42 + 3*42 + 4*17 + 5*18 + 6*19 + 7*35 = 879, and 879 mod 103 = 55.
    assert encode_code128b("PJJ123C") == [104, 48, 42, 42, 17, 18, 19, 35, 55, 106]


def test_encode_code128b_of_an_order_number():
    # "HI345678": 104 + 40 + 2*41 + 3*19 + 4*20 + 5*21 + 6*22 + 7*23 + 8*24 = 953; 953 mod 103 = 26.
    assert encode_code128b("HI345678") == [104, 40, 41, 19, 20, 21, 22, 23, 24, 26, 106]
    assert code128_checksum([104, 40, 41, 19, 20, 21, 22, 23, 24]) == 26


@pytest.mark.parametrize("value", ["", "Dupré", "SK\n1"])
def test_encode_code128b_refuses_what_subset_b_cannot_encode(value):
    with pytest.raises(ValueError, match="Code 128"):
        encode_code128b(value)


def test_barcode_draws_three_bars_per_symbol_and_four_for_the_stop():
    # given
    document = PdfDocument(title="Test", language="fr", created_at=CREATED_AT)

    # when
    document.barcode_code128("SK-2026-0042", show_text=False)
    page = PdfReader(io.BytesIO(document.output())).pages[0]
    contents = page.get_contents()
    assert contents is not None
    content = contents.get_data().decode("latin-1")

    # then: start, 12 characters and the check symbol have 3 bars each; the stop has 4.
    assert content.count(" re f") == (1 + 12 + 1) * 3 + 4


def test_barcode_wider_than_the_page_is_refused():
    document = PdfDocument(title="Test", language="fr", page_format=LABEL_100X150)

    with pytest.raises(ValueError, match="needs"):
        document.barcode_code128("X" * 40)


def test_direction_controls_in_user_text_are_dropped_and_cannot_reverse_it():
    # given: a buyer's address and names typed with overrides and isolates
    document = PdfDocument(title="Bordereau\u202e", language="fr", created_at=CREATED_AT)
    # when
    document.heading("Colis \u2066SK-1\u2069")
    document.paragraph("Destinataire : \u202eAmina 12 rue\u202c, Safi")
    document.key_values([("Nom", "\u2067Fatima\u2069 Bennani")])
    document.table(headers=["Article"], rows=[["Tajine \u202dX\u202a"]])
    text = extracted_text(document.output())
    # then
    assert "Destinataire : Amina 12 rue, Safi" in text
    assert "Fatima Bennani" in text
    assert "Colis SK-1" in text
    assert not set(text) & BIDI_CONTROLS
