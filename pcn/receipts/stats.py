"""The confirmed rate of a receipt check and its 95 % margin of error. Pure arithmetic, no Django.

The rate: among the sampled households that answered « received » or « not received », the share that
said « received »:

    p = x / n,   x = received,   n = received + not received

(« unreachable » answers and households not yet asked are left out of both counts.) With n = 0 there is no
rate.

The interval: the Wilson score interval at 95 % (z = 1.959964), which stays inside 0–100 % and behaves
well with small samples and rates near 100 % (where « p ± 1.96·√(p(1−p)/n) » would claim ± 0 at 10 out of
10):

    centre = (p + z²/2m) / (1 + z²/m)
    half   = z / (1 + z²/m) · √( p(1−p)/m + z²/4m² )
    low, high = centre − half, centre + half

where m is the sample size n, corrected for a finite population: the households were drawn without
replacement among the N households of the partner that received coupons, so when the sample is a large
share of them the estimate is more precise. The variance is multiplied by the finite population
correction f = (N − n) / (N − 1), which is the same as using the effective size m = n / f in the formula
above. When n = N (every household answered) f = 0: the rate is known exactly, low = high = p. Without N
(unknown population) m = n, the plain Wilson interval.

The margin shown as « ± points » is half the interval's width, (high − low) / 2; the interval itself is
not centred on p (it leans toward 50 %), which is why pages also show its two ends.

In plain words: we can be 95 % sure that the rate for all the partner's households lies in the interval;
if the draw were repeated 100 times, about 95 of the intervals computed this way would contain the true
rate.

All partners together (`stratified_rate`). Each partner is a stratum drawn on its own, at its own sampling
fraction (4 of 31 households for one, 4 of 4 for another), so pooling the answers would let a small partner
weigh as much as a large one. The all-partners rate is the stratified estimate instead: each partner h
with answers weighs by its number of households given coupons N_h, out of N = Σ N_h over those partners:

    p   = Σ (N_h / N) · p_h,                 p_h = x_h / n_h (the partner's own confirmed rate)
    var = Σ (N_h / N)² · p_h(1 − p_h) / n_h · f_h,   f_h = (N_h − n_h) / (N_h − 1)
    low, high = p ∓ 1.96 · √var, clipped to [0, 1]

(the normal approximation: with several partners the sum is closer to normal than each partner's rate, and
there is no Wilson interval for a weighted sum). Two limits, which pages say in plain words:
- A partner where every answer was the same (p_h = 0 or 1) adds no variance: the normal approximation sees
  no spread there, so the interval is too narrow when such a partner answered only in part (when all its
  households answered, f_h = 0 and the zero is right). `unsure` lists those partners.
- A partner with households but no answer either way has no p_h: it is left out of the estimate (and of N),
  which then speaks only for the partners with answers. `left_out` lists them.
The rate is exact (low = high = p, nothing sampled) only when every household of every partner answered.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


class _Percents:
    """What pages show of a rate: percents rounded to one decimal, and the margin in points."""

    rate: float
    low: float
    high: float

    @property
    def margin(self) -> float:
        """Half the interval's width (as a fraction), for « ± x points »."""
        return (self.high - self.low) / 2

    @property
    def rate_percent(self) -> Decimal:
        return percent(self.rate)

    @property
    def low_percent(self) -> Decimal:
        return percent(self.low)

    @property
    def high_percent(self) -> Decimal:
        return percent(self.high)

    @property
    def margin_points(self) -> Decimal:
        return percent(self.margin)


@dataclass(frozen=True)
class Rate(_Percents):
    """A rate and its 95 % interval, as fractions between 0 and 1."""

    received: int
    answered: int  # received + not received: the n of the rate
    population: int | None
    rate: float
    low: float
    high: float

    @property
    def exact(self) -> bool:
        """Every household of the population answered (n = N): the rate is known, not estimated. (A margin
        that merely rounds to 0.0 points is not exact.)"""
        return self.population is not None and self.answered == self.population


