"""Content and vocabularies: the validated data files, the content rules, review records, text helpers."""
