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
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


@dataclass(frozen=True)
class Rate:
    """A rate and its 95 % interval, as fractions between 0 and 1."""

    received: int
    answered: int  # received + not received: the n of the rate
    population: int | None
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
