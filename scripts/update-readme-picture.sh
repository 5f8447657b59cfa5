#!/usr/bin/env bash
# Redraw the picture the README shows (tests/test_picture.py fails when it is out of date).
set -euo pipefail
cd "$(dirname "$0")/.."
composelint model fixtures/examples/host-mode --output-format svg -o docs/images/model-host-mode.svg
