"""The result of a stability selection."""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..results import SelectionResult
from .bounds import ASSUMPTION_TITLES, Assumption, StabselParameters, fmt, stabsel_parameters

__all__ = ["StabilityResult"]


@dataclass(repr=False)
class StabilityResult(SelectionResult):
    """A stability selection: selection probabilities, stability paths, the selected set and its error bound.

    Attributes
    ----------
    max : pd.Series
        Selection probability of each variable over the subsamples (``stabs``' ``max``).
    phat : pd.DataFrame
        Stability paths (variables x lambda steps): the fraction of subsamples in
        which the variable is in the model at step ``k`` of the path. Step ``k`` is
        lambda = lambda_max(subsample) * lambda_min_ratio^(k/(nlambda-1)), the same
        fraction of each subsample's own lambda_max (glmnet's default grid), and
        paths stopped earlier (``pmax``) are padded with their last column, as stabs
        does; so ``phat.iloc[:, -1]`` equals ``max``.
    selected : list of str
        Variables with ``max >= cutoff``.
    parameters : StabselParameters
        cutoff, q, PFER bound, assumption, B, sampling type.
    classes : list or None
        Binomial: the two classes in R's ``levels(factor(y))`` order; the second is
        the event the Lasso models (as in GlmnetCV's ``classes_``).
    """

    max: pd.Series
    phat: pd.DataFrame
    parameters: StabselParameters
    feature_names: list[str]
    n_fits: int
    engine: str
    family: str
    type: str
    seed: int | None
    lambda_fraction: np.ndarray | None = None
    folds: np.ndarray | None = field(default=None, repr=False)
    provenance: dict[str, Any] = field(default_factory=dict)
    classes: list[Any] | None = None
    n_samples: int | None = None

    @property
    def cutoff(self) -> float:
        return self.parameters.cutoff

    @property
    def q(self) -> int | float:
        return self.parameters.q

    @property
    def pfer(self) -> float:
        return self.parameters.pfer

    @property
    def assumption(self) -> str:
        return self.parameters.assumption

    @property
    def selected(self) -> list[str]:
        return [n for n in self.feature_names if self.max[n] >= self.cutoff]

    @property
    def pruned(self) -> list[str]:
        return [n for n in self.feature_names if self.max[n] < self.cutoff]

    def with_parameters(self, *, cutoff: float | None = None, pfer: float | None = None,
                        assumption: Assumption | None = None) -> "StabilityResult":
        """A copy with another cutoff or PFER (and/or assumption) for the same fits (``stabs::stabsel.stabsel``)."""
        if cutoff is not None and pfer is not None:
            raise ParameterError("give only one of cutoff and pfer (q is fixed by the fits)")
        pars = self.parameters
        assumption = assumption or pars.assumption
        if cutoff is None and pfer is None:
            cutoff = pars.cutoff
        new = stabsel_parameters(pars.p, cutoff=cutoff, q=pars.q, pfer=pfer, B=pars.B, assumption=assumption,
                                 sampling_type=pars.sampling_type, warn=False)  # type: ignore[arg-type]
        return replace(self, parameters=new)

    def to_frame(self) -> pd.DataFrame:
        """One row per variable: selection probability, selected, rank (highest probability first)."""
        df = pd.DataFrame({"probability": self.max.to_numpy(), "selected": (self.max >= self.cutoff).to_numpy()},
                          index=pd.Index(self.feature_names, name="term"))
        df["rank"] = df["probability"].rank(ascending=False, method="min").astype(int)
        return df.sort_values(["probability"], ascending=False, kind="stable")

    @property
    def n_rows(self) -> int | None:
        """Rows of the data the subsamples were drawn from."""
        return self.n_samples

    def _details(self) -> dict[str, Any]:
        return {
            "method": "stability selection",
            "sampling_type": self.parameters.sampling_type,
            "assumption": self.assumption,
            **self.parameters.to_dict(),
            "significance_level": self.parameters.significance_level,
            "engine": self.engine,
            "family": self.family,
            "type": self.type,
            "n_fits": self.n_fits,
            "seed": self.seed,
            "probabilities": {k: float(v) for k, v in self.max.items()},
            "paths": {k: [float(v) for v in row] for k, row in zip(self.phat.index, self.phat.to_numpy())},
            "lambda_fraction": None if self.lambda_fraction is None else [float(v) for v in self.lambda_fraction],
            **({} if self.classes is None else {"classes": [c if isinstance(c, (bool, int, float)) else str(c)
                                                            for c in self.classes]}),
        }

    def _summary_text(self) -> str:
        head = ASSUMPTION_TITLES[self.assumption]
        lines = [f"\tStability Selection {head}", ""]
        sel = self.selected
        lines.append("Selected variables: " + (", ".join(sel) if sel else "none"))
        lines.append("")
        lines.append("Selection probabilities:")
        fr = self.to_frame()
        w = max(len(n) for n in fr.index)
        for name, row in fr.iterrows():
            mark = "*" if row["selected"] else " "
            lines.append(f"  {name:<{w}}  {row['probability']:.2f} {mark}")
        lines.append("")
        lines.append("---")
        lines.extend(str(self.parameters).splitlines()[2:])
        lines.append(f"Base learner: Lasso path ({self.engine}, {self.family}, first q = {fmt(self.q)} to enter, "
                     f"{self.type}); {self.n_fits} subsample fits")
        return "\n".join(lines)

    def _repr_info(self) -> str:
        return f"selected={self.selected!r} cutoff={self.cutoff:g} q={fmt(self.q)} PFER<={self.pfer:g}"

    def _summary_html(self) -> str:
        pars = self.parameters
        rows = "".join(
            f"<tr><td>{html.escape(str(n))}</td><td>{r['probability']:.2f}</td><td>{'yes' if r['selected'] else ''}</td></tr>"
            for n, r in self.to_frame().iterrows()
        )
        return (
            f"<div><b>Stability selection</b> ({html.escape(pars.assumption)} bound, {pars.sampling_type}, B={pars.B}): "
            f"cutoff={pars.cutoff:g}, q={fmt(pars.q)}, PFER&le;{pars.pfer:g}"
            f"<table><thead><tr><th>term</th><th>probability</th><th>selected</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
