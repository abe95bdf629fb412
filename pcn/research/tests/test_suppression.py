"""Small-cell suppression: no hidden cell can be worked out from the published cells and totals.

The checks here do not trust the module's own reasoning: `determined` solves the linear system that the
published figures give (every row and column of the table adds up to its total) and says which hidden
cells it pins down."""

from fractions import Fraction

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from pcn.research.suppression import first_bridge, suppression_pattern, with_margins


def lines(rows: int, columns: int):
    """Each row and column of the augmented grid (totals included): its members add up to its last one."""
    for i in range(rows + 1):
        yield [(i, j) for j in range(columns + 1)]
    for j in range(columns + 1):
        yield [(i, j) for i in range(rows + 1)]


def _rank(matrix: list[list[Fraction]]) -> int:
    m = [row[:] for row in matrix]
    rank, width = 0, len(m[0]) if m else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(m)) if m[r][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][col] != 0:
                factor = m[r][col] / m[rank][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[rank], strict=True)]
        rank += 1
    return rank


def determined(rows: int, columns: int, hidden) -> set:
    """The hidden positions whose value follows from the published ones: x_k is pinned down exactly when
    the unit vector e_k lies in the row space of the equations restricted to the hidden unknowns."""
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {p: n for n, p in enumerate(unknowns)}
    equations = []
    for line in lines(rows, columns):
        row = [Fraction(0)] * len(unknowns)
        for p in line[:-1]:
            if p in index:
                row[index[p]] += 1
        if line[-1] in index:
            row[index[line[-1]]] -= 1
        if any(row):
            equations.append(row)
    if not equations:
        return set()
    base = _rank(equations)
    found = set()
    for p, n in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[n] = Fraction(1)
        if _rank(equations + [unit]) == base:
            found.add(p)
    return found


class HandMadeTest(SimpleTestCase):
    # partners × size bands; P1 has 3 households of size 1
    CELLS = [[3, 10, 12], [8, 9, 15], [7, 11, 6]]

    def test_primary_suppression_alone_would_give_the_small_cell_away(self):
        grid = with_margins(self.CELLS)
        pattern = suppression_pattern(self.CELLS, 5)
        self.assertEqual(pattern.primary, {(0, 0)})
        # Publishing everything else: the row total minus the other cells of the row is the hidden cell.
        self.assertEqual(grid[0][3] - grid[0][1] - grid[0][2], 3)
        self.assertEqual(determined(3, 3, pattern.primary), {(0, 0)})

    def test_complementary_suppression_makes_every_hidden_cell_unrecoverable(self):
        pattern = suppression_pattern(self.CELLS, 5)
        self.assertIn((0, 0), pattern.hidden)
        self.assertGreater(len(pattern.hidden), 1)
        for line in lines(3, 3):
            self.assertNotEqual(sum(1 for p in line if p in pattern.hidden), 1, line)
        self.assertEqual(determined(3, 3, pattern.hidden), set())
        self.assertIsNone(pattern.shown(0, 0))
        self.assertEqual(pattern.shown(3, 3), 81)  # the grand total stays published

    def test_two_small_cells_in_a_row_do_not_give_each_other_away(self):
        # Hidden 1 and 1 next to a published 10 and a published total of 12: each hidden cell is above zero,
        # so both would be 1. The rule hides one more cell so that the hidden part is at least the threshold.
        pattern = suppression_pattern([[1, 1, 10], [20, 20, 20]], 5)
        row = [(0, 0), (0, 1), (0, 2)]
        self.assertTrue(all(p in pattern.hidden for p in row) or (0, 3) in pattern.hidden)
        self.assertEqual(determined(2, 3, pattern.hidden), set())

    def test_a_small_total_is_hidden_too(self):
        pattern = suppression_pattern([[2, 1], [0, 0], [30, 40]], 5)
        self.assertIn((0, 2), pattern.hidden)  # the first row's total, 3
        self.assertEqual(determined(3, 2, pattern.hidden), set())

    def test_zeros_are_shown(self):
        pattern = suppression_pattern([[0, 20], [30, 40]], 5)
        self.assertEqual(pattern.hidden, frozenset())
        self.assertEqual(pattern.shown(0, 0), 0)

    def test_a_chain_of_hidden_cells_linked_by_one_cell_gives_that_cell_away(self):
        # Two 2×2 blocks of hidden cells joined by (0, 2): every row and column holds 2 or 3 hidden cells,
        # yet (0, 2) is the difference of what the two blocks add up to.
        chain = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
        self.assertEqual(determined(4, 4, chain), {(0, 2)})
        self.assertEqual(first_bridge(chain), (0, 2))
        self.assertIsNone(first_bridge(chain - {(0, 2)}))

    def test_other_counts_can_ask_for_suppression(self):
        # 12 households in a cell, of which 2 are not in the rows: subtracting would describe those 2.
        pattern = suppression_pattern([[12, 20], [30, 40]], 5, also=[[[2, 0], [0, 0]]])
        self.assertIn((0, 0), pattern.primary)
        self.assertEqual(determined(2, 2, pattern.hidden), set())

    def test_a_table_whose_chain_only_zeros_could_close_is_hidden_whole(self):
        cells = [[0, 6, 12, 100, 0], [3, 12, 0, 4, 4], [50, 0, 0, 0, 12], [0, 0, 3, 2, 0]]
        pattern = suppression_pattern(cells, 5)
        self.assertEqual(len(pattern.hidden), 5 * 6)
        self.assertEqual(determined(4, 5, pattern.hidden), set())

    def test_the_threshold_is_at_least_one(self):
        with self.assertRaises(ValueError):
            suppression_pattern([[1]], 0)


small_counts = st.one_of(st.just(0), st.integers(1, 6), st.integers(7, 60))


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 5))
    columns = draw(st.integers(1, 5))
    return [[draw(small_counts) for _ in range(columns)] for _ in range(rows)]


class PropertyTest(SimpleTestCase):
    @settings(max_examples=300, deadline=None)
    @given(tables(), st.integers(5, 8))
    def test_no_suppressed_cell_can_be_recovered_from_published_figures(self, cells, threshold):
        pattern = suppression_pattern(cells, threshold)
        grid = with_margins(cells)
        rows, columns = len(cells), len(cells[0])
        for i in range(rows + 1):
            for j in range(columns + 1):
                if 0 < grid[i][j] < threshold:
                    self.assertIn((i, j), pattern.hidden)  # every small count or total is hidden
        whole = len(pattern.hidden) == (rows + 1) * (columns + 1)
        if not whole:  # a zero is hidden only when the whole table is (when nothing else closes a chain)
            self.assertFalse([p for p in pattern.hidden if grid[p[0]][p[1]] == 0])
        for line in lines(rows, columns):
            secret = [p for p in line if p in pattern.hidden]
            self.assertNotEqual(len(secret), 1, f"{line} in {cells}")  # never one hidden cell in a line
            if secret and line[-1] not in pattern.hidden:
                self.assertGreaterEqual(sum(grid[i][j] for i, j in secret), threshold)
        self.assertEqual(determined(rows, columns, pattern.hidden), set(), cells)
