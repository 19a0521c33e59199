"""The DRAFT watermark: one rule for every format.

It is drawn over the content, so no shaded box (the bottom line, the changes box, a table
header) can hide part of it, and it is translucent, so the text under it stays legible. It is
centred on the page and turned ``ANGLE`` degrees, in the style sheet's ``watermark`` paragraph
style (font, size, colour); the PDF and the Word document both follow this module.
"""

from __future__ import annotations

TEXT = "DRAFT"
ANGLE = 45.0  # degrees counter-clockwise: it reads from the lower left to the upper right
OPACITY = 0.22  # of the watermark colour over whatever lies under it
CAP_HEIGHT = 0.72  # of the font size: the height of the capitals, for a box around them
