"""The select_for_update querysets of favourites, nothing else."""

from __future__ import annotations

from souk.favourites.models import WatchedPiece


def watched_piece(product_id: int) -> WatchedPiece | None:
    """A saved piece's last state, locked: two changes of the piece at once tell once."""
    return WatchedPiece.objects.select_for_update().filter(product_id=product_id).first()
