"""One search across everything: words to stems (analyze), an FTS5 index (engine), the app's documents (catalog)."""
