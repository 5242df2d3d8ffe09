"""Charts drawn with matplotlib (imported only here, only by the commands that draw): a deterministic
figure saved as SVG and PNG (no dates or software stamps, a fixed SVG hash salt, text kept as text)."""
from __future__ import annotations

import io


def pyplot(salt: str):
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = salt
    matplotlib.rcParams["svg.fonttype"] = "none"
    from matplotlib import pyplot as plt

    return plt


def files(figure, plt, extensions: tuple[str, ...] = (".svg", ".png")) -> dict[str, bytes]:
    """{'.svg': ..., '.png': ...} (those of `extensions`); the figure is closed afterwards."""
    out = {}
    try:
        for extension, options in ((".svg", {"metadata": {"Date": None}}),
                                   (".png", {"metadata": {"Software": None}})):
            if extension not in extensions:
                continue
            buffer = io.BytesIO()
            # bbox_inches: the saved picture holds every label drawn, a long one past the axes' edge included
            figure.savefig(buffer, format=extension[1:], bbox_inches="tight", pad_inches=0.1, **options)
            out[extension] = buffer.getvalue()
    finally:
        plt.close(figure)
    return out
