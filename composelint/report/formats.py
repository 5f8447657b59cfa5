"""Names of the output formats (kept apart so the CLI can list them without importing the reports)."""

FORMAT_NAMES = ("full", "concise", "json")
