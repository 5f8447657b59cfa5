"""Compose files: loading (include, extends, overrides, interpolation, merge, schema) and the
reader that fills the model."""
