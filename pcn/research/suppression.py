"""Small-cell suppression for a two-way table of counts with its margins (row totals, column totals and the
grand total), as the research export publishes them. Pure Python, no Django.

The table is seen with its margins as one augmented grid of (R + 1) × (C + 1) positions: row R holds the
column totals, column C the row totals, (R, C) the grand total. Every row and every column of that grid is
a *line*: its inner members add up to its last member (its margin). A published line whose members are all
shown but one gives the hidden one away by subtraction.

The rule, applied until nothing changes:

1. Primary: every position (inner cell or margin) whose count is above zero and below the threshold is
   hidden. Zeros are shown: "nobody" is not a small group of people.
2. Lines: a line with exactly one hidden member gets a second one: a non-zero shown member (margins of
   the line excluded), the smallest of those whose crossing line already holds a single hidden member (one
   cell then protects two lines), else of those whose crossing line holds hidden members, else of all.
   And when a line's margin is shown, its hidden members must add up to at least the threshold; if not,
   one more shown member is hidden, chosen the same way (otherwise two hidden cells adding up to 2 would
   each be 1).
3. Chains: two lines with two hidden members each can still, together with others, pin a cell (a hidden
   cell that links two otherwise separate groups of hidden cells is the difference of their sums). Seen as
   a graph whose nodes are the grid's rows and columns and whose edges are the hidden positions, a hidden
   position is recoverable from the published figures exactly when its edge is a bridge (it lies on no
   cycle). For such an edge, one more position is hidden that closes a cycle through it: the smallest
   non-zero one between the two sides. When every such position is a zero (rare), the whole table is
   hidden.

A zero is never hidden, except in a table hidden whole: a line whose total is shown as 0 gives its cells
away, and a hidden zero would then give away what it was meant to protect.

At the end, every line has zero or at least two hidden members, and no hidden position can be computed
from the published ones by any combination of additions and subtractions. What remains known is what the
rule itself tells: a hidden count is either below the threshold or was hidden to protect one.
"""

from collections.abc import Sequence
from dataclasses import dataclass

Position = tuple[int, int]


@dataclass(frozen=True)
class Pattern:
    """Which positions of the augmented grid are hidden. `grid` is the table with its margins: row
    `rows` holds the column totals, column `columns` the row totals."""

    grid: tuple[tuple[int, ...], ...]
    rows: int
    columns: int
    hidden: frozenset[Position]
    primary: frozenset[Position]

    def is_hidden(self, i: int, j: int) -> bool:
        return (i, j) in self.hidden

    def shown(self, i: int, j: int) -> int | None:
        """The published count at (i, j): None when hidden."""
        return None if (i, j) in self.hidden else self.grid[i][j]

    @property
    def total_position(self) -> Position:
        return (self.rows, self.columns)


