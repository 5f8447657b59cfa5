"""Names of the output formats (kept apart so the CLI can list them without importing the reports)."""

FORMAT_NAMES = (
    "full",
    "concise",
    "grouped",
    "json",
    "json-lines",
    "sarif",
    "github",
    "gitlab",
    "checkstyle",
    "junit",
    "rdjson",
    "rdjsonl",
)
