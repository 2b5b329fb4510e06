"""The footer without half keys: what does not fit whole is left out (F1 lists every key).

Textual's footer lets the last keys run under the palette key docked on the right, so the
room read « f8 Phase su » or « ^t Parti ».
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Footer showing only the keys that fit whole, in their order of importance."""

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        for key in self.query(FooterKey):  # measured again at their natural place
            key.display = True
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        palettes = self.query(".-command-palette")
        limit = palettes.first().region.x if palettes else self.region.right
        hiding = False
        for key in keys:
            hiding = hiding or key.region.right > limit
            key.display = not hiding