def with_margins(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals as a last column and column totals (and the grand total) as a last row."""
    rows = [list(row) for row in cells]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row must have the same number of cells")
    grid = [row + [sum(row)] for row in rows]
    grid.append([sum(row[j] for row in grid) for j in range(width + 1)] if grid else [0])
    return grid


def suppression_pattern(
    cells: Sequence[Sequence[int]], threshold: int, *, also: Sequence[Sequence[Sequence[int]]] = ()
) -> Pattern:
    """The positions to hide in `cells` (a rectangle of non-negative integer counts) and its margins.

    `also`: other count tables of the same shape whose small positions must be hidden as well (primary
    suppression), e.g. the part of each count a reader could work out by subtracting published rows."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    if any(value < 0 for table in (cells, *also) for row in table for value in row):
        raise ValueError("counts cannot be negative")
    grid = with_margins(cells)
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    hidden = {(i, j) for i in range(rows + 1) for j in range(columns + 1) if 0 < grid[i][j] < threshold}
    for table in also:
        other = with_margins(table)
        if len(other) != len(grid) or len(other[0]) != len(grid[0]):
            raise ValueError("every table must have the same shape")
        hidden |= {(i, j) for i in range(rows + 1) for j in range(columns + 1) if 0 < other[i][j] < threshold}
    primary = frozenset(hidden)
    if rows and columns:
        lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
        lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
        while _close_lines(grid, lines, hidden, threshold) or _close_chains(grid, rows, columns, hidden):
            pass
    return Pattern(
        grid=tuple(tuple(row) for row in grid), rows=rows, columns=columns,
        hidden=frozenset(hidden), primary=primary,
    )


def _smallest(grid, candidates: list[Position]) -> Position | None:
    """The candidate with the smallest non-zero count (first in reading order on a tie), else a zero one."""
    if not candidates:
        return None
    nonzero = [p for p in candidates if grid[p[0]][p[1]] > 0]
    return min(nonzero or candidates, key=lambda p: (grid[p[0]][p[1]], p))


def _best(grid, candidates: list[Position], line: list[Position], hidden: set[Position]) -> Position | None:
    """Among non-zero candidates of `line`, the one whose crossing line already has hidden members (hiding it
    there protects both lines at once, so fewer cells go), then the smallest."""
    if not candidates:
        return None
    across_rows = line[0][0] == line[-1][0]  # a row line: each candidate's crossing line is its column

    def crossing_hidden(p: Position) -> int:
        if across_rows:
            return sum(1 for (i, j) in hidden if j == p[1])
        return sum(1 for (i, j) in hidden if i == p[0])

    def rank(p: Position):
        n = crossing_hidden(p)
        return (0 if n == 1 else 1 if n >= 2 else 2, grid[p[0]][p[1]], p)

    return min(candidates, key=rank)


def _close_lines(grid, lines, hidden: set[Position], threshold: int) -> bool:
    """Step 2 over every line; True when a position was hidden."""
    added = False
    for line in lines:
        members, margin = line[:-1], line[-1]
        secret = [p for p in line if p in hidden]
        if not secret:
            continue
        too_few = len(secret) == 1
        too_little = margin not in hidden and sum(grid[i][j] for i, j in secret) < threshold
        if not (too_few or too_little):
            continue
        nonzero = [p for p in members if p not in hidden and grid[p[0]][p[1]] > 0]
        pick = _best(grid, nonzero, line, hidden)
        if pick is None and margin not in hidden and grid[margin[0]][margin[1]] > 0:
            pick = margin  # the other members are zeros (a zero is never hidden: "nobody" is known anyway)
        if pick is not None:
            hidden.add(pick)
            added = True
    return added


def _close_chains(grid, rows: int, columns: int, hidden: set[Position]) -> bool:
    """Step 3: hide one more position for the first bridge found; True when a position was hidden."""
    bridge = first_bridge(hidden)
    if bridge is None:
        return False
    side_rows, side_columns = _component(hidden - {bridge}, ("r", bridge[0]))
    other_rows, other_columns = _component(hidden - {bridge}, ("c", bridge[1]))
    candidates = [
        (i, j)
        for i in range(rows + 1)
        for j in range(columns + 1)
        if (i, j) not in hidden
        and ((i in side_rows and j in other_columns) or (i in other_rows and j in side_columns))
    ]
    nonzero = [p for p in candidates if grid[p[0]][p[1]] > 0]
    if nonzero:
        hidden.add(_smallest(grid, nonzero))
    else:
        # Every cell that would close the chain is a zero (rare: about one small table in 20,000). Rather
        # than hide a zero that other lines may give away, the whole table is hidden.
        hidden.update((i, j) for i in range(rows + 1) for j in range(columns + 1))
    return True


def _component(edges: set[Position], start: tuple[str, int]) -> tuple[set[int], set[int]]:
    """Rows and columns reachable from `start` through the hidden positions `edges`."""
    by_row: dict[int, list[int]] = {}
    by_column: dict[int, list[int]] = {}
    for i, j in edges:
        by_row.setdefault(i, []).append(j)
        by_column.setdefault(j, []).append(i)
    seen_rows: set[int] = set()
    seen_columns: set[int] = set()
    todo = [start]
    while todo:
        kind, index = todo.pop()
        if kind == "r":
            if index in seen_rows:
                continue
            seen_rows.add(index)
            todo += [("c", j) for j in by_row.get(index, [])]
        else:
            if index in seen_columns:
                continue
            seen_columns.add(index)
            todo += [("r", i) for i in by_column.get(index, [])]
    return seen_rows, seen_columns


def first_bridge(hidden: set[Position] | frozenset[Position]) -> Position | None:
    """A hidden position that lies on no cycle of hidden positions (the first in reading order), or None.
    Such a position is the only link between two groups of hidden cells, so it equals the difference of
    sums that the published figures give."""
    for edge in sorted(hidden):
        rest = set(hidden) - {edge}
        reachable_rows, _columns = _component(rest, ("c", edge[1]))
        if edge[0] not in reachable_rows:
            return edge
    return None
