"""Hostile input for the fuzz tests: the classes of value that once gave server errors (NUL,
numbers and dates no column or Python holds, Unicode digits, control characters, very long text,
deep JSON), mixed with ordinary values so that forms get past their first check.

FUZZ_EXAMPLES sets how many cases each target gets (default small, for the suite; raise it for a
bigger run, e.g. FUZZ_EXAMPLES=50)."""

import os

from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))

NASTY = [
    "\x00",
    "a\x00b",
    "%00",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "01.01.0001",
    "31.12.9999",
    "0000-00-00",
    "2024-02-30",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999",
    "1000000000000",
    "1e20",
    "-1e20",
    "1e400",
    "NaN",
    "inf",
    "-1",
    "0",
    "1.5",
    "³",
    "²³",
    "٣",
    "１２",
    "Lena\r\nBcc: x@example.org",
    "Lena\nMüller",
    "a\u2028b",
    "\t\x0b\x0c\x1b\x7f\x85",
    "x" * 5000,
    "9" * 5000,
    "",
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "{{ 7*7 }}",
    '=HYPERLINK("http://x")',
    "25:61",
    "2024-13-45T99:99",
    "😀",
]

text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers().map(str),
    st.dates().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def _nested(depth: int):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "name", "x"]), children, max_size=3)
    ),
    max_leaves=6,
) | st.sampled_from([_nested(100), _nested(5000), {"a": _nested(3000)}, 2**70, -(2**70), 1e308])
