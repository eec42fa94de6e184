"""Plein on Matrix (matrix-nio): see README, "Plein on Matrix"."""

from adapters.matrix.adapter import MatrixAdapter

__all__ = ["MatrixAdapter"]
