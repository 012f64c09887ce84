"""The patient handout: the PDF sheet and its print-friendly Markdown."""
