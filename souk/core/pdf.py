"""PDF documents in Arabic, French and the other Latin languages: slips, labels, forms, statements.

Packing slips, shipping labels, customs forms and monthly statements are all built with
:class:`PdfDocument`, so that every one of them gets the same three things right:

- **Arabic is shaped.** Arabic letters change form with their neighbours (initial, medial, final,
  isolated) and some pairs join into ligatures; a PDF only draws glyphs, so the text must be
  shaped before it is written. fpdf2 does this with HarfBuzz (``uharfbuzz``) once
  ``set_text_shaping`` is on, and runs the Unicode bidirectional algorithm on each line, so an
  Arabic name inside French text ("Expéditeur : تعاونية الفخار آسفي") is shaped and reads right
  to left inside the left-to-right line.
- **The page follows the language.** When the document's language is written right to left
  (``ar``: Django's ``LANG_INFO`` says ``bidi``), the base direction of every paragraph is
  right to left, text is aligned right, and table and key-value columns run from the right.
- **One font covers every script we print.** DejaVu Sans (vendored in ``fonts/`` with its
  licence) has Latin with every French and Spanish accent, Arabic with its shaping tables,
  and Tifinagh. The PDF standard fonts (Helvetica, Times) have no Arabic at all.
- **Latin runs keep their order in Arabic.** In a right-to-left paragraph the bidirectional
  algorithm reads a number before Latin words as right to left: "350 Fifth Avenue" would print
  "Fifth Avenue 350". Each run of Latin letters, digits and their punctuation in a
  right-to-left document is held between two LEFT-TO-RIGHT MARKs (U+200E), which the font draws
  as nothing: the run is then one left-to-right unit, as ``<bdi>`` keeps it on a page (the
  isolates U+2066-9 would do the same, but DejaVu Sans has no glyph for them).
- **User text cannot reorder the page.** Direction embeddings, overrides and isolates
  (U+202A-U+202E, U+2066-U+2069) are dropped from every text written (core.text
  ``strip_bidi_controls``): a PDF has no element to isolate them in, and a right-to-left
  override in a name would reverse the address or amount after it.

Barcodes on labels are Code 128 (subset B: printable ASCII), the symbology carriers scan; fpdf2
only draws Code 39 and Interleaved 2 of 5, so :func:`encode_code128b` implements it from the
standard's table and draws the bars as rectangles.

Output is deterministic for a given ``created_at``: the creation date is the only varying input,
and fpdf2 derives the file identifier from the content, so the same document gives the same bytes
(which keeps stored statements and their checksums stable).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal, TypeVar

from django.utils.translation import get_language_info
from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from souk.core.text import strip_bidi_controls

__all__ = [
    "CODE128_PATTERNS",
    "CODE128_START_B",
    "CODE128_STOP",
    "LABEL_100X150",
    "PageFormat",
    "PdfDocument",
    "code128_checksum",
    "encode_code128b",
    "isolate_latin_runs",
]

FONTS_DIR: Final[Path] = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY: Final = "DejaVuSans"

# A (width, height) in millimetres, or a named ISO size.
PageFormat = Literal["A4", "A5"] | tuple[float, float]

# The thermal label most carriers in Morocco and Europe print: 100 mm wide, 150 mm tall.
LABEL_100X150: Final[tuple[float, float]] = (100.0, 150.0)

_Cell = TypeVar("_Cell")

# Points to millimetres, for line heights computed from font sizes given in points.
_MM_PER_PT: Final = 25.4 / 72
_LINE_SPACING: Final = 1.35

# Code 128: each symbol value 0-106 is three bars and three spaces (the stop symbol has a fourth
# bar), written as their widths in modules, bar first. Every symbol is 11 modules wide (the stop
# 13) and its bars add up to an even number of modules; the tests check both properties, which
# catch a mistyped row. Source: ISO/IEC 15417 (Code 128 bar code symbology specification).
CODE128_PATTERNS: Final[tuple[str, ...]] = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312",  # 0-7
    "132212", "221213", "221312", "231212", "112232", "122132", "122231", "113222",  # 8-15
    "123122", "123221", "223211", "221132", "221231", "213212", "223112", "312131",  # 16-23
    "311222", "321122", "321221", "312212", "322112", "322211", "212123", "212321",  # 24-31
    "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",  # 32-39
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121",  # 40-47
    "313121", "211331", "231131", "213113", "213311", "213131", "311123", "311321",  # 48-55
    "331121", "312113", "312311", "332111", "314111", "221411", "431111", "111224",  # 56-63
    "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",  # 64-71
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",  # 72-79
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112",  # 80-87
    "421211", "212141", "214121", "412121", "111143", "111341", "131141", "114113",  # 88-95
    "114311", "411113", "411311", "113141", "114131", "311141", "411131", "211412",  # 96-103
    "211214", "211232", "2331112",  # 104-106
)  # fmt: skip
CODE128_START_B: Final = 104
CODE128_STOP: Final = 106
_CODE128_CHECKSUM_MODULUS: Final = 103
# Subset B encodes the printable ASCII characters: value = code point - 32.
_CODE128B_FIRST: Final = 0x20
_CODE128B_LAST: Final = 0x7E
# The standard asks for a quiet zone of at least ten modules on each side of the symbol.
_CODE128_QUIET_MODULES: Final = 10


def code128_checksum(values: Sequence[int]) -> int:
    """The check symbol of Code 128: the start value plus each data value times its position."""
    start, *data = values
    weighted = sum(position * value for position, value in enumerate(data, start=1))
    return (start + weighted) % _CODE128_CHECKSUM_MODULUS


def encode_code128b(value: str) -> list[int]:
    """The symbol values of ``value`` in Code 128 subset B: start B, data, check symbol, stop.

    Raises ``ValueError`` for an empty value or a character outside printable ASCII: order
    numbers and tracking numbers are ASCII, and anything else is a bug in the caller.
    """
    if not value:
        raise ValueError("A Code 128 barcode needs at least one character.")
    data: list[int] = []
    for character in value:
        code_point = ord(character)
        if not _CODE128B_FIRST <= code_point <= _CODE128B_LAST:
            raise ValueError(f"Code 128 subset B cannot encode {character!r} in {value!r}.")
        data.append(code_point - _CODE128B_FIRST)
    values = [CODE128_START_B, *data]
    return [*values, code128_checksum(values), CODE128_STOP]


# A run of Latin (with accents) or digits, and the punctuation, spaces and signs inside it;
# it starts and ends with a letter or digit (a leading + for phone numbers, a closing bracket).
_LATIN_RUN: Final = re.compile(
    r"[+A-Za-z0-9\u00C0-\u024F]"
    r"(?:[A-Za-z0-9\u00C0-\u024F .,;:'\u2019\-/#&()+]*[A-Za-z0-9\u00C0-\u024F)])?"
)
LEFT_TO_RIGHT_MARK: Final = "\u200e"


def isolate_latin_runs(text: str) -> str:
    """``text`` with each Latin or numeric run between LEFT-TO-RIGHT MARKs, so that a right-to-
    left paragraph keeps its inner order ("350 Fifth Avenue", "+1 212 555 0100")."""
    return _LATIN_RUN.sub(lambda run: f"{LEFT_TO_RIGHT_MARK}{run[0]}{LEFT_TO_RIGHT_MARK}", text)


def _is_right_to_left(language: str) -> bool:
    # Django's own table (the one that sets <html dir="rtl">), so PDFs and pages agree.
    try:
        return bool(get_language_info(language)["bidi"])
    except KeyError:
        raise ValueError(f"Unknown language code {language!r}.") from None


class PdfDocument:
    """A PDF being built top to bottom: headings, paragraphs, tables, barcodes, then bytes.

    Each method writes at the current position and moves below what it wrote; content that does
    not fit goes on a new page (table headings are repeated there).
    """

    def __init__(
        self,
        *,
        title: str,
        language: str,
        page_format: PageFormat = "A4",
        margin: float | None = None,
        font_size: float = 10.0,
        created_at: datetime.datetime | None = None,
    ) -> None:
        """Start a document with one empty page.

        ``margin`` is in millimetres; by default 15 on A4 and A5 and 5 on custom sizes, since
        labels are small and label printers print almost to the edge. ``created_at`` must be
        timezone-aware; pass it to get byte-identical output for the same content.
        """
        if created_at is None:
            created_at = datetime.datetime.now(tz=datetime.UTC)
        if created_at.tzinfo is None:
            # fpdf2 would read a naive value in the server's local time zone.
            raise ValueError("created_at must be timezone-aware.")
        if margin is None:
            margin = 15.0 if isinstance(page_format, str) else 5.0
        self.language = language
        self.is_right_to_left = _is_right_to_left(language)
        self.font_size = font_size

        pdf = FPDF(unit="mm", format=page_format)
        pdf.set_title(strip_bidi_controls(title))
        pdf.set_lang(language)
        pdf.set_creator("Souk")
        pdf.set_creation_date(created_at)
        pdf.set_margins(left=margin, top=margin, right=margin)
        pdf.set_auto_page_break(auto=True, margin=margin)
        pdf.add_font(FONT_FAMILY, style="", fname=FONTS_DIR / "DejaVuSans.ttf")
        pdf.add_font(FONT_FAMILY, style="B", fname=FONTS_DIR / "DejaVuSans-Bold.ttf")
        # The base direction is set, not guessed from each paragraph's first letter: a French
        # slip line that starts with an Arabic name must still run left to right.
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl" if self.is_right_to_left else "ltr"
        )
        pdf.set_font(FONT_FAMILY, size=font_size)
        pdf.add_page()
        self._pdf = pdf

    @property
    def _align(self) -> Align:
        return Align.R if self.is_right_to_left else Align.L

    def _line_height(self, font_size: float) -> float:
        return font_size * _MM_PER_PT * _LINE_SPACING

    def _text(self, text: str) -> str:
        """What is written: the user's direction controls removed, and in a right-to-left
        document each Latin run kept in its own order (isolate_latin_runs)."""
        cleaned = strip_bidi_controls(text)
        return isolate_latin_runs(cleaned) if self.is_right_to_left else cleaned

    def _in_reading_order(self, cells: Sequence[_Cell]) -> list[_Cell]:
        # fpdf2 lays table columns out left to right; an Arabic table starts from the right.
        return list(reversed(cells)) if self.is_right_to_left else list(cells)

    def heading(self, text: str, *, level: Literal[1, 2] = 1) -> None:
        """A bold title (level 1) or section title (level 2), followed by a little space."""
        size = self.font_size * (1.6 if level == 1 else 1.25)
        self._pdf.set_font(FONT_FAMILY, style="B", size=size)
        self._pdf.multi_cell(
            w=0,
            h=self._line_height(size),
            text=self._text(text),
            align=self._align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self._pdf.set_font(FONT_FAMILY, style="", size=self.font_size)
        self._pdf.ln(self._line_height(self.font_size) / 3)

    def paragraph(self, text: str) -> None:
        """Body text, wrapped to the page width; ``\\n`` starts a new line."""
        self._pdf.multi_cell(
            w=0,
            h=self._line_height(self.font_size),
            text=self._text(text),
            align=self._align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self._pdf.ln(self._line_height(self.font_size) / 3)

    def key_values(self, rows: Sequence[tuple[str, str]], *, label_share: float = 0.35) -> None:
        """Label and value pairs (addresses, order details), labels in bold, without borders.

        ``label_share`` is the fraction of the width given to the labels.
        """
        if not 0 < label_share < 1:
            raise ValueError("label_share must be between 0 and 1.")
        widths = (label_share, 1 - label_share)
        with self._pdf.table(
            col_widths=tuple(reversed(widths)) if self.is_right_to_left else widths,
            first_row_as_headings=False,
            borders_layout=TableBordersLayout.NONE,
            text_align=self._align,
            line_height=self._line_height(self.font_size),
            padding=(0.5, 1),
        ) as table:
            for label, value in rows:
                row = table.row()
                label_style = FontFace(emphasis="BOLD")
                cells = [(label, label_style), (value, None)]
                if self.is_right_to_left:
                    cells.reverse()
                for text, style in cells:
                    row.cell(self._text(text), style=style)
        self._pdf.ln(self._line_height(self.font_size) / 2)

    def table(
        self,
        *,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float] | None = None,
    ) -> None:
        """A bordered table whose heading row is repeated on every page it spans.

        ``widths`` are relative (``(3, 1, 1)`` gives the first column three fifths), in reading
        order like ``headers``; by default the columns share the width equally. Every row must
        have one cell per header.
        """
        if widths is not None and len(widths) != len(headers):
            raise ValueError(f"{len(widths)} widths given for {len(headers)} columns.")
        for row_cells in rows:
            if len(row_cells) != len(headers):
                raise ValueError(f"A row has {len(row_cells)} cells for {len(headers)} columns.")
        with self._pdf.table(
            col_widths=None if widths is None else tuple(self._in_reading_order(widths)),
            text_align=self._align,
            line_height=self._line_height(self.font_size),
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            padding=(0.8, 1.5),
        ) as table:
            for cells in [headers, *rows]:
                row = table.row()
                for text in self._in_reading_order(cells):
                    row.cell(self._text(text))
        self._pdf.ln(self._line_height(self.font_size) / 2)

    def barcode_code128(
        self,
        value: str,
        *,
        module_width: float = 0.33,
        height: float = 15.0,
        show_text: bool = True,
    ) -> None:
        """A Code 128 barcode of ``value``, centred, with the value printed under it.

        ``module_width`` (the narrowest bar, in millimetres) and ``height`` should follow the
        carrier's specification; 0.33 mm scans reliably on 203 dpi thermal printers. Raises
        ``ValueError`` when the symbol and its quiet zones do not fit the page width.
        """
        values = encode_code128b(value)
        modules = [int(width) for symbol in values for width in CODE128_PATTERNS[symbol]]
        total_width = (sum(modules) + 2 * _CODE128_QUIET_MODULES) * module_width
        pdf = self._pdf
        if total_width > pdf.epw:
            raise ValueError(
                f"The barcode of {value!r} needs {total_width:.1f} mm; the page has {pdf.epw:.1f}."
            )
        text_height = self._line_height(self.font_size) if show_text else 0.0
        if pdf.will_page_break(height + text_height):
            pdf.add_page()
        x = pdf.l_margin + (pdf.epw - total_width) / 2 + _CODE128_QUIET_MODULES * module_width
        y = pdf.get_y()
        pdf.set_fill_color(0)
        # Widths alternate bar, space, bar, ...: every symbol but the stop has six elements,
        # starting with a bar and ending with a space; the stop's seventh is the final bar.
        is_bar = True
        for width in modules:
            if is_bar:
                pdf.rect(x=x, y=y, w=width * module_width, h=height, style="F")
            x += width * module_width
            is_bar = not is_bar
        pdf.set_y(y + height)
        if show_text:
            pdf.cell(
                w=0,
                h=text_height,
                text=value,
                align=Align.C,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        pdf.ln(self._line_height(self.font_size) / 2)

    def qr_code(self, matrix: Sequence[Sequence[bool | int]], *, size: float = 30.0) -> None:
        """A QR code from its module matrix (segno's `matrix`, quiet zone included), centred,
        `size` millimetres wide."""
        pdf = self._pdf
        if pdf.will_page_break(size):
            pdf.add_page()
        module = size / len(matrix)
        left = pdf.l_margin + (pdf.epw - size) / 2
        top = pdf.get_y()
        pdf.set_fill_color(0)
        for row_index, row in enumerate(matrix):
            for column_index, dark in enumerate(row):
                if dark:
                    pdf.rect(
                        x=left + column_index * module,
                        y=top + row_index * module,
                        w=module,
                        h=module,
                        style="F",
                    )
        pdf.set_y(top + size)
        pdf.ln(self._line_height(self.font_size) / 2)

    def new_page(self, *, language: str | None = None) -> None:
        """Go on on a new page, in `language` (and its direction) when given: a French copy
        after an Arabic page."""
        self._pdf.add_page()
        if language is not None:
            self.language = language
            self.is_right_to_left = _is_right_to_left(language)
            self._pdf.set_text_shaping(
                use_shaping_engine=True, direction="rtl" if self.is_right_to_left else "ltr"
            )

    @property
    def page_count(self) -> int:
        """Pages so far; the document starts with one."""
        return self._pdf.pages_count

    def output(self) -> bytes:
        """The finished PDF file."""
        return bytes(self._pdf.output())
