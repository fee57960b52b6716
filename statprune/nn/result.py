"""The result of a pruning run: per-layer sparsity, metrics before/after, model sizes."""

from __future__ import annotations

import gzip
import html
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..results import Result

__all__ = ["NNPruneResult", "model_sizes", "layer_table"]


def _gzip_size(arrays: Sequence[np.ndarray], dtype: Any = np.float32) -> int:
    raw = b"".join(np.ascontiguousarray(a, dtype=dtype).tobytes() for a in arrays)
    return len(gzip.compress(raw, compresslevel=9, mtime=0))


def model_sizes(kernels: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> dict[str, int]:
    """Sizes of a network's weights: counts, nonzeros, raw float32 bytes, gzip bytes (as TF-MOT's docs measure)."""
    arrays = [*kernels, *biases]
    n = int(sum(a.size for a in arrays))
    return {
        "n_weights": n,
        "n_nonzero": int(sum(np.count_nonzero(a) for a in arrays)),
        "kernel_weights": int(sum(a.size for a in kernels)),
        "kernel_nonzero": int(sum(np.count_nonzero(a) for a in kernels)),
        "float32_bytes": 4 * n,
        "gzip_bytes": _gzip_size(arrays),
        # kernels stored as CSR (float32 values, int32 column indices and row pointers), biases dense
        "csr_bytes": int(sum(8 * np.count_nonzero(k) + 4 * (k.reshape(k.shape[0], -1).shape[0] + 1) for k in kernels))
        + 4 * int(sum(b.size for b in biases)),
    }


@dataclass(repr=False)
class NNPruneResult(Result):
    """Outcome of magnitude pruning: per-layer sparsity, metrics before/after, sizes.

    ``to_frame()`` has one row per kernel; ``to_json()`` the keys ``method``,
    ``scores`` (achieved sparsity per layer), ``selected``/``pruned`` (input features
    with some / no remaining outgoing weight), ``metrics``, ``layers``, ``sizes``,
    ``schedule``, ``provenance``.
    """

    method: str
    task: str
    feature_names: list[str]
    layers: pd.DataFrame
    metrics: dict[str, Any]
    sizes: dict[str, dict[str, int]]
    schedule: dict[str, Any]
    scope: str
    target_sparsity: float
    steps: int
    history: list[dict[str, Any]]
    provenance: dict[str, Any]
    kernels: list[np.ndarray] = field(repr=False, default_factory=list)
    dense_kernels: list[np.ndarray] = field(repr=False, default_factory=list)
    model: Any = field(repr=False, default=None)
    pruned_model: Any = field(repr=False, default=None)
    preprocessing: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def pruned_features(self) -> list[str]:
        """Inputs whose outgoing first-layer weights are all zero (the network ignores them)."""
        if not self.kernels:
            return []
        dead = ~np.any(self.kernels[0] != 0, axis=1)
        return [f for f, d in zip(self.feature_names, dead) if d]

    @property
    def selected_features(self) -> list[str]:
        gone = set(self.pruned_features)
        return [f for f in self.feature_names if f not in gone]

    def to_frame(self) -> pd.DataFrame:
        """One row per kernel: shape, weights, nonzeros, achieved and target sparsity, threshold."""
        return self.layers.copy()

    def _summary_text(self) -> str:
        m = self.metrics
        lines = [
            f"Magnitude pruning ({self.method}, {'layer-wise' if self.scope == 'layer' else 'global threshold'}, schedule {self.schedule.get('class_name')})",
            f"target sparsity {self.target_sparsity:.3g}, {self.steps} optimizer steps",
            "",
            self.layers.to_string(index=False),
            "",
        ]
        sc, ls = m.get("score_name", "score"), m.get("loss_name", "loss")
        lines.append(f"{sc:<10} before {m.get('score_before', float('nan')):.4f}   after {m.get('score_after', float('nan')):.4f}")
        lines.append(f"{ls:<10} before {m.get('loss_before', float('nan')):.4f}   after {m.get('loss_after', float('nan')):.4f}")
        d, p = self.sizes.get("dense", {}), self.sizes.get("pruned", {})
        if d and p:
            lines.append(
                f"size       {d['n_nonzero']} -> {p['n_nonzero']} nonzero weights; "
                f"gzip {d['gzip_bytes']} -> {p['gzip_bytes']} bytes (float32)"
            )
        if self.feature_names:
            lines.append(f"inputs with no remaining weight: {len(self.pruned_features)} of {len(self.feature_names)}")
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"method={self.method!r} scope={self.scope!r} target_sparsity={self.target_sparsity:g}"

    def _summary_html(self) -> str:
        m = self.metrics
        head = (
            f"<p><b>Magnitude pruning</b> ({html.escape(self.method)}, {html.escape(self.scope)} scope), "
            f"target sparsity {self.target_sparsity:.3g}; {html.escape(str(m.get('score_name')))} "
            f"{m.get('score_before', float('nan')):.4f} &rarr; {m.get('score_after', float('nan')):.4f}</p>"
        )
        return head + self.layers.to_html(index=False)

    def to_dict(self) -> dict[str, Any]:
        scores = {str(r.layer): float(r.sparsity) for r in self.layers.itertuples()}
        return {
            "method": self.method,
            "task": self.task,
            "scope": self.scope,
            "target_sparsity": self.target_sparsity,
            "scores": scores,
            "selected": self.selected_features,
            "pruned": self.pruned_features,
            "metrics": self.metrics,
            "layers": self.layers.to_dict(orient="records"),
            "sizes": self.sizes,
            "schedule": self.schedule,
            "steps": self.steps,
            "mask_updates": self.history,
            "provenance": self.provenance,
        }



def layer_table(kernels: Sequence[np.ndarray], thresholds: Sequence[float], target: Sequence[float], names: Sequence[str] | None = None) -> pd.DataFrame:
    rows = []
    for i, w in enumerate(kernels):
        n = int(w.size)
        nz = int(np.count_nonzero(w))
        rows.append(
            {
                "layer": names[i] if names else f"dense_{i}",
                "shape": "x".join(map(str, w.shape)),
                "n_weights": n,
                "n_nonzero": nz,
                "sparsity": 1.0 - nz / n,
                "target_sparsity": float(target[i]),
                "threshold": float(thresholds[i]),
            }
        )
    return pd.DataFrame(rows)
