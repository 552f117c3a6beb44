"""Text analysis shared by loaders and rules: lines and paragraphs
(`lines`), fast substring look-ups (`needles`), the parts of an article a rule
scans (`pieces`) and dates written in text (`dates`)."""
