"""Continuing care capabilities, on the shared permission layer (see docs/roles.md)."""

from __future__ import annotations
