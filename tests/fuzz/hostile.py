"""Hostile input for the fuzz tests: the classes of value that once gave server errors (NUL,
numbers and dates no column or Python holds, Unicode digits, control characters, very long text,
deep JSON), mixed with ordinary values so that forms get past their first check.

FUZZ_EXAMPLES sets the cases per web URL pattern (each API operation gets three times as many):
2 by default, about 400 web and 200 API cases for the suite; raise it for a bigger run, e.g.
FUZZ_EXAMPLES=20 make test."""

import os

from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))

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


json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([2**70, -(2**70), 10**12, 2147483648, 1e20, 1e308]),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "name", "x"]), children, max_size=3)
    ),
    max_leaves=6,
)

# Bodies no encoder would write: nesting deeper than any parser's recursion, broken JSON, NaN.
RAW_BODIES = [
    "[" * 5000 + "]" * 5000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    "[" * 40 + "]" * 40,
    "{",
    '{"a": NaN}',
    '{"a": Infinity}',
    "1e999",
    "9" * 5000,
    '{"name": "\\u0000"}',
    '{"name": "a\\u0000b", "first_name": "\\u0000"}',
    "\x00",
]
