"""Latin runs keep their order inside Arabic PDFs: "350 Fifth Avenue" never prints "Fifth
Avenue 350" (core.pdf isolate_latin_runs), as <bdi> keeps it on a page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from souk.core.pdf import LEFT_TO_RIGHT_MARK, PdfDocument, isolate_latin_runs


def text_of(document: PdfDocument) -> str:
    """The text in the order a reader meets it, the invisible marks left out."""
    reader = PdfReader(io.BytesIO(document.output()))
    return "".join(page.extract_text() for page in reader.pages).replace(LEFT_TO_RIGHT_MARK, "")


@pytest.mark.parametrize(
    "latin",
    ["350 Fifth Avenue", "+1 212 555 0100", "SK-20261206-AB12-1", "Apt. 4B, 10 Downing St."],
)
def test_a_latin_run_keeps_its_order_in_an_arabic_paragraph(latin):
    # given
    document = PdfDocument(title="إرسال", language="ar")

    # when
    document.paragraph(f"العنوان: {latin}")

    # then
    assert latin.rstrip(".") in text_of(document)


def test_without_the_marks_the_number_would_jump_to_the_end():
    # The failure the marks prevent, shown with fpdf2's own algorithm: a right-to-left
    # paragraph reorders the bare run.
    document = PdfDocument(title="إرسال", language="ar")
    document._pdf.multi_cell(w=0, h=5, text="العنوان: 350 Fifth Avenue")

    assert "Fifth Avenue 350" in text_of(document)


def test_key_values_and_tables_isolate_their_latin_cells_too():
    # given
    document = PdfDocument(title="إرسال", language="ar")

    # when
    document.key_values([("العنوان", "350 Fifth Avenue")])
    document.table(headers=["القطعة", "الكمية"], rows=[["Tajine 30 cm", "2"]], widths=(5, 1))

    # then
    text = text_of(document)
    assert "350 Fifth Avenue" in text
    assert "Tajine 30 cm" in text


def test_a_left_to_right_document_gets_no_marks():
    # given
    document = PdfDocument(title="Bordereau", language="fr")

    # when
    document.paragraph("Adresse : 350 Fifth Avenue")

    # then
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.output())).pages)
    assert "Adresse : 350 Fifth Avenue" in raw
    assert LEFT_TO_RIGHT_MARK not in raw


def test_runs_are_found_between_arabic_words():
    assert isolate_latin_runs("الطلب SK-1 بتاريخ 2026-12-06.") == (
        f"الطلب {LEFT_TO_RIGHT_MARK}SK-1{LEFT_TO_RIGHT_MARK} بتاريخ "
        f"{LEFT_TO_RIGHT_MARK}2026-12-06{LEFT_TO_RIGHT_MARK}."
    )
    assert isolate_latin_runs("بدون لاتينية") == "بدون لاتينية"
