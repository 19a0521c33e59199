"""What every renderer shares: measures, colours, scripts and languages, bidi levels, the
stamp, the watermark text, and the one way to make a cache (``kept``)."""