@dataclass(frozen=True)
class Stratum:
    """One partner's figures for the stratified estimate: its answers and its households given coupons."""

    received: int
    not_received: int
    population: int


@dataclass(frozen=True)
class StratifiedRate(_Percents):
    """The all-partners rate (see the module docstring); `left_out` and `unsure` are indexes into the
    strata given to `stratified_rate`."""

    received: int  # Σ x_h over the partners in the estimate (for display; the rate is not Σx / Σn)
    answered: int  # Σ n_h
    population: int  # N = Σ N_h over the partners in the estimate
    rate: float
    low: float
    high: float
    variance: float
    exact: bool
    left_out: tuple[int, ...] = ()
    unsure: tuple[int, ...] = ()


def percent(fraction: float, places: int = 1) -> Decimal:
    """A fraction as a percent, rounded half up to `places` decimals (0.9234 → Decimal('92.3'))."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(repr(fraction)) * 100).quantize(quantum, rounding=ROUND_HALF_UP)


def finite_population_correction(n: int, population: int | None) -> float:
    """f = (N − n) / (N − 1); 1 when the population is unknown; 0 when the whole population answered."""
    if population is None:
        return 1.0
    if population < n:
        raise ValueError("the sample cannot be larger than its population")
    if population <= 1:
        return 0.0
    return (population - n) / (population - 1)


def wilson_interval(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for an observed proportion p in a sample of (effective, possibly fractional)
    size n > 0."""
    if n <= 0:
        raise ValueError("n must be positive")
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Rounding can leave the bounds a hair outside [0, 1] or past p (at x = 0 or x = n).
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def confirmed_rate(received: int, not_received: int, population: int | None = None, z: float = Z95) -> Rate | None:
    """The confirmed rate received / (received + not received) with its 95 % interval; None when nobody
    answered either way. `population` is N, the number of households the sample was drawn from (for the
    finite population correction); None for the plain Wilson interval."""
    if received < 0 or not_received < 0:
        raise ValueError("counts cannot be negative")
    n = received + not_received
    if n == 0:
        return None
    p = received / n
    f = finite_population_correction(n, population)
    if f == 0:
        low = high = p
    else:
        low, high = wilson_interval(p, n / f, z)
    return Rate(received=received, answered=n, population=population, rate=p, low=low, high=high)


def stratified_rate(strata: list[Stratum], z: float = Z95) -> StratifiedRate | None:
    """The stratified estimate over the strata with answers, and its normal-approximation 95 % interval
    (module docstring). Strata without households are ignored; strata with households but no answer either
    way are left out (`left_out`). None when no stratum has an answer."""
    included, left_out, unsure = [], [], []
    for index, s in enumerate(strata):
        if s.received < 0 or s.not_received < 0:
            raise ValueError("counts cannot be negative")
        n = s.received + s.not_received
        if n > s.population:
            raise ValueError("the sample cannot be larger than its population")
        if n == 0:
            if s.population:
                left_out.append(index)
            continue
        included.append((index, s, n))
    if not included:
        return None
    total = sum(s.population for _index, s, _n in included)
    rate = sum(s.population * (s.received / n) for _index, s, n in included) / total
    variance = 0.0
    for index, s, n in included:
        p = s.received / n
        f = finite_population_correction(n, s.population)
        if p in (0.0, 1.0) and f > 0:
            unsure.append(index)
        variance += (s.population / total) ** 2 * p * (1 - p) / n * f
    half = z * math.sqrt(variance)
    exact = not left_out and all(n == s.population for _index, s, n in included)
    return StratifiedRate(
        received=sum(s.received for _index, s, _n in included),
        answered=sum(n for _index, _s, n in included),
        population=total, rate=rate, low=max(0.0, rate - half), high=min(1.0, rate + half), variance=variance,
        exact=exact, left_out=tuple(left_out), unsure=tuple(unsure),
    )
