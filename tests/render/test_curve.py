"""The serve page's cost-per-user curve: labelled y axis, x labels that do not overlap (found on a screenshot:
'500,000 1,000,0001,500,000' ran together and the y axis had no values)."""
import re

from archplan.render.charts import MIN_LABEL_GAP, curve

POINTS = [(1500, 1.12), (2000, 0.85), (5000, 0.38), (10000, 0.22), (20000, 0.13), (50000, 0.08),
          (100000, 0.06), (200000, 0.05), (500000, 0.044), (1e6, 0.042), (1.5e6, 0.041)]


def test_x_labels_keep_apart_and_the_y_axis_has_values():
    svg = curve("Cost per user", POINTS, "daily active users", "AUD per user")
    x_labels = [(float(x), text) for x, text in
                re.findall(r'<text x="([\d.]+)" y="284" font-size="10" text-anchor="middle">([^<]+)</text>', svg)]
    assert x_labels[0][1] == "1.5k" and ("1M", ) == tuple(t for _x, t in x_labels if t == "1M")
    assert all(b - a >= MIN_LABEL_GAP for (a, _), (b, _) in zip(x_labels, x_labels[1:]))
    assert len(re.findall(r"<circle ", svg)) == len(POINTS)  # every point is drawn, with its tooltip
    y_labels = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert {"0", "0.5", "1"} <= set(y_labels)
